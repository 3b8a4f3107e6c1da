import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { freePort } from '../../dev/stack/processes';
import { startTemporalDevServer } from '../../dev/stack/servers';
import { ReminderHarness } from '../support/reminder-harness';
import { describeWebUiChecks } from './operator-checks';

/**
 * The operator checks (operator-checks.ts) on the dev server's Web UI. The shared test stack's
 * Temporal server is headless, so this starts its own dev server with the UI; FerretDB and
 * LiveKit are the shared ones. The cluster's UI: test/cluster/web-ui.check.ts.
 */
describeWebUiChecks('the dev server', async () => {
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'payment-reminders-web-ui-'));
  // In reverse order of starting; run as well when a later part fails to start.
  const stops: (() => unknown)[] = [() => rmSync(workDir, { recursive: true, force: true })];
  const stop = async () => {
    for (const stopPart of stops.reverse()) await stopPart();
  };
  try {
    const [port, uiPort] = [await freePort(), await freePort()];
    const server = await startTemporalDevServer({
      port,
      uiPort,
      dbFile: path.join(workDir, 'temporal.db'),
      headless: false,
      output: { logFile: path.join(workDir, 'temporal.log') },
    });
    stops.push(() => server.stop());
    const connection = await Connection.connect({ address: `127.0.0.1:${port}` });
    stops.push(() => connection.close());
    const nativeConnection = await NativeConnection.connect({ address: `127.0.0.1:${port}` });
    stops.push(() => nativeConnection.close());
    const harness = await ReminderHarness.start({
      temporal: { client: new Client({ connection }), nativeConnection },
      simulatedAgent: true,
    });
    stops.push(() => harness.stop());
    return { uiUrl: `http://127.0.0.1:${uiPort}`, reminders: harness, stop };
  } catch (error) {
    await stop();
    throw error;
  }
});
