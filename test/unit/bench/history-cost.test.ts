// The bench's billable-action counter (section 3), against the newest released real history
// and synthetic ones that exercise each of Temporal Cloud's rules.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { historyCost, type HistoryEvent, type WorkflowHistory } from '../../../bench/lib/history-cost';
import { historySets, withoutPatchBookkeeping } from '../../../bench/sections/cost';

const newestRelease = historySets().at(-1)!;
const committed = (name: string) =>
  JSON.parse(
    readFileSync(path.join(__dirname, '..', '..', 'replay', 'histories', newestRelease, `${name}.json`), 'utf8'),
  ) as WorkflowHistory;

const payload = (value: unknown) => ({
  metadata: { encoding: 'anNvbi9wbGFpbg==' },
  data: Buffer.from(JSON.stringify(value)).toString('base64'),
});
const upsert = (fields: Record<string, unknown>): Omit<HistoryEvent, 'eventId'> => ({
  eventType: 'EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES',
  upsertWorkflowSearchAttributesEventAttributes: {
    searchAttributes: { indexedFields: Object.fromEntries(Object.entries(fields).map(([key, value]) => [key, payload(value)])) },
  },
});
const localActivityMarker = (workflowTaskCompletedEventId: number): Omit<HistoryEvent, 'eventId'> => ({
  eventType: 'EVENT_TYPE_MARKER_RECORDED',
  markerRecordedEventAttributes: { markerName: 'core_local_activity', workflowTaskCompletedEventId: String(workflowTaskCompletedEventId) },
});
const numbered = (events: Omit<HistoryEvent, 'eventId'>[]): WorkflowHistory => ({
  events: events.map((event, index) => ({ eventId: String(index + 1), ...event })),
});

describe('historyCost', () => {
  it('counts the released SMS happy path as 7 billable actions, every event counted', () => {
    const history = committed('sms-delivered');
    const cost = historyCost(history);

    expect(cost.events).toBe(history.events.length);
    expect(cost.actions).toBe(7);
    expect(cost.items.map((item) => item.kind)).toEqual([
      'start',
      'activity',
      'search attributes',
      'timer',
      'signal',
      'search attributes',
      'activity',
    ]);
    expect(cost.items[2]!.what).toContain('ReminderStatus=in_progress');
  });

  it('drops a patch marker and its TemporalChangeVersion upsert, and nothing else, once the patch is retired', () => {
    const patched = numbered([
      {
        eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED',
        workflowExecutionStartedEventAttributes: { workflowType: { name: 'reminderWorkflow' } },
      },
      { eventType: 'EVENT_TYPE_WORKFLOW_TASK_COMPLETED' },
      { eventType: 'EVENT_TYPE_MARKER_RECORDED', markerRecordedEventAttributes: { markerName: 'core_patch' } },
      upsert({ TemporalChangeVersion: ['a-patch'] }),
      upsert({ ReminderStatus: 'in_progress' }),
      { eventType: 'EVENT_TYPE_TIMER_STARTED', timerStartedEventAttributes: { startToFireTimeout: '600s' } },
    ]);
    const before = historyCost(patched);
    const after = historyCost(withoutPatchBookkeeping(patched));

    expect(after.events).toBe(before.events - 2);
    expect(after.actions).toBe(before.actions);
    expect(before.notBilled).toHaveLength(1);
    expect(after.notBilled).toHaveLength(0);
  });

  it('applies each rule: retries, local activities per workflow task, updates, and which upserts are billed', () => {
    const cost = historyCost(
      numbered([
        {
          eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED',
          workflowExecutionStartedEventAttributes: { workflowType: { name: 'reminderWorkflow' } },
        },
        { eventType: 'EVENT_TYPE_WORKFLOW_TASK_COMPLETED' },
        upsert({ TemporalChangeVersion: ['a-patch'] }), // the SDK's, exempt
        upsert({ TemporalChangeVersion: ['a-patch'], ReminderStatus: 'pending' }), // not the SDK's alone: billed
        { eventType: 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED', activityTaskScheduledEventAttributes: { activityType: { name: 'sendSms' } } },
        { eventType: 'EVENT_TYPE_ACTIVITY_TASK_STARTED', activityTaskStartedEventAttributes: { scheduledEventId: '5', attempt: 3 } },
        localActivityMarker(2),
        localActivityMarker(2),
        { eventType: 'EVENT_TYPE_WORKFLOW_TASK_COMPLETED' },
        localActivityMarker(9),
        { eventType: 'EVENT_TYPE_TIMER_STARTED', timerStartedEventAttributes: { startToFireTimeout: '600s' } },
        {
          eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED',
          workflowExecutionSignaledEventAttributes: {
            signalName: 'smsStatus',
            input: { payloads: [payload({ messageStatus: 'delivered' })] },
          },
        },
        {
          eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED',
          workflowExecutionUpdateAcceptedEventAttributes: { acceptedRequest: { input: { name: 'cancelReminder' } } },
        },
      ]),
    );

    expect(cost.breakdown).toEqual({
      start: 1,
      childStarts: 0,
      signals: 1,
      timers: 1,
      activities: 1,
      activityRetries: 2,
      upserts: 1,
      updates: 1,
      localActivityTasks: 2,
    });
    expect(cost.actions).toBe(10);
    expect(cost.notBilled.map((item) => item.eventId)).toEqual([3]);
    expect(cost.workflowTasks).toBe(2);
  });
});
