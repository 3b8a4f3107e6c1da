import { DEV_SERVER_SQLITE_PRAGMAS } from '../../dev/stack/servers';
import { WORKER_NODE_OPTIONS } from '../../src/worker/node-options';
import { parseTargets } from './targets';

// Sizes and knobs, from the environment (defaults give the full run, about 16 minutes on 2 cores).
const int = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number (got "${raw}")`);
  return Math.floor(value);
};

export const benchConfig = {
  /** Section 1: call reminders the webhooks rotate over. */
  webhookReminders: int('BENCH_WEBHOOK_REMINDERS', 100),
  /** Section 1: autocannon connections, and concurrent loops of the bare client. */
  connections: int('BENCH_CONNECTIONS', 20),
  /** Section 1: length of each measured pass. */
  durationSeconds: int('BENCH_DURATION_SECONDS', 15),
  /** Section 1: unmeasured warm-up before each pass (JIT, connection pools). */
  warmupSeconds: int('BENCH_WARMUP_SECONDS', 2),
  /** Section 2: SMS reminders driven to completed, and bare workflows beside them. */
  reminders: int('BENCH_REMINDERS', 1000),
  /** Section 2: reminders (or bare workflows) in flight at once, closed loop. */
  e2eInFlight: int('BENCH_E2E_IN_FLIGHT', 40),
  /** Sections 1 and 4: concurrent creates (POST /api/reminders). */
  createConcurrency: int('BENCH_CREATE_CONCURRENCY', 20),
  /** Section 2: the Twilio stand-in's delay before each status callback (as under `npm start`). */
  callbackDelayMs: int('BENCH_CALLBACK_DELAY_MS', 1000),
  /** The real and the bare worker's sticky cache (WORKER_MAX_CACHED_WORKFLOWS; the service's default). */
  maxCachedWorkflows: int('BENCH_MAX_CACHED_WORKFLOWS', 100),
  /**
   * The real and the bare worker's V8 flags: as deployed (src/worker/node-options.ts) unless
   * BENCH_WORKER_NODE_OPTIONS is set; set but empty measures V8's defaults.
   */
  workerNodeOptions: process.env.BENCH_WORKER_NODE_OPTIONS ?? WORKER_NODE_OPTIONS,
  /**
   * The Temporal dev server's SQLite pragmas, space-separated: the local stacks' own
   * (dev/stack/servers.ts) unless BENCH_TEMPORAL_SQLITE_PRAGMAS is set; set but empty
   * measures the CLI's defaults (rollback journal, full sync on every commit).
   */
  temporalSqlitePragmas:
    process.env.BENCH_TEMPORAL_SQLITE_PRAGMAS === undefined
      ? DEV_SERVER_SQLITE_PRAGMAS
      : process.env.BENCH_TEMPORAL_SQLITE_PRAGMAS.split(/\s+/).filter(Boolean),
  /** Section 4: reminders left waiting on their due timers (sendAt in two hours). */
  scale: int('BENCH_SCALE', 10_000),
  /** Section 4: reminders started first, to fill the sticky cache (twice its default size). */
  scaleWarmup: int('BENCH_SCALE_WARMUP', 200),
  /** Section 5: invoice plans left waiting on their first step (due date 30 days ahead; the default plan). */
  plans: int('BENCH_PLANS', 10_000),
  /** Section 5: plans started first, to fill the sticky cache (each plan is two workflows). */
  plansWarmup: int('BENCH_PLANS_WARMUP', 100),
  /** Section 5's time boxes: starting the plans, then until each is waiting. */
  plansStartBudgetSeconds: int('BENCH_PLANS_START_BUDGET_SECONDS', 1200),
  plansWaitBudgetSeconds: int('BENCH_PLANS_WAIT_BUDGET_SECONDS', 1800),
  /**
   * Time boxes, so the whole run ends however slow the machine is that day: a run that does
   * not finish in its box is reported with what it completed, as a rate. Section 2's is long
   * enough for all BENCH_REMINDERS (1,000: the brief's minimum) to reach `completed` on two
   * cores with the write-ahead log (about 100 s). Section 4 waits until all its reminders are
   * on their timers (memory is measured at rest, not mid-burst): about 7 minutes for 10,000.
   */
  e2eBudgetSeconds: int('BENCH_E2E_BUDGET_SECONDS', 180),
  scaleStartBudgetSeconds: int('BENCH_SCALE_START_BUDGET_SECONDS', 600),
  scaleWaitBudgetSeconds: int('BENCH_SCALE_WAIT_BUDGET_SECONDS', 900),
  /**
   * Sections 4 and 5: how long the worker rests before each memory sample (at the start, warm, all
   * waiting). A burst leaves V8 heap pages committed until its memory reducer runs on an idle
   * isolate; what the waiting reminders cost is what stays after that.
   */
  scaleSettleSeconds: int('BENCH_SCALE_SETTLE_SECONDS', 45),
  /**
   * Section 3: read the invoice plans' histories (`<plan>.json`, `<plan>--reminder-<n>.json`)
   * from this directory instead of the newest committed set, e.g. ones captured but not yet
   * committed (`HISTORIES_LABEL=<dir>` of test/replay/capture/save-history.ts).
   */
  planHistoriesDir: process.env.BENCH_PLAN_HISTORIES_DIR || undefined,
  /**
   * Write a V8 CPU profile of every Node process the bench starts (API, workers; all their
   * threads) into this directory when it stops: open them in Chrome DevTools.
   */
  cpuProfileDir: process.env.BENCH_CPU_PROFILE_DIR || undefined,
  /** Log level of the API and worker processes (their logs go to files in the data dir). */
  logLevel: process.env.BENCH_LOG_LEVEL || 'info',
  /** Keep the data dir (SQLite files, logs) after the run. */
  keepData: process.env.BENCH_KEEP_DATA === '1',
  /**
   * The Temporal servers sections 1 and 2 run on, one after the other (bench/lib/targets.ts):
   * `dev`, `cluster` or both; sections 3, 4 and 5 run on the dev server only.
   */
  targets: parseTargets(process.env.BENCH_TARGET || 'dev'),
  /** Run only these sections (comma-separated numbers); all by default. */
  sections: new Set((process.env.BENCH_SECTIONS || '1,2,3,4,5').split(',').map((s) => s.trim())),
};

export type BenchConfig = typeof benchConfig;
