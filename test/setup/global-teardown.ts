import { rmSync } from 'node:fs';
import type { ManagedProcess } from '../../dev/stack/processes';

export default async function globalTeardown(): Promise<void> {
  const stack = (globalThis as Record<string, unknown>).__testStack as { started: ManagedProcess[]; workDir: string } | undefined;
  if (!stack) return;
  await Promise.all(stack.started.map((server) => server.stop()));
  rmSync(stack.workDir, { recursive: true, force: true });
}
