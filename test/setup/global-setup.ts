import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../dev/stack/processes';
import { startFerretDb, startLiveKit, startTemporalDevServer } from '../../dev/stack/servers';
import type { ManagedProcess } from '../../dev/stack/processes';

/**
 * One real stack per test run: the Temporal dev server, FerretDB and a LiveKit server (--dev)
 * on free loopback ports.
 * Addresses reach the test files through the environment. Set TEST_TEMPORAL_ADDRESS,
 * TEST_MONGODB_URI and TEST_LIVEKIT_URL to reuse servers that are already running instead.
 */
export default async function globalSetup(): Promise<void> {
  const started: ManagedProcess[] = [];
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'payment-reminders-test-'));
  (globalThis as Record<string, unknown>).__testStack = { started, workDir };

  if (!process.env.TEST_TEMPORAL_ADDRESS) {
    const port = await freePort();
    started.push(
      await startTemporalDevServer({
        port,
        dbFile: path.join(workDir, 'temporal.db'),
        headless: true,
        output: { logFile: path.join(workDir, 'temporal.log') },
      }),
    );
    process.env.TEST_TEMPORAL_ADDRESS = `127.0.0.1:${port}`;
  }
  if (!process.env.TEST_MONGODB_URI) {
    const port = await freePort();
    started.push(
      await startFerretDb({ port, dataDir: path.join(workDir, 'ferretdb'), output: { logFile: path.join(workDir, 'ferretdb.log') } }),
    );
    process.env.TEST_MONGODB_URI = `mongodb://127.0.0.1:${port}/`;
  }
  if (!process.env.TEST_LIVEKIT_URL) {
    const port = await freePort();
    started.push(await startLiveKit({ port, output: { logFile: path.join(workDir, 'livekit.log') } }));
    process.env.TEST_LIVEKIT_URL = `http://127.0.0.1:${port}`;
  }
}
