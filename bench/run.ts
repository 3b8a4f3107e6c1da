// `npm run bench`: starts the local system on free loopback ports (bench/lib/stack.ts),
// measures webhook ingestion, end-to-end throughput, cost per reminder and per plan, scale of
// reminders and of invoice plans, each beside
// its baseline in the same run, prints each section's report (bench/sections/*.ts) and writes
// bench/results/latest.json. BENCH_TARGET=dev,cluster runs sections 1 and 2 on the Temporal
// dev server and then on the Temporal cluster on PostgreSQL (bench/lib/targets.ts), side by side.
// Sizes come from the environment (bench/lib/config.ts); everything it started is stopped.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchConfig } from './lib/config';
import { table, verdict, type SectionReport } from './lib/report';
import { startStack, type Stack } from './lib/stack';
import { reportCost, runCost, type CostResult } from './sections/cost';
import { reportE2e, runE2e } from './sections/e2e';
import { reportIngestion, runIngestion } from './sections/ingestion';
import { reportScale, runScale, type ScaleResult } from './sections/scale';
import { reportPlans, runPlans, type PlansResult } from './sections/plans';
import { probeFerretDb, reportFerretProbe, type FerretProbe } from './lib/ferretdb-probe';
import { waitUntilIdle } from './lib/proc';
import { reportSideBySide, type TargetRun } from './lib/side-by-side';
import { BENCH_CLUSTER_DATA_DIR, BENCH_CLUSTER_PORT_OFFSET, startBenchCluster, TARGET_LABELS, type BenchCluster } from './lib/targets';

const started = Date.now();
const log = (line: string) => console.log(`[bench +${((Date.now() - started) / 1000).toFixed(0).padStart(3)}s] ${line}`);

let stack: Stack | undefined;
let cluster: BenchCluster | undefined;
let stopping: Promise<void> | undefined;
const stopStack = async () => {
  const current = stack;
  stack = undefined;
  await current?.stop();
};
const stopCluster = async () => {
  const current = cluster;
  cluster = undefined;
  await current?.stop();
};
const stopEverything = () => (stopping ??= stopStack().finally(stopCluster));

async function main(): Promise<void> {
  const config = benchConfig;
  log(
    `sizes: ${config.webhookReminders} webhook reminders, ${config.connections} connections × ${config.durationSeconds} s, ` +
      `${config.reminders} end-to-end reminders, ${config.scale} at scale, ${config.plans} plans; sections ${[...config.sections].join(',')}; ` +
      `Temporal targets ${config.targets.join(',')}`,
  );
  const runs: TargetRun[] = [];
  let scale: ScaleResult | undefined;
  let plans: PlansResult | undefined;
  let ferretdb: FerretProbe | undefined;
  let cost: CostResult | undefined;
  // One target after the other, each on a stack of its own, so neither loads the other's
  // measurements; the cluster starts when its turn comes and stops at the end of the run.
  for (const target of config.targets) {
    const targetLog = config.targets.length > 1 ? (line: string) => log(`[${target}] ${line}`) : log;
    if (target === 'cluster') {
      targetLog(
        `starting the Temporal cluster (ports offset ${BENCH_CLUSTER_PORT_OFFSET}, data in ${path.relative(process.cwd(), BENCH_CLUSTER_DATA_DIR)}) …`,
      );
      cluster = await startBenchCluster(config.keepData);
      for (const line of cluster.describe) targetLog(line.trim());
    }
    stack = await startStack(targetLog, target === 'cluster' ? cluster : undefined);
    targetLog(`stack up: API ${stack.apiUrl}, Temporal ${stack.temporalAddress}, data in ${path.relative(process.cwd(), stack.dataDir)}`);
    const run: TargetRun = { target };
    runs.push(run);
    if (config.sections.has('1')) {
      targetLog('— 1. webhook ingestion —');
      run.ingestion = await runIngestion(stack, config, targetLog);
    }
    if (config.sections.has('2')) {
      targetLog('— 2. end to end —');
      run.e2e = await runE2e(stack, config, targetLog);
    }
    // Sections 3, 4 and 5 read the dev server's process and histories: they run there only.
    if (target === 'dev') ({ scale, plans, ferretdb, cost } = await runDevOnlySections(stack, run, targetLog));
    targetLog('stopping the stack …');
    await stopStack();
  }
  if (cluster) {
    log('stopping the Temporal cluster …');
    await stopCluster();
  }
  const dev = runs.find((run) => run.target === 'dev');
  if (!dev && ['3', '4', '5'].some((section) => config.sections.has(section)))
    log('sections 3, 4 and 5 run on the dev target only: skipped');
  const labelled = runs.length > 1;

  const out: string[] = [];
  out.push(
    '',
    `Payment reminders benchmark — ${new Date(started).toISOString()} — ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`,
  );
  out.push(
    'CPU columns: percent of one core during the measured window (this machine has 2 cores = 200%); "others" = processes not started by the bench.',
  );
  out.push(
    `Temporal dev server SQLite pragmas: ${config.temporalSqlitePragmas.join(' ') || "the CLI's defaults"}; worker V8 flags: ${config.workerNodeOptions || "V8's defaults"}.`,
  );
  // Each section formats its own report, in the order they always printed.
  const on = (run: TargetRun) => (labelled ? TARGET_LABELS[run.target] : undefined);
  // Sections 1 and 2 per target; a target row's section names its server when there are several.
  const perTarget = (run: TargetRun, report: SectionReport): SectionReport =>
    labelled ? { ...report, targets: report.targets.map((t) => ({ ...t, section: `${t.section} ${run.target}` })) } : report;
  const reports: SectionReport[] = [
    ...runs.flatMap((run) => (run.ingestion ? [perTarget(run, reportIngestion(run.ingestion, on(run)))] : [])),
    ...runs.flatMap((run) => (run.e2e ? [perTarget(run, reportE2e(run.e2e, config, on(run)))] : [])),
    ...(cost ? [reportCost(cost)] : []),
    ...(scale ? [reportScale(scale, config)] : []),
    ...(plans ? [reportPlans(plans, config, scale)] : []),
  ];
  for (const report of reports) out.push(...report.lines);
  const targets = reports.flatMap((report) => report.targets);
  if (ferretdb) out.push(...reportFerretProbe(ferretdb));
  out.push(...reportSideBySide(runs));

  out.push('', '== Targets ==');
  out.push(
    table(
      ['section', 'target', 'measured', 'verdict'],
      targets.map((t) => [t.section, t.target, t.measured, verdict(t.holds)]),
      ['l', 'l', 'r', 'l'],
    ),
  );
  out.push('', `run took ${((Date.now() - started) / 1000).toFixed(0)} s`);
  console.log(out.join('\n'));

  const resultsDir = path.join(__dirname, 'results');
  mkdirSync(resultsDir, { recursive: true });
  const stripIds = <T extends object>(value: T | undefined, ...keys: string[]) =>
    value && Object.fromEntries(Object.entries(value).filter(([key]) => !keys.includes(key)));
  writeFileSync(
    path.join(resultsDir, 'latest.json'),
    `${JSON.stringify(
      {
        startedAt: new Date(started).toISOString(),
        seconds: (Date.now() - started) / 1000,
        machine: { cores: os.cpus().length, memoryGiB: os.totalmem() / 2 ** 30, node: process.version, loadAverage: os.loadavg() },
        config: { ...config, sections: [...config.sections] },
        // Sections 1 and 2 of the dev server at the top level, as before there were targets.
        ingestion: stripIds(dev?.ingestion, 'reminderIds'),
        e2e: stripIds(dev?.e2e, 'realIds', 'bareIds'),
        byTarget: runs.map((run) => ({
          target: run.target,
          ingestion: stripIds(run.ingestion, 'reminderIds'),
          e2e: stripIds(run.e2e, 'realIds', 'bareIds'),
        })),
        cost: cost && {
          rows: cost.rows.map(({ path: name, source, cost: c }) => ({
            path: name,
            source,
            events: c.events,
            actions: c.actions,
            breakdown: c.breakdown,
          })),
          smsHappyPath: {
            events: cost.smsHappyPath.cost.events,
            actions: cost.smsHappyPath.cost.actions,
            items: cost.smsHappyPath.cost.items,
          },
          plans: {
            dir: cost.plans.dir,
            missing: cost.plans.missing,
            plans: cost.plans.plans.map(({ plan, parent, children, childrenSum, total, standalone, overhead }) => ({
              plan,
              parent: { events: parent.events, actions: parent.actions, breakdown: parent.breakdown, items: parent.items },
              children: children.map((child) => ({
                name: child.name,
                events: child.cost.events,
                actions: child.cost.actions,
                standalone: child.standalone?.path,
              })),
              childrenSum,
              total,
              standalone,
              overhead,
            })),
          },
        },
        scale: stripIds(scale, 'sampleIds'),
        plans,
        ferretdb,
        targets,
        table: out.join('\n'),
      },
      null,
      2,
    )}\n`,
  );
  log(`wrote ${path.relative(process.cwd(), path.join(resultsDir, 'latest.json'))}`);
}

/** Sections 4, 5, the FerretDB probe and 3, in that order, on the dev server's stack. */
async function runDevOnlySections(stack: Stack, run: TargetRun, log: (line: string) => void) {
  const config = benchConfig;
  const { ingestion, e2e } = run;
  let scale: ScaleResult | undefined;
  let plans: PlansResult | undefined;
  if (config.sections.has('4')) {
    log('— 4. scale —');
    scale = await runScale(stack, config, log);
  }
  if (config.sections.has('5')) {
    log('— 5. plans at scale —');
    plans = await runPlans(stack, config, log);
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
      ...(plans?.sample ? [{ path: 'plan waiting on its first step (running)', workflowId: `invoice-${plans.sample.reference}` }] : []),
    ];
    cost = await runCost(stack, fresh, log, config.planHistoriesDir);
  }
  return { scale, plans, ferretdb, cost };
}

const interrupt = (signal: NodeJS.Signals) => {
  log(`${signal}: stopping everything the bench started …`);
  void stopEverything().finally(() => process.exit(130));
};
process.once('SIGINT', interrupt);
process.once('SIGTERM', interrupt);

main().then(
  () => process.exit(0),
  async (error: unknown) => {
    console.error(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    await stopEverything();
    process.exit(1);
  },
);
