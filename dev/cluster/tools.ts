import { existsSync } from 'node:fs';
import path from 'node:path';
import { toolsDir } from '../stack/tools';
import { clusterVersions } from './versions';

/** Where scripts/install-cluster.sh puts the cluster's servers (git-ignored .tools/). */
export const clusterTools = {
  temporalServer: path.join(toolsDir, 'bin', 'temporal-server'),
  temporalSqlTool: path.join(toolsDir, 'bin', 'temporal-sql-tool'),
  temporalUiServer: path.join(toolsDir, 'bin', 'temporal-ui-server'),
  /** The module's PostgreSQL schema files (temporal/ and visibility/, each with versioned/). */
  postgresSchema: path.join(toolsDir, 'temporal-schema', 'postgresql', 'v12'),
};

/** Debian's PostgreSQL binaries for the pinned major version. */
export function postgresBin(name: 'postgres' | 'initdb' | 'psql' | 'pg_isready'): string {
  return path.join('/usr/lib/postgresql', clusterVersions().postgresMajor, 'bin', name);
}

export function requireClusterTool(file: string): string {
  if (!existsSync(file)) throw new Error(`${file} is not installed: run \`bash scripts/install-cluster.sh\` (npm run cluster does)`);
  return file;
}
