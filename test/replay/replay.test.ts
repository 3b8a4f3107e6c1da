import { bundleWorkflowCode, Worker, type ReplayResult } from '@temporalio/worker';
import { committedHistories } from './histories';
import { workflowBundle } from '../support/reminder-harness';

/**
 * Every committed history (test/replay/histories/<set>/*.json, from `npm run histories:capture`)
 * must replay against the current workflow code: a change that would break reminders already
 * in flight fails here, before a deploy.
 */
const histories = committedHistories();

async function replayAll(bundle: Awaited<ReturnType<typeof bundleWorkflowCode>>): Promise<Map<string, ReplayResult>> {
  const results = new Map<string, ReplayResult>();
  const named = histories.map(({ name, history }) => ({ workflowId: name, history: history as never }));
  for await (const result of Worker.runReplayHistories({ workflowBundle: bundle, replayName: 'committed-histories' }, named)) {
    results.set(result.workflowId, result);
  }
  return results;
}

describe('replaying the committed histories', () => {
  it('has histories of every path to replay', () => {
    expect(histories.length).toBeGreaterThanOrEqual(39); // 13 paths × v1, v2, v3
  });

  it('replays every history against the current workflow code without non-determinism', async () => {
    const results = await replayAll(await workflowBundle());
    const failures = [...results.values()].filter((result) => result.error).map((result) => `${result.workflowId}: ${result.error?.message}`);
    expect(failures).toEqual([]);
    expect([...results.keys()].sort()).toEqual(histories.map((history) => history.name).sort());
  });

  it('catches an incompatible change, naming each history it would break', async () => {
    const incompatible = await bundleWorkflowCode({
      workflowsPath: require.resolve('./incompatible/workflows'),
      logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} } as never,
    });
    const results = await replayAll(incompatible);
    for (const { name } of histories) {
      expect({ name, error: results.get(name)?.error?.name }).toEqual({ name, error: 'DeterminismViolationError' });
    }
  });
});

describe('the one-timer-per-wait evolution (patched)', () => {
  const eventTypes = (name: string) => {
    const found = histories.find((history) => history.name === name);
    if (!found) throw new Error(`no committed history ${name}`);
    return (found.history as { events: { eventType: string }[] }).events.map((event) => event.eventType);
  };
  const count = (types: string[], type: string) => types.filter((eventType) => eventType === `EVENT_TYPE_${type}`).length;

  it('left histories from before the patch with a timer per report and no marker', () => {
    const v1 = eventTypes('v1/sms-delivered');
    expect(count(v1, 'TIMER_STARTED')).toBe(2);
    expect(count(v1, 'MARKER_RECORDED')).toBe(0);
  });

  it('records the patch marker and waits on one timer in histories captured after it', () => {
    const v2 = eventTypes('v2/sms-delivered');
    expect(count(v2, 'TIMER_STARTED')).toBe(1);
    expect(count(v2, 'MARKER_RECORDED')).toBe(1);
  });
});

describe('the record-on-dispatch evolution (patched)', () => {
  const events = (name: string) => {
    const found = histories.find((history) => history.name === name);
    if (!found) throw new Error(`no committed history ${name}`);
    return (found.history as { events: { eventType: string; activityTaskScheduledEventAttributes?: { activityType: { name: string } } }[] }).events;
  };
  const activities = (name: string) => events(name).flatMap((event) => event.activityTaskScheduledEventAttributes?.activityType.name ?? []);

  it('left the v2 histories writing the projection before and after the send', () => {
    expect(activities('v2/sms-delivered')).toEqual(['saveProjection', 'sendSms', 'saveProjection', 'saveProjection', 'saveProjection']);
  });

  it('sends first, lets the send record the dispatch, and writes once at the end in histories captured after it', () => {
    expect(activities('v3/sms-delivered')).toEqual(['sendSms', 'saveProjection']);
    expect(events('v3/sms-delivered')).toHaveLength(27);
    expect(events('v3/sms-delivered').filter((event) => event.eventType === 'EVENT_TYPE_MARKER_RECORDED')).toHaveLength(1);
  });
});
