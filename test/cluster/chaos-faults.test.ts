import path from 'node:path';
import { clusterPorts } from '../../dev/cluster/cluster';
import { clusterTarget } from '../../dev/chaos/cluster-target';
import { runChaos } from '../../dev/chaos/run-chaos';
import { projectRoot } from '../../dev/stack/tools';
import { expectEveryFaultClean } from '../support/chaos-expectations';

/**
 * The short form of `CHAOS_TARGET=cluster npm run chaos`, on a cluster of its own (ports
 * offset by 12500, so it runs beside the cluster suite's): a small load of both channels
 * through both APIs while one of the two workers is SIGKILLed and while the history service
 * is SIGKILLed and started again. PostgreSQL's restart and FerretDB's outage run in the
 * full form only (the minutes they add buy no path the dev system's short form misses).
 */
describe('reminders on the cluster under faults', () => {
  it('all settle, never go backwards, match their workflow, and nobody is texted twice', async () => {
    const results = await runChaos({
      // Under .data (not the system's temporary folder, private to root): PostgreSQL runs as its
      // own user, who must be able to reach its data folder.
      system: clusterTarget({
        ports: clusterPorts(12_500),
        dataDir: path.join(projectRoot, '.data', 'chaos-cluster-test'),
        mongoDownMs: 5_000,
      }),
      remindersPerFault: 24,
      createPerSecond: 3,
      faults: ['kill-worker', 'kill-history'],
      settleTimeoutMs: 180_000,
    });
    expect(results.map((result) => result.fault)).toEqual(['kill-worker', 'kill-history']);
    // Half the reminders are SMS, and every SMS reminder sends at least once.
    expectEveryFaultClean(results, 24, 12);
  }, 600_000);
});
