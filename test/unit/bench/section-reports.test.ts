// Each bench section formats its own report: its heading, its tables and the targets it checks.
import { reportFerretProbe } from '../../../bench/lib/ferretdb-probe';
import type { CpuShare } from '../../../bench/lib/proc';
import { benchConfig } from '../../../bench/lib/config';
import { reportE2e, type E2eResult, type E2eRun } from '../../../bench/sections/e2e';
import { reportScale, type RestedSample, type ScaleResult } from '../../../bench/sections/scale';
import { reportPlans, type PlansResult } from '../../../bench/sections/plans';
import type { TimeBreakdown } from '../../../bench/lib/worker-metrics';

const cpu: CpuShare = { seconds: 10, parts: { worker: 50, temporal: 80 }, others: 5, machine: 140, runQueueWait: { worker: 3 } };
const time: TimeBreakdown = {
  activities: {},
  activityFailures: 0,
  requests: {},
  workflowTaskScheduleToStartMs: NaN,
  workflowTaskExecutionMs: NaN,
  activityScheduleToStartMs: NaN,
  workflowTasks: 0,
};
const rested = (workerRssMiB: number): RestedSample => ({
  workerRssMiB,
  workerPeakMiB: workerRssMiB,
  temporalRssMiB: 100,
  ferretdbRssMiB: 50,
  stickyCacheSize: 100,
  metrics: {},
  beforeRestRssMiB: workerRssMiB + 20,
});

/** A section 4 result whose worker grew `fromWarmMiB` over its reminders, and as many from the start. */
function scaleResult(fromWarmMiB: number, started = 1_000): ScaleResult {
  return {
    requested: 1_000,
    started,
    startSeconds: 20,
    startsPerSecond: started / 20,
    allWaitingSeconds: 40,
    waiting: started,
    settleSeconds: 45,
    before: rested(200),
    warm: rested(200),
    warmup: 200,
    after: rested(200 + fromWarmMiB),
    workerRssMaxMiB: 300,
    rssGrowthMiB: fromWarmMiB,
    rssGrowthFromWarmMiB: fromWarmMiB,
    cpu,
    time,
    sampleIds: ['r-1'],
  };
}

/** A section 2 pass that completed `perSecond` reminders a second for 10 s. */
const e2eRun = (label: string, perSecond: number): E2eRun => ({
  label,
  requested: 1_000,
  inFlight: 40,
  created: perSecond * 10 + 40,
  completed: perSecond * 10,
  seconds: 10,
  remindersPerSecond: perSecond,
  latencyP50: 40,
  latencyP99: 90,
  cycleP50: 2_100,
  cpu,
  time,
});

/** A section 2 result whose checks-on pass ran at `onPerSecond` beside 10/s with the checks off. */
function e2eResult(onPerSecond: number): E2eResult {
  const run = { real: e2eRun('real', onPerSecond), checksOff: e2eRun('checks off', 10), bare: e2eRun('bare', 11) };
  return {
    ...run,
    checksOnOffPercent: (onPerSecond / 10) * 100,
    bareWithBookkeeping: e2eRun('bare+', 10.5),
    ratioPercent: (onPerSecond / 11) * 100,
    ratioToBookkeepingPercent: (onPerSecond / 10.5) * 100,
    engineBound: {
      secondsPerReminder: { real: 0.1, bare: 0.09, bareWithBookkeeping: 0.095 },
      ratioPercent: 90,
      ratioToBookkeepingPercent: 95,
    },
    realIds: ['r-1'],
    bareIds: ['b-1'],
  };
}

describe("section 2's report", () => {
  it('prints the checks-off pass beside the real one, and the ratio on/off', () => {
    const text = reportE2e(e2eResult(9.6), benchConfig).lines.join('\n');
    expect(text).toMatch(/^checks off\s+140\s+100\s+10\.0\s+10\.00\s/m);
    expect(text).toContain('contact policy checks: on 9.60 · off 10.00 reminders/s → on/off 96.0%');
  });

  it('holds the checks target at 95% of the checks-off rate and misses it below', () => {
    const checksTarget = (onPerSecond: number) =>
      reportE2e(e2eResult(onPerSecond), benchConfig).targets.find((target) => target.target.startsWith('contact policy checks'));
    expect(checksTarget(9.5)).toMatchObject({ section: '2', measured: '95.0%', holds: true });
    expect(checksTarget(9.49)).toMatchObject({ measured: '94.9%', holds: false });
  });
});

describe("section 4's report", () => {
  it('prints its heading and table', () => {
    const { lines } = reportScale(scaleResult(10), benchConfig);
    expect(lines[1]).toMatch(/^== 4\. Scale: up to 1000 SMS reminders open and waiting/);
    expect(lines.join('\n')).toContain('worker RSS growth over the 1000 reminders (from warm)');
  });

  it('holds the memory target at 50 MB (47.7 MiB) and misses it just above', () => {
    expect(reportScale(scaleResult(47.6), benchConfig).targets.map((target) => target.holds)).toEqual([true, true]);
    expect(reportScale(scaleResult(48), benchConfig).targets.map((target) => target.holds)).toEqual([false, false]);
  });

  it('misses the target when not every reminder started in the box, and says so', () => {
    const [fromWarm] = reportScale(scaleResult(1, 900), benchConfig).targets;
    expect(fromWarm).toMatchObject({ section: '4', holds: false });
    expect(fromWarm!.target).toContain('only 900 of 1000 started in the box');
  });
});

/** A section 5 result whose worker grew `fromWarmMiB` over `started` plans. */
function plansResult(fromWarmMiB: number, started = 1_000, workflowTasks = 1): PlansResult {
  const { sampleIds, ...scale } = scaleResult(fromWarmMiB, started);
  void sampleIds;
  return {
    ...scale,
    warmup: 100,
    sample: { reference: 'P-0', workflowTasks, waitingOnTimer: true, children: 0 },
  };
}

describe("section 5's report", () => {
  it('prints the growth per open plan (one workflow each), beside section 4 per reminder from the same run', () => {
    const text = reportPlans(plansResult(20), benchConfig, scaleResult(5)).lines.join('\n');
    expect(text).toMatch(/^== 5\. Plans at scale: up to 1000 invoice plans open/m);
    expect(text).toContain('20 MiB = 20.48 KiB per open plan (one workflow each)');
    expect(text).toContain('1 workflow tasks; waiting on its timer; 0 reminders started');
    expect(text).toContain('5 MiB over 1000 = 5.12 KiB per waiting reminder → a plan at ×4.00 a reminder');
    expect(text).not.toContain('note:');
  });

  it('says when section 4 did not run, and when the first plan ran another number of tasks than the wait counted', () => {
    const text = reportPlans(plansResult(20, 1_000, 6), benchConfig).lines.join('\n');
    expect(text).toContain('n/a (section 4 did not run)');
    expect(text).toContain('note: the first plan ran 6 workflow tasks, not 1');
  });

  it('gives no ratio to section 4 when either growth is at or below zero', () => {
    const text = reportPlans(plansResult(-6), benchConfig, scaleResult(8)).lines.join('\n');
    expect(text).toContain('per waiting reminder → no ratio: a growth at or below zero');
    expect(text).not.toContain('a plan at ×');
  });
});

describe("the FerretDB probe's report", () => {
  it('prints each query with its time and what FerretDB pushed down', () => {
    const lines = reportFerretProbe({
      documents: 4_000,
      byIdMs: 2.04,
      staleSaveMs: 3,
      compoundFilterMs: 474,
      byIdPushdown: { pushdown: true },
    });
    expect(lines[1]).toContain('the reminders collection holds 4000 documents');
    expect(lines[2]).toMatch(/findOne \{_id\} \(the webhook look-up\)\s+2\.0\s+\{"pushdown":true\}/);
    expect(lines[2]).toMatch(/compound filter the store no longer uses\)\s+474\.0\s+"n\/a"/);
  });
});
