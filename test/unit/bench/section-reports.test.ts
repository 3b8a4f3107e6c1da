// Each bench section formats its own report: its heading, its tables and the targets it checks.
import { reportFerretProbe } from '../../../bench/lib/ferretdb-probe';
import type { CpuShare } from '../../../bench/lib/proc';
import { benchConfig } from '../../../bench/lib/config';
import { reportScale, type RestedSample, type ScaleResult } from '../../../bench/sections/scale';
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
