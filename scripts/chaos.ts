// `npm run chaos`: fault injection under load on the real local system (own ports and data).
//   CHAOS_REMINDERS (per fault, default 1,000; half in flight when the fault hits),
//   CHAOS_RATE (reminders created per second, default 3), CHAOS_MONGO_DOWN_SECONDS (20)
import path from 'node:path';
import { runChaos, type Fault } from '../dev/chaos/run-chaos';
import { projectRoot } from '../dev/stack/tools';

async function main(): Promise<void> {
  const remindersPerFault = Number(process.env.CHAOS_REMINDERS ?? 1000);
  const faults: Fault[] = ['kill-worker', 'stop-mongodb', 'restart-temporal'];
  const results = await runChaos({
    remindersPerFault,
    faults,
    ports: { temporal: 27233, temporalUi: 28233, ferretdb: 27217, api: 23000, workerMetrics: 29464, twilioStandIn: 23100, livekit: 27880 },
    dataDir: path.join(projectRoot, '.data', 'chaos'),
    mongoDownMs: Number(process.env.CHAOS_MONGO_DOWN_SECONDS ?? 20) * 1000,
    createPerSecond: Number(process.env.CHAOS_RATE ?? 3),
    settleTimeoutMs: 10 * 60_000,
    log: (line) => console.log(line),
  });
  console.log('\n  fault             reminders  settled  stuck  backwards  projection≠workflow  SMS sends  duplicate sends  settle s');
  for (const r of results) {
    const duplicateShare = r.smsSends > 0 ? ((100 * r.duplicateSmsSends) / r.smsSends).toFixed(2) : '0.00';
    console.log(
      `  ${r.fault.padEnd(17)} ${String(r.reminders).padStart(9)}  ${String(r.settled).padStart(7)}  ${String(r.stuck).padStart(5)}  ${String(r.wentBackwards).padStart(9)}  ${String(r.projectionMismatches).padStart(19)}  ${String(r.smsSends).padStart(9)}  ${`${r.duplicateSmsSends} (${duplicateShare}%)`.padStart(15)}  ${String(r.settleSeconds).padStart(8)}`,
    );
  }
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
