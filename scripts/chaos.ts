// `npm run chaos`: fault injection under load on a real system of its own (own ports and data).
//   CHAOS_TARGET: `local` (the default) is the dev system as `npm start` runs it (one worker,
//     one API, the Temporal dev server), in .data/chaos/, with its faults: a worker SIGKILL,
//     MongoDB (FerretDB) down, a Temporal dev server restart.
//     `cluster` is the production topology as `npm run cluster` runs it (ports offset by
//     12500, data in .data/chaos-cluster/; the load goes through both APIs), with its faults:
//     one of the two workers SIGKILLed (started again at once, as a supervisor would), the
//     history service SIGKILLed and started again, PostgreSQL restarted (fast shutdown), and
//     FerretDB down. `CHAOS_TARGET=cluster npm run chaos` (the cluster's servers must be
//     installed: `npm run precluster` or one `npm run cluster`).
//   CHAOS_REMINDERS (per fault, default 1,000; half in flight when the fault hits),
//   CHAOS_RATE (reminders created per second, default 3), CHAOS_MONGO_DOWN_SECONDS (20)
import path from 'node:path';
import { clusterPorts } from '../dev/cluster/cluster';
import { CLUSTER_FAULTS, clusterTarget } from '../dev/chaos/cluster-target';
import { LOCAL_SYSTEM_FAULTS, localSystemTarget } from '../dev/chaos/local-system-target';
import { runChaos } from '../dev/chaos/run-chaos';
import { projectRoot } from '../dev/stack/tools';

/** The cluster's ports: `npm run cluster`'s defaults plus 2500, so both can run at once. */
const CLUSTER_PORT_OFFSET = 12_500;

function target() {
  const mongoDownMs = Number(process.env.CHAOS_MONGO_DOWN_SECONDS ?? 20) * 1000;
  const name = process.env.CHAOS_TARGET ?? 'local';
  if (name === 'cluster') {
    const dataDir = path.join(projectRoot, '.data', 'chaos-cluster');
    return { faults: [...CLUSTER_FAULTS], system: clusterTarget({ ports: clusterPorts(CLUSTER_PORT_OFFSET), dataDir, mongoDownMs }) };
  }
  if (name !== 'local') throw new Error(`CHAOS_TARGET=${name} is not a target (local or cluster)`);
  return {
    faults: [...LOCAL_SYSTEM_FAULTS],
    system: localSystemTarget({
      ports: {
        temporal: 27233,
        temporalUi: 28233,
        ferretdb: 27217,
        api: 23000,
        workerMetrics: 29464,
        twilioStandIn: 23100,
        livekit: 27880,
      },
      dataDir: path.join(projectRoot, '.data', 'chaos'),
      mongoDownMs,
    }),
  };
}

async function main(): Promise<void> {
  const remindersPerFault = Number(process.env.CHAOS_REMINDERS ?? 1000);
  const startedAt = Date.now();
  const results = await runChaos({
    ...target(),
    remindersPerFault,
    createPerSecond: Number(process.env.CHAOS_RATE ?? 3),
    settleTimeoutMs: 10 * 60_000,
    log: (line) => console.log(line),
  });
  console.log(
    '\n  fault             reminders  settled  stuck  backwards  projection≠workflow  SMS sends  duplicate sends  resent after delivered  settle s',
  );
  for (const r of results) {
    const duplicateShare = r.smsSends > 0 ? ((100 * r.duplicateSmsSends) / r.smsSends).toFixed(2) : '0.00';
    console.log(
      `  ${r.fault.padEnd(17)} ${String(r.reminders).padStart(9)}  ${String(r.settled).padStart(7)}  ${String(r.stuck).padStart(5)}  ${String(r.wentBackwards).padStart(9)}  ${String(r.projectionMismatches).padStart(19)}  ${String(r.smsSends).padStart(9)}  ${`${r.duplicateSmsSends} (${duplicateShare}%)`.padStart(15)}  ${String(r.smsResentAfterDelivered).padStart(22)}  ${String(r.settleSeconds).padStart(8)}`,
    );
  }
  console.log('\n  how they ended (channel, status, attempt):');
  for (const r of results) {
    const outcomes = Object.entries(r.outcomes).sort(([a], [b]) => a.localeCompare(b));
    console.log(`  ${r.fault.padEnd(17)} ${outcomes.map(([outcome, count]) => `${outcome}: ${count}`).join(', ')}`);
  }
  console.log(
    `\n  ${process.env.CHAOS_TARGET ?? 'local'}: ${Math.round((Date.now() - startedAt) / 1000)} s in all, start and stop included`,
  );
  const problems = results.flatMap((r) => r.problems.map((problem) => `${r.fault}: ${problem}`));
  if (problems.length > 0) {
    console.log(
      `\n  ${problems.length} problems:\n${problems
        .slice(0, 30)
        .map((problem) => `    ${problem}`)
        .join('\n')}`,
    );
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(`chaos: ${(error as Error).stack}`);
  process.exit(1);
});
