import { existsSync } from 'node:fs';
import path from 'node:path';

/** Where scripts/install-tools.sh puts the real servers (git-ignored). */
export const projectRoot = path.resolve(__dirname, '..', '..');
export const toolsDir = path.join(projectRoot, '.tools');

export const tools = {
  temporal: path.join(toolsDir, 'venv', 'bin', 'temporal'),
  temporalTestServer: path.join(toolsDir, 'venv', 'bin', 'temporal-test-server'),
  ferretdb: path.join(toolsDir, 'bin', 'ferretdb'),
  livekitServer: path.join(toolsDir, 'bin', 'livekit-server'),
  /** The voice agent's venv (scripts/install-agent.sh), which runs agent/. */
  agentPython: path.join(toolsDir, 'agent-venv', 'bin', 'python'),
  /** The venv's Python, for its sqlite3 module (see ferretdb-id-index.ts). */
  python: path.join(toolsDir, 'venv', 'bin', 'python'),
};

export function requireTool(name: keyof typeof tools): string {
  const file = tools[name];
  if (!existsSync(file)) {
    throw new Error(`${name} is not installed at ${file}: run \`npm run tools:install\``);
  }
  return file;
}
