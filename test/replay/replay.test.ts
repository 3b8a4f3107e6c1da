import { bundleWorkflowCode, Worker, type ReplayResult } from '@temporalio/worker';
import { committedHistories } from './histories';
import { workflowBundle } from '../support/reminder-harness';

/**
 * Every released version's histories (test/replay/histories/<version>/*.json, from
 * `npm run histories:capture`) must replay against the current workflow code: a change that
 * would break reminders already in flight fails here, before a deploy.
 */
const histories = committedHistories();

/** The paths every release captures (test/replay/capture/histories.capture.ts). */
const PATHS = [
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

async function replayAll(bundle: Awaited<ReturnType<typeof bundleWorkflowCode>>): Promise<Map<string, ReplayResult>> {
  const results = new Map<string, ReplayResult>();
  const named = histories.map(({ name, history }) => ({ workflowId: name, history: history as never }));
  for await (const result of Worker.runReplayHistories({ workflowBundle: bundle, replayName: 'committed-histories' }, named)) {
    results.set(result.workflowId, result);
  }
  return results;
}

describe("replaying the released versions' histories", () => {
  it('has the histories of every path of release 1.0.0', () => {
    expect(histories.filter(({ name }) => name.startsWith('1.0.0/')).map(({ name }) => name.slice('1.0.0/'.length))).toEqual(PATHS);
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

describe('the SMS happy path of release 1.0.0', () => {
  type Event = { eventType: string; activityTaskScheduledEventAttributes?: { activityType: { name: string } } };
  const events = () => (histories.find(({ name }) => name === '1.0.0/sms-delivered')!.history as { events: Event[] }).events;

  it('sends (the send records the dispatch), then writes the projection once, on one timer and no marker', () => {
    expect(events().flatMap((event) => event.activityTaskScheduledEventAttributes?.activityType.name ?? [])).toEqual([
      'sendSms',
      'saveProjection',
    ]);
    expect(events().filter((event) => event.eventType === 'EVENT_TYPE_TIMER_STARTED')).toHaveLength(1);
    expect(events().filter((event) => event.eventType === 'EVENT_TYPE_MARKER_RECORDED')).toHaveLength(0);
    expect(events()).toHaveLength(25);
  });
});
