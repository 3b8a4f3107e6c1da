import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LOCAL_SYSTEM_FAULTS, localSystemTarget } from '../../dev/chaos/local-system-target';
import { runChaos } from '../../dev/chaos/run-chaos';
import { freePort } from '../../dev/stack/processes';
import { expectEveryFaultClean } from '../support/chaos-expectations';

/**
 * The short form of `npm run chaos`: a small load of both channels through each fault (worker
 * SIGKILL, MongoDB down, Temporal dev server restart), on its own real system.
 */
describe('reminders under faults', () => {
  it('all settle, never go backwards, match their workflow, and nobody is texted twice', async () => {
    const ports = {
      temporal: await freePort(),
      temporalUi: await freePort(),
      ferretdb: await freePort(),
      api: await freePort(),
      workerMetrics: await freePort(),
      twilioStandIn: await freePort(),
      livekit: await freePort(),
    };
    const results = await runChaos({
      system: localSystemTarget({ ports, dataDir: mkdtempSync(path.join(os.tmpdir(), 'reminders-chaos-')), mongoDownMs: 5_000 }),
      remindersPerFault: 16,
      createPerSecond: 4,
      faults: [...LOCAL_SYSTEM_FAULTS],
      settleTimeoutMs: 180_000,
    });
    expectEveryFaultClean(results, 16, 8);
  }, 600_000);
});
