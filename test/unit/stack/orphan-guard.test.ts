import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../../dev/stack/tools';

/** A managed child runs in a process group of its own, so only the guard can stop it when its parent dies uncleanly. */
describe('a managed process whose parent is killed', () => {
  it('is stopped by the guard', async () => {
    const processes = path.join(projectRoot, 'dev/stack/processes.ts');
    const parentScript = `
      const { spawnManaged } = require(${JSON.stringify(processes)});
      const child = spawnManaged('sleeper', process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { quiet: true });
      console.log(child.child.pid);
      setInterval(() => {}, 1000);
    `;
    const parent = spawn(process.execPath, ['--import', 'tsx', '-e', parentScript], {
      cwd: projectRoot,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const childPid = await new Promise<number>((resolve, reject) => {
      parent.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
      parent.once('exit', () => reject(new Error('the parent exited before it started its child')));
    });
    expect(isRunning(childPid)).toBe(true);

    parent.kill('SIGKILL');
    const deadline = Date.now() + 15_000;
    while (isRunning(childPid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    const survived = isRunning(childPid);
    if (survived) process.kill(childPid, 'SIGKILL');
    expect(survived).toBe(false);
  });
});

/** Running, not a zombie (a zombie has ended and only waits to be reaped). */
function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !['Z', 'X'].includes(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0]!);
  } catch {
    return false;
  }
}
