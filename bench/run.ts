// `npm run bench`: starts the local system on free loopback ports (bench/lib/stack.ts),
// measures webhook ingestion, end-to-end throughput, cost per reminder and per plan, scale of
// reminders and of invoice plans, each beside
// its baseline in the same run, prints each section's report (bench/sections/*.ts) and writes
// bench/results/latest.json.
// Sizes come from the environment (bench/lib/config.ts); everything it started is stopped.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchConfig } from './lib/config';
import { table, verdict, type SectionReport } from './lib/report';
import { startStack, type Stack } from './lib/stack';
import { reportCost, runCost, type CostResult } from './sections/cost';
import { reportE2e, runE2e, type E2eResult } from './sections/e2e';
import { reportIngestion, runIngestion, type IngestionResult } from './sections/ingestion';
import { reportScale, runScale, type ScaleResult } from './sections/scale';
import { reportPlans, runPlans, type PlansResult } from './sections/plans';
import { probeFerretDb, reportFerretProbe, type FerretProbe } from './lib/ferretdb-probe';
import { waitUntilIdle } from './lib/proc';

const started = Date.now();
const log = (line: string) => console.log(`[bench +${((Date.now() - started) / 1000).toFixed(0).padStart(3)}s] ${line}`);

let stack: Stack | undefined;
let stopping: Promise<void> | undefined;
const stopStack = () => (stopping ??= stack?.stop() ?? Promise.resolve());

async function main(): Promise<void> {
  const config = benchConfig;
  log(
    `sizes: ${config.webhookReminders} webhook reminders, ${config.connections} connections × ${config.durationSeconds} s, ` +
      `${config.reminders} end-to-end reminders, ${config.scale} at scale, ${config.plans} plans; sections ${[...config.sections].join(',')}`,
  );
  stack = await startStack(log);
  log(`stack up: API ${stack.apiUrl}, Temporal ${stack.temporalAddress}, data in ${path.relative(process.cwd(), stack.dataDir)}`);

  let ingestion: IngestionResult | undefined;
  let e2e: E2eResult | undefined;
  let scale: ScaleResult | undefined;
  let plans: PlansResult | undefined;
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
      ...(plans?.sample
        ? [
            { path: 'plan waiting on its first step (running)', workflowId: `invoice-${plans.sample.reference}` },
            ...(plans.sample.childWorkflowId
              ? [{ path: "  its step's reminder, on its due timer", workflowId: plans.sample.childWorkflowId }]
              : []),
          ]
        : []),
    ];
    cost = await runCost(stack, fresh, log, config.planHistoriesDir);
  }

  log('stopping the stack …');
  await stopStack();

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
  const reports: SectionReport[] = [
    ...(ingestion ? [reportIngestion(ingestion)] : []),
    ...(e2e ? [reportE2e(e2e, config)] : []),
    ...(cost ? [reportCost(cost)] : []),
    ...(scale ? [reportScale(scale, config)] : []),
    ...(plans ? [reportPlans(plans, config, scale)] : []),
  ];
  for (const report of reports) out.push(...report.lines);
  const targets = reports.flatMap((report) => report.targets);
  if (ferretdb) out.push(...reportFerretProbe(ferretdb));

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
        ingestion: stripIds(ingestion, 'reminderIds'),
        e2e: stripIds(e2e, 'realIds', 'bareIds'),
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

const interrupt = (signal: NodeJS.Signals) => {
  log(`${signal}: stopping everything the bench started …`);
  void stopStack().finally(() => process.exit(130));
};
process.once('SIGINT', interrupt);
process.once('SIGTERM', interrupt);

main().then(
  () => process.exit(0),
  async (error: unknown) => {
    console.error(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    await stopStack();
    process.exit(1);
  },
);
