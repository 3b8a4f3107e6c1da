// `npm run bench`: starts its own copy of the system on free loopback ports (bench/lib/stack.ts),
// measures webhook ingestion, end-to-end throughput, cost per reminder and scale, each beside
// its baseline in the same run, prints the tables and writes bench/results/latest.json.
// Sizes come from the environment (bench/lib/config.ts); everything it started is stopped.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchConfig } from './lib/config';
import { cpuPerItem, cpuSummary, fixed, partCpuPerItem, pct, table, verdict, type Target } from './lib/report';
import { startStack, type Stack } from './lib/stack';
import { runCost, type CostResult } from './sections/cost';
import { runE2e, type E2eResult } from './sections/e2e';
import { runIngestion, type IngestionResult } from './sections/ingestion';
import { runScale, type ScaleResult } from './sections/scale';
import { describeBreakdown } from './lib/worker-metrics';
import { probeFerretDb, type FerretProbe } from './lib/ferretdb-probe';
import { waitUntilIdle } from './lib/proc';


const started = Date.now();
/** "api 12 · temporal 40 …": percent of the window each part's threads waited for a core. */
const waitSummary = (cpu: { runQueueWait: Record<string, number> }) =>
  Object.entries(cpu.runQueueWait).filter(([, value]) => value >= 0.5).map(([name, value]) => `${name} ${value.toFixed(0)}%`).join(' · ');
const log = (line: string) => console.log(`[bench +${((Date.now() - started) / 1000).toFixed(0).padStart(3)}s] ${line}`);
const MIB_PER_MB = 1_000_000 / (1024 * 1024); // 1 MB is 0.954 MiB

let stack: Stack | undefined;
let stopping: Promise<void> | undefined;
const stopStack = () => (stopping ??= (stack?.stop() ?? Promise.resolve()));

async function main(): Promise<void> {
  const config = benchConfig;
  log(`sizes: ${config.webhookReminders} webhook reminders, ${config.connections} connections × ${config.durationSeconds} s, ` +
    `${config.reminders} end-to-end reminders, ${config.scale} at scale; sections ${[...config.sections].join(',')}`);
  stack = await startStack(log);
  log(`stack up: API ${stack.apiUrl}, Temporal ${stack.temporalAddress}, data in ${path.relative(process.cwd(), stack.dataDir)}`);

  let ingestion: IngestionResult | undefined;
  let e2e: E2eResult | undefined;
  let scale: ScaleResult | undefined;
  if (config.sections.has('1')) {
    log('— 1. webhook ingestion —');
    ingestion = await runIngestion(stack, config, log);
  }
  if (config.sections.has('2')) {
    log('— 2. end to end —');
    e2e = await runE2e(stack, config, log);
  }
  if (config.sections.has('4')) {
    log('— 4. scale —');
    scale = await runScale(stack, config, log);
  }
  // With the worker stopped, FerretDB is idle: time the projection write's filter against a
  // plain _id read on the collection as the run left it.
  let ferretdb: FerretProbe | undefined;
  const sampleReminder = scale?.sampleIds[0] ?? e2e?.realIds[0] ?? ingestion?.reminderIds[0];
  if (sampleReminder) {
    await stack.parts.get('worker')?.stop();
    await waitUntilIdle(stack.groups('ferretdb', 'temporal'), { timeoutMs: 30_000 });
    ferretdb = await probeFerretDb(stack.db, sampleReminder).catch(() => undefined);
  }
  let cost: CostResult | undefined;
  if (config.sections.has('3')) {
    log('— 3. cost per reminder (histories) —');
    const fresh = [
      ...(e2e?.realIds.slice(0, 3).map((id, i) => ({ path: `sms-delivered #${i + 1}`, workflowId: `reminder-${id}` })) ?? []),
      ...(e2e ? [{ path: 'bare workflow (section 2)', workflowId: e2e.bareIds[0]! }] : []),
      ...(ingestion ? [{ path: 'call answered + webhook flood (running)', workflowId: `reminder-${ingestion.reminderIds[0]}` }] : []),
      ...(scale ? [{ path: 'sms waiting on its timer (running)', workflowId: `reminder-${scale.sampleIds[0]}` }] : []),
    ];
    cost = await runCost(stack, fresh, log);
  }

  log('stopping the stack …');
  await stopStack();

  const targets: Target[] = [];
  const out: string[] = [];
  const cpuOrder = ['api', 'worker', 'temporal', 'ferretdb', 'ceiling-api', 'old-design-api', 'bare-worker', 'livekit', 'bench'];
  out.push('', `Payment reminders benchmark — ${new Date(started).toISOString()} — ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`);
  out.push('CPU columns: percent of one core during the measured window (this machine has 2 cores = 200%); "others" = processes not started by the bench.');
  out.push(`Temporal dev server SQLite pragmas: ${config.temporalSqlitePragmas.join(' ') || "the CLI's defaults"}; worker V8 flags: ${config.workerNodeOptions || "V8's defaults"}.`);

  if (ingestion) {
    const byKey = new Map(ingestion.passes.map((pass) => [pass.key, pass]));
    const engine = byKey.get('b')!;
    out.push('', `== 1. Webhook ingestion: ${ingestion.reminders} waiting call reminders, ${ingestion.connections} connections, ${ingestion.durationSeconds} s per pass ==`);
    out.push(table(
      ['target', 'req/s', 'vs (b)', 'p50 ms', 'p99 ms', 'mean ms', 'requests', 'failures', 'CPU % of a core'],
      ingestion.passes.map((pass) => [pass.label, fixed(pass.rps, 0), pct((pass.rps / engine.rps) * 100), fixed(pass.p50), fixed(pass.p99), fixed(pass.mean), pass.requests, pass.failures, cpuSummary(pass.cpu, cpuOrder)]),
      ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l'],
    ));
    const main = byKey.get('main')!;
    const ceiling = byKey.get('a');
    const old = byKey.get('c');
    out.push('where the time went (worker metrics during each pass; run-queue wait = ready threads waiting for a core, % of the pass):');
    for (const pass of ingestion.passes) out.push(`  ${pass.key.padEnd(10)} ${describeBreakdown(pass.time) || 'no workflow tasks'} | run-queue wait ${waitSummary(pass.cpu)}`);
    out.push('CPU per request, ms, by process (bench = the load generator; for (b) it is also the signalling client):');
    for (const pass of ingestion.passes) out.push(`  ${pass.key.padEnd(10)} ${cpuPerItem(pass.cpu, pass.requests, 'ms', cpuOrder).text}`);
    out.push(`ratios: main/(b) ${pct(ingestion.ingestionPercentOfEngine, 1)} · main/(a) ${pct(ceiling ? (main.rps / ceiling.rps) * 100 : NaN, 1)} · main/(c) ${pct(old ? (main.rps / old.rps) * 100 : NaN, 1)} · (b)/(a) ${pct(ceiling ? (engine.rps / ceiling.rps) * 100 : NaN, 1)}`);
    const model = ingestion.engineBound;
    out.push(`cluster model (the API and workers on machines of their own, so the engine alone sets the rate): the engine's CPU per request, main ${fixed(model.msPerRequest.main, 1)} ms · (b) ${fixed(model.msPerRequest.bare, 1)} ms → main at ${pct(model.percentOfEngine, 0)} of (b)`);
    targets.push({ section: '1', target: 'ingestion ≥ 90% of the bare client (b)', measured: pct(ingestion.ingestionPercentOfEngine, 1), holds: ingestion.ingestionPercentOfEngine >= 90 });
    targets.push({ section: '1', target: `p99 ≤ 50 ms at half the max rate (${ingestion.halfRate}/s, autocannon)`, measured: `${fixed(ingestion.halfRateP99)} ms`, holds: ingestion.halfRateP99 <= 50 });
    targets.push({ section: '1', target: `p99 ≤ 50 ms at half the max rate (${ingestion.halfRate}/s, evenly paced)`, measured: `${fixed(ingestion.pacedHalfRateP99)} ms`, holds: ingestion.pacedHalfRateP99 <= 50 });
    targets.push({ section: '1', target: `p99 ≤ 50 ms at half the max rate (${ingestion.halfRate}/s, random arrivals)`, measured: `${fixed(ingestion.randomHalfRateP99)} ms`, holds: ingestion.randomHalfRateP99 <= 50 });
  }

  if (e2e) {
    out.push('', `== 2. End to end: SMS reminders to completed, ${e2e.real.inFlight} in flight (closed loop), up to ${e2e.real.requested}, ${benchConfig.e2eBudgetSeconds} s box each; beside a bare workflow of the same shape ==`);
    out.push(table(
      ['run', 'started', 'completed', 'seconds', 'completed/s', 'vs bare', 'delivered→projection p50 ms', 'p99 ms', 'start→result p50 ms', 'CPU % of a core'],
      [e2e.real, e2e.bare, e2e.bareWithBookkeeping].map((run) => [run.label, run.created, run.completed, fixed(run.seconds), fixed(run.remindersPerSecond, 2), pct((run.remindersPerSecond / e2e.bare.remindersPerSecond) * 100), fixed(run.latencyP50, 0), fixed(run.latencyP99, 0), fixed(run.cycleP50, 0), cpuSummary(run.cpu, cpuOrder)]),
      ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l'],
    ));
    out.push(`ratio real/bare ${pct(e2e.ratioPercent, 1)} · real/(bare + bookkeeping) ${pct(e2e.ratioToBookkeepingPercent, 1)} (what our API, HTTP and store cost beyond the engine's bookkeeping) · latency real/bare p50 ×${fixed(e2e.real.latencyP50 / e2e.bare.latencyP50, 2)}, p99 ×${fixed(e2e.real.latencyP99 / e2e.bare.latencyP99, 2)}`);
    out.push('(real latency: the stand-in posting `delivered` → saveProjection stamping `completed`; bare: the `delivered` signal sent → the last activity running)');
    out.push('where the time went (worker metrics during each run):');
    out.push(`  real  ${describeBreakdown(e2e.real.time)} | run-queue wait ${waitSummary(e2e.real.cpu)}`);
    out.push(`  bare  ${describeBreakdown(e2e.bare.time)} | run-queue wait ${waitSummary(e2e.bare.cpu)}`);
    out.push(`  bare+ ${describeBreakdown(e2e.bareWithBookkeeping.time)} | run-queue wait ${waitSummary(e2e.bareWithBookkeeping.cpu)}`);
    const realCpu = cpuPerItem(e2e.real.cpu, e2e.real.completed, 's', cpuOrder);
    const bareCpu = cpuPerItem(e2e.bare.cpu, e2e.bare.completed, 's', cpuOrder);
    const bookkeepingCpu = cpuPerItem(e2e.bareWithBookkeeping.cpu, e2e.bareWithBookkeeping.completed, 's', cpuOrder);
    out.push('CPU per completed reminder, s, by process (the machine has 2 CPU-seconds per second):');
    out.push(`  real  ${realCpu.text}`);
    out.push(`  bare  ${bareCpu.text}   → the real path costs ×${fixed(realCpu.total / bareCpu.total, 2)} the CPU of the bare one`);
    out.push(`  bare+ ${bookkeepingCpu.text}   → the real path costs ×${fixed(realCpu.total / bookkeepingCpu.total, 2)} the CPU of this one`);
    const model = e2e.engineBound;
    const [worker, api, mongo] = ['worker', 'api', 'ferretdb'].map((part) => partCpuPerItem(e2e.real.cpu, part, e2e.real.completed)) as [number, number, number];
    const bareWorker = partCpuPerItem(e2e.bare.cpu, 'bare-worker', e2e.bare.completed);
    out.push('cluster model (the API, workers and MongoDB on machines of their own and scaled out, so the engine alone sets the rate):');
    out.push(`  the engine's CPU per reminder: real ${fixed(model.secondsPerReminder.real, 3)} s · bare ${fixed(model.secondsPerReminder.bare, 3)} s · bare+ ${fixed(model.secondsPerReminder.bareWithBookkeeping, 3)} s → real at ${pct(model.ratioPercent, 0)} of bare, ${pct(model.ratioToBookkeepingPercent, 0)} of bare + bookkeeping`);
    out.push(`  what scales out beside it, CPU-seconds per reminder: worker ${fixed(worker, 3)} (bare worker ${fixed(bareWorker, 3)}) · API ${fixed(api, 3)} · MongoDB (FerretDB) ${fixed(mongo, 3)}: one core of each per ${fixed(1 / worker, 0)}, ${fixed(1 / api, 0)} and ${fixed(1 / mongo, 0)} reminders/s`);
    targets.push({ section: '2', target: 'end-to-end reminders/s ≥ 90% of the bare workflow', measured: pct(e2e.ratioPercent, 1), holds: e2e.ratioPercent >= 90 });
  }

  if (cost) {
    out.push('', '== 3. Cost per reminder: history events and Temporal Cloud billable actions per path ==');
    out.push(table(
      ['path', 'source', 'events', 'actions', 'start', 'signals', 'timers', 'activities', 'retries', 'SA upserts', 'updates', 'LA tasks'],
      cost.rows.map(({ path: name, source, cost: c }) => [name, source, c.events, c.actions, c.breakdown.start, c.breakdown.signals, c.breakdown.timers, c.breakdown.activities, c.breakdown.activityRetries, c.breakdown.upserts, c.breakdown.updates, c.breakdown.localActivityTasks]),
      ['l', 'l'],
    ));
    const happy = cost.smsHappyPath.cost;
    const retired = cost.smsHappyPathPatchRetired.cost;
    out.push('', `SMS happy path (committed v3 sms-delivered): ${happy.actions} actions, ${happy.events} events — each action:`);
    happy.items.forEach((item, index) => out.push(`  ${String(index + 1).padStart(2)}. [event ${String(item.eventId).padStart(2)}] ${item.kind.padEnd(17)} ${item.what}`));
    happy.notBilled.forEach((item) => out.push(`  not billed: [event ${String(item.eventId).padStart(2)}] ${item.kind.padEnd(17)} ${item.what}`));
    const fresh = cost.freshSmsDelivered.map((row) => `${row.cost.actions} actions/${row.cost.events} events`).join(', ');
    if (fresh) out.push(`fresh SMS delivered histories from this run: ${fresh}`);
    out.push(`once record-on-dispatch is retired (no marker, no TemporalChangeVersion upsert): ${retired.actions} actions, ${retired.events} events`);
    targets.push({ section: '3', target: 'SMS happy path ≤ 7 billable actions', measured: String(happy.actions), holds: happy.actions <= 7 });
    targets.push({ section: '3', target: 'SMS happy path ≤ 30 history events', measured: String(happy.events), holds: happy.events <= 30 });
  }

  if (scale) {
    const growthMB = scale.rssGrowthMiB / MIB_PER_MB;
    const growthFromWarmMB = scale.rssGrowthFromWarmMiB / MIB_PER_MB;
    const rss = (sample: { workerRssMiB: number }) => `${fixed(sample.workerRssMiB, 0)} MiB`;
    out.push('', `== 4. Scale: up to ${scale.requested} SMS reminders open and waiting on their due timers, sendAt in 2 hours (start box ${benchConfig.scaleStartBudgetSeconds} s, wait box ${benchConfig.scaleWaitBudgetSeconds} s) ==`);
    out.push(table(['measure', 'value'], [
      ['started through POST /api/reminders', `${scale.started}/${scale.requested} in ${fixed(scale.startSeconds)} s = ${fixed(scale.startsPerSecond, 1)}/s`],
      ['waiting on their timer', `${scale.waiting}/${scale.started} after ${fixed(scale.allWaitingSeconds)} s = ${fixed(scale.waiting / scale.allWaitingSeconds, 1)}/s`],
      [`worker VmRSS: at the start → warm (${scale.warmup} more waiting) → all waiting; each after ${scale.settleSeconds} s at rest`, `${rss(scale.before)} → ${rss(scale.warm)} → ${rss(scale.after)} (max sampled ${fixed(scale.workerRssMaxMiB, 0)} MiB)`],
      ['the same, as soon as the worker went idle (before resting)', `${fixed(scale.before.beforeRestRssMiB, 0)} MiB → ${fixed(scale.warm.beforeRestRssMiB, 0)} MiB → ${fixed(scale.after.beforeRestRssMiB, 0)} MiB: +${fixed(scale.after.beforeRestRssMiB - scale.warm.beforeRestRssMiB, 0)} MiB from warm`],
      [`worker RSS growth over the ${scale.started} reminders (from warm)`, `${fixed(scale.rssGrowthFromWarmMiB, 0)} MiB = ${fixed(growthFromWarmMB, 0)} MB`],
      ['worker RSS growth from the start of the section', `${fixed(scale.rssGrowthMiB, 0)} MiB = ${fixed(growthMB, 0)} MB (of which the warm-up: ${fixed(scale.warm.workerRssMiB - scale.before.workerRssMiB, 0)} MiB)`],
      ['sticky cache size (temporal_sticky_cache_size) at the start → warm → all waiting', `${scale.before.stickyCacheSize ?? 'n/a'} → ${scale.warm.stickyCacheSize ?? 'n/a'} → ${scale.after.stickyCacheSize ?? 'n/a'}`],
      ['maxCachedWorkflows (WORKER_MAX_CACHED_WORKFLOWS, both workers)', String(config.maxCachedWorkflows)],
      ['worker V8 flags (NODE_OPTIONS)', config.workerNodeOptions || "V8's defaults"],
      ['Temporal dev server VmRSS at the start → all waiting', `${fixed(scale.before.temporalRssMiB, 0)} → ${fixed(scale.after.temporalRssMiB, 0)} MiB`],
      ['FerretDB VmRSS at the start → all waiting', `${fixed(scale.before.ferretdbRssMiB, 0)} → ${fixed(scale.after.ferretdbRssMiB, 0)} MiB`],
      ['CPU while starting and sending', cpuSummary(scale.cpu, cpuOrder)],
      ['run-queue wait', waitSummary(scale.cpu)],
      ['where the time went', describeBreakdown(scale.time)],
    ], ['l', 'l']));
    const allStarted = scale.started === scale.requested;
    const shortfall = allStarted ? '' : ` (only ${scale.started} of ${scale.requested} started in the box)`;
    targets.push({ section: '4', target: `worker RSS growth ≤ 50 MB over ${scale.started} waiting reminders, from a warm worker, at rest${shortfall}`, measured: `${fixed(growthFromWarmMB, 0)} MB`, holds: allStarted && growthFromWarmMB <= 50 });
    targets.push({ section: '4', target: 'the same, from the start of the section (a fresh worker when section 4 runs alone)', measured: `${fixed(growthMB, 0)} MB`, holds: allStarted && growthMB <= 50 });
  }

  if (ferretdb) {
    out.push('', `== FerretDB probe (worker stopped, FerretDB idle): the reminders collection holds ${ferretdb.documents} documents ==`);
    out.push(table(['query', 'mean ms', 'FerretDB explain'], [
      ['findOne {_id} (the webhook look-up)', fixed(ferretdb.byIdMs), JSON.stringify(ferretdb.byIdPushdown ?? 'n/a')],
      ['updateOne {_id} $max {state} at a stale version (every saveProjection write)', fixed(ferretdb.staleSaveMs), JSON.stringify(ferretdb.byIdPushdown ?? 'n/a')],
      ['findOne {_id, state.version: {$lt}} (the compound filter the store no longer uses)', fixed(ferretdb.compoundFilterMs), JSON.stringify(ferretdb.compoundFilterPushdown ?? 'n/a')],
    ], ['l', 'r', 'l']));
  }

  out.push('', '== Targets ==');
  out.push(table(['section', 'target', 'measured', 'verdict'], targets.map((t) => [t.section, t.target, t.measured, verdict(t.holds)]), ['l', 'l', 'r', 'l']));
  out.push('', `run took ${((Date.now() - started) / 1000).toFixed(0)} s`);
  console.log(out.join('\n'));

  const resultsDir = path.join(__dirname, 'results');
  mkdirSync(resultsDir, { recursive: true });
  const stripIds = <T extends object>(value: T | undefined, ...keys: string[]) =>
    value && Object.fromEntries(Object.entries(value).filter(([key]) => !keys.includes(key)));
  writeFileSync(path.join(resultsDir, 'latest.json'), `${JSON.stringify({
    startedAt: new Date(started).toISOString(),
    seconds: (Date.now() - started) / 1000,
    machine: { cores: os.cpus().length, memoryGiB: os.totalmem() / 2 ** 30, node: process.version, loadAverage: os.loadavg() },
    config: { ...config, sections: [...config.sections] },
    ingestion: stripIds(ingestion, 'reminderIds'),
    e2e: stripIds(e2e, 'realIds', 'bareIds'),
    cost: cost && {
      rows: cost.rows.map(({ path: name, source, cost: c }) => ({ path: name, source, events: c.events, actions: c.actions, breakdown: c.breakdown })),
      smsHappyPath: { events: cost.smsHappyPath.cost.events, actions: cost.smsHappyPath.cost.actions, items: cost.smsHappyPath.cost.items },
    },
    scale: stripIds(scale, 'sampleIds'),
    ferretdb,
    targets,
    table: out.join('\n'),
  }, null, 2)}\n`);
  log(`wrote ${path.relative(process.cwd(), path.join(resultsDir, 'latest.json'))}`);
}

const interrupt = (signal: NodeJS.Signals) => {
  log(`${signal}: stopping everything the bench started …`);
  void stopStack().finally(() => process.exit(130));
};
process.once('SIGINT', interrupt);
process.once('SIGTERM', interrupt);

main().then(
  () => process.exit(0),
  async (error: unknown) => {
    console.error(`bench failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    await stopStack();
    process.exit(1);
  },
);
