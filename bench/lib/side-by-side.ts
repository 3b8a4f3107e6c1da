// Sections 1 and 2 on each Temporal target, one column per target: our path, its bare
// baseline (measured on the same server in the same run) and the ratio, so a reader compares
// ratios across servers, never a rate on one with a baseline on the other.
import type { E2eResult } from '../sections/e2e';
import type { IngestionResult } from '../sections/ingestion';
import { fixed, pct, table } from './report';
import { TARGET_LABELS, type BenchTarget } from './targets';

export interface TargetRun {
  target: BenchTarget;
  ingestion?: IngestionResult;
  e2e?: E2eResult;
}

type Row = [section: string, measure: string, cell: (run: TargetRun) => string];

const pass = (run: TargetRun, key: string) => run.ingestion?.passes.find((p) => p.key === key);

const ROWS: Row[] = [
  ['1', '(main) API: verify, look up, signal, req/s', (run) => fixed(pass(run, 'main')?.rps, 0)],
  ['1', '(b) bare Temporal client, the same signals, req/s', (run) => fixed(pass(run, 'b')?.rps, 0)],
  ['1', 'main/(b)', (run) => pct(run.ingestion?.ingestionPercentOfEngine, 1)],
  ['1', 'main p99 at half its rate, evenly paced, ms', (run) => fixed(run.ingestion?.pacedHalfRateP99)],
  [
    '1',
    'engine CPU per request, main · (b), ms → (b)/main',
    (run) =>
      run.ingestion
        ? `${fixed(run.ingestion.engineBound.msPerRequest.main, 1)} · ${fixed(run.ingestion.engineBound.msPerRequest.bare, 1)} → ${pct(run.ingestion.engineBound.percentOfEngine, 0)}`
        : '',
  ],
  ['2', 'real: API → workflow → stand-in → webhooks → projection, completed/s', (run) => fixed(run.e2e?.real.remindersPerSecond, 2)],
  ['2', 'bare workflow of the same shape, completed/s', (run) => fixed(run.e2e?.bare.remindersPerSecond, 2)],
  ['2', 'real/bare', (run) => pct(run.e2e?.ratioPercent, 1)],
  ['2', "real/(bare + the reminder's search attributes)", (run) => pct(run.e2e?.ratioToBookkeepingPercent, 1)],
  ['2', 'contact policy checks on/off', (run) => pct(run.e2e?.checksOnOffPercent, 1)],
  [
    '2',
    'delivered→projection p50 · p99, ms (real)',
    (run) => (run.e2e ? `${fixed(run.e2e.real.latencyP50, 0)} · ${fixed(run.e2e.real.latencyP99, 0)}` : ''),
  ],
  [
    '2',
    'engine CPU per reminder, real · bare, s → bare/real',
    (run) =>
      run.e2e
        ? `${fixed(run.e2e.engineBound.secondsPerReminder.real, 3)} · ${fixed(run.e2e.engineBound.secondsPerReminder.bare, 3)} → ${pct(run.e2e.engineBound.ratioPercent, 0)}`
        : '',
  ],
];

export function reportSideBySide(runs: TargetRun[]): string[] {
  const rows = ROWS.filter(([section]) => runs.some((run) => (section === '1' ? run.ingestion : run.e2e)));
  if (runs.length < 2 || rows.length === 0) return [];
  return [
    '',
    `== Sections 1 and 2 side by side: ${runs.map((run) => `${run.target} = ${TARGET_LABELS[run.target]}`).join('; ')}; each baseline on the same server, in this run ==`,
    table(
      ['section', 'measure', ...runs.map((run) => run.target)],
      rows.map(([section, measure, cell]) => [section, measure, ...runs.map(cell)]),
      ['l', 'l', ...runs.map(() => 'r' as const)],
    ),
    "(engine CPU: the dev server's process; on the cluster its four services and PostgreSQL)",
  ];
}
