import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, spawnManaged, waitUntil } from '../../../dev/stack/processes';

describe('freePort', () => {
  it('hands out distinct ports below the kernel ephemeral range, which outgoing connections never take', async () => {
    const ephemeralLow = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    const ports = await Promise.all(Array.from({ length: 20 }, () => freePort()));
    expect(new Set(ports).size).toBe(ports.length);
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(10_000);
      expect(port).toBeLessThan(ephemeralLow);
    }
  });
});

describe('a managed process that dies before it is ready', () => {
  it('fails the wait at once with its exit code and last output', async () => {
    const dying = spawnManaged(
      'dying',
      process.execPath,
      ['-e', 'console.error("Address already in use (os error 98)"); process.exit(3)'],
      { quiet: true },
    );
    const startedAt = Date.now();
    const waited = waitUntil('the dying server', () => Promise.resolve(false), { process: dying, timeoutMs: 30_000 });
    await expect(waited).rejects.toThrow(
      /dying exited \(code 3\) before the dying server was ready; its last output:\nAddress already in use/,
    );
    expect(Date.now() - startedAt).toBeLessThan(10_000);
  });

  it('names the signal when it was killed', async () => {
    const killed = spawnManaged('killed', process.execPath, ['-e', 'process.kill(process.pid, "SIGKILL")'], { quiet: true });
    await expect(waitUntil('the killed server', () => Promise.resolve(false), { process: killed, timeoutMs: 30_000 })).rejects.toThrow(
      'killed exited (signal SIGKILL) before the killed server was ready; it wrote nothing',
    );
  });
});

describe('a managed process that logs to a file', () => {
  it('keeps writing what one stream says after the other has closed', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'managed-log-'));
    const logFile = path.join(dir, 'server.log');
    // Closes its stdout first, then still writes to stderr: the file must take both, and this
    // process must not fail with a write after the file was ended.
    const server = spawnManaged('server', '/bin/sh', ['-c', 'echo out; exec 1>&-; sleep 0.3; echo "late on stderr" >&2'], { logFile });
    await server.outputDrained();
    await waitUntil('the log file', () => Promise.resolve(readFileSync(logFile, 'utf8').includes('late on stderr')), { timeoutMs: 5_000 });
    expect(readFileSync(logFile, 'utf8')).toBe('out\nlate on stderr\n');
    rmSync(dir, { recursive: true, force: true });
  });
});
