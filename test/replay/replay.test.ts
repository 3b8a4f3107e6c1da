import { bundleWorkflowCode, Worker, type ReplayResult } from '@temporalio/worker';
import { committedHistories } from './histories';
import { workflowBundle } from '../support/reminder-harness';

/**
 * Every released version's histories (test/replay/histories/<version>/*.json, from
 * `npm run histories:capture`) must replay against the current workflow code: a change that
 * would break reminders already in flight fails here, before a deploy.
 */
const histories = committedHistories();

/** The paths each release captured (test/replay/capture/histories.capture.ts). */
const PATHS_1_0_0 = [
  'call-completed',
  'call-failed',
  'call-retried-then-completed',
  'call-timeout-max-attempts',
  'cancelled-before-send',
  'rescheduled-then-retried-now',
  'sms-callback-before-send-returned',
  'sms-delivered',
  'sms-failed-permanent',
  'sms-opted-out',
  'sms-out-of-order-duplicated',
  'sms-timeout',
  'sms-undelivered-retried',
];
/** 1.1.0 added the contact policy's paths. */
const PATHS_1_1_0 = [...PATHS_1_0_0, 'deferred-by-cap', 'deferred-by-window', 'opted-out-mid-backoff', 'refused-opted-out'].sort();
/**
 * 1.2.0 added invoice plans: each plan path is the parent's history and one history per
 * reminder it started (`<path>--reminder-<n>`), which cover the reminder's new paths (a plan
 * step's first record, stopped by the plan while waiting or after its attempt).
 */
const PLAN_PATHS_1_2_0 = {
  'plan-delivered': 4,
  'plan-fallback-sms-to-call': 2,
  'plan-paid-after-first-step': 2,
  'plan-paused-resumed-cancelled': 3,
  'plan-promise-then-resumed': 2,
};
/**
 * 1.3.0: a plan waits for each step's instant on its own timer and starts the step's reminder
 * then (patch `plan-starts-steps-when-due`), so a step stopped while the plan waits starts no
 * reminder, and a reminder stopped while it waits to retry has a path of its own.
 */
const PLAN_PATHS_1_3_0 = {
  'plan-delivered': 4,
  'plan-fallback-sms-to-call': 2,
  'plan-paid-after-first-step': 1,
  'plan-paid-during-retry': 1,
  'plan-paused-resumed-cancelled': 1,
  'plan-promise-then-resumed': 2,
};
const planPaths = (plans: Record<string, number>) =>
  Object.entries(plans).flatMap(([plan, reminders]) => [
    plan,
    ...Array.from({ length: reminders }, (_, index) => `${plan}--reminder-${index + 1}`),
  ]);
const PATHS_1_2_0 = [...PATHS_1_1_0, ...planPaths(PLAN_PATHS_1_2_0)].sort();
const PATHS_1_3_0 = [...PATHS_1_1_0, ...planPaths(PLAN_PATHS_1_3_0)].sort();
const pathsOf = (version: string) =>
  histories.filter(({ name }) => name.startsWith(`${version}/`)).map(({ name }) => name.slice(version.length + 1));

async function replayAll(bundle: Awaited<ReturnType<typeof bundleWorkflowCode>>): Promise<Map<string, ReplayResult>> {
  const results = new Map<string, ReplayResult>();
  const named = histories.map(({ name, history }) => ({ workflowId: name, history: history as never }));
  for await (const result of Worker.runReplayHistories({ workflowBundle: bundle, replayName: 'committed-histories' }, named)) {
    results.set(result.workflowId, result);
  }
  return results;
}

describe("replaying the released versions' histories", () => {
  it('has the histories of every path of each release', () => {
    expect(pathsOf('1.0.0')).toEqual(PATHS_1_0_0);
    expect(pathsOf('1.1.0')).toEqual(PATHS_1_1_0);
    expect(pathsOf('1.2.0').sort()).toEqual(PATHS_1_2_0);
    expect(pathsOf('1.3.0').sort()).toEqual(PATHS_1_3_0);
  });

  it('replays every history against the current workflow code without non-determinism', async () => {
    const results = await replayAll(await workflowBundle());
    const failures = [...results.values()]
      .filter((result) => result.error)
      .map((result) => `${result.workflowId}: ${result.error?.message}`);
    expect(failures).toEqual([]);
    expect([...results.keys()].sort()).toEqual(histories.map((history) => history.name).sort());
  });

  it('catches an incompatible change, naming each history it would break', async () => {
    const incompatible = await bundleWorkflowCode({
      workflowsPath: require.resolve('./incompatible/workflows'),
      logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} },
    });
    const results = await replayAll(incompatible);
    for (const { name } of histories) {
      expect({ name, error: results.get(name)?.error?.name }).toEqual({ name, error: 'DeterminismViolationError' });
    }
  });
});

describe.each(['1.0.0', '1.1.0', '1.2.0', '1.3.0'])('the SMS happy path of release %s', (version) => {
  type Event = { eventType: string; activityTaskScheduledEventAttributes?: { activityType: { name: string } } };
  const events = () => (histories.find(({ name }) => name === `${version}/sms-delivered`)!.history as { events: Event[] }).events;

  it('sends (the send checks the contact policy and records the dispatch), then writes the projection once, on one timer and no marker', () => {
    expect(events().flatMap((event) => event.activityTaskScheduledEventAttributes?.activityType.name ?? [])).toEqual([
      'sendSms',
      'saveProjection',
    ]);
    expect(events().filter((event) => event.eventType === 'EVENT_TYPE_TIMER_STARTED')).toHaveLength(1);
    expect(events().filter((event) => event.eventType === 'EVENT_TYPE_MARKER_RECORDED')).toHaveLength(0);
    expect(events()).toHaveLength(25);
  });
});

describe("release 1.3.0's plans start each step's reminder when the step is due", () => {
  type Event = {
    eventType: string;
    activityTaskScheduledEventAttributes?: { activityType: { name: string } };
  };
  const events = (name: string) => (histories.find((history) => history.name === name)!.history as { events: Event[] }).events;

  it.each(Object.keys(PLAN_PATHS_1_3_0))('%s: the parent records the patch first; each reminder sends before it writes', (plan) => {
    const parent = events(`1.3.0/${plan}`);
    const firstCommand = parent.find((event) => !/WORKFLOW_(EXECUTION_STARTED|TASK_)/.test(event.eventType));
    expect(firstCommand?.eventType).toBe('EVENT_TYPE_MARKER_RECORDED');
    for (let n = 1; n <= PLAN_PATHS_1_3_0[plan as keyof typeof PLAN_PATHS_1_3_0]; n++) {
      const activities = events(`1.3.0/${plan}--reminder-${n}`).flatMap(
        (event) => event.activityTaskScheduledEventAttributes?.activityType.name ?? [],
      );
      expect({ n, sendsFirst: ['sendSms', 'dispatchCall'].includes(activities[0] ?? '') }).toEqual({ n, sendsFirst: true });
    }
  });

  it("1.2.0's plans had no marker, and each reminder wrote its first record before it waited", () => {
    const parent = events('1.2.0/plan-delivered');
    expect(parent.filter((event) => event.eventType === 'EVENT_TYPE_MARKER_RECORDED')).toHaveLength(0);
    const activities = events('1.2.0/plan-delivered--reminder-1').flatMap(
      (event) => event.activityTaskScheduledEventAttributes?.activityType.name ?? [],
    );
    expect(activities[0]).toBe('saveProjection');
  });
});
