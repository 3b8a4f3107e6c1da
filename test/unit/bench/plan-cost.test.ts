// Section 3's invoice plans: a parent and its step reminders priced together, each signal and
// child start counted by Temporal Cloud's rules, beside the same contacts as standalone reminders.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { historyCost, type HistoryEvent, type WorkflowHistory } from '../../../bench/lib/history-cost';
import { planCosts, planFiles, reportPlanCost } from '../../../bench/sections/plan-cost';

const payload = (value: unknown) => ({ data: Buffer.from(JSON.stringify(value)).toString('base64') });
const numbered = (events: Omit<HistoryEvent, 'eventId'>[]): WorkflowHistory => ({
  events: events.map((event, index) => ({ eventId: String(index + 1), ...event })),
});
const started = (type: string, input?: unknown): Omit<HistoryEvent, 'eventId'> => ({
  eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED',
  workflowExecutionStartedEventAttributes: { workflowType: { name: type }, ...(input ? { input: { payloads: [payload(input)] } } : {}) },
});
const completed = (result: unknown): Omit<HistoryEvent, 'eventId'> => ({
  eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED',
  workflowExecutionCompletedEventAttributes: { result: { payloads: [payload(result)] } },
});
const startChild = (workflowId: string): Omit<HistoryEvent, 'eventId'> => ({
  eventType: 'EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED',
  startChildWorkflowExecutionInitiatedEventAttributes: { workflowId, workflowType: { name: 'reminderWorkflow' } },
});
const signalled = (signalName: string): Omit<HistoryEvent, 'eventId'> => ({
  eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED',
  workflowExecutionSignaledEventAttributes: { signalName },
});
const timer: Omit<HistoryEvent, 'eventId'> = {
  eventType: 'EVENT_TYPE_TIMER_STARTED',
  timerStartedEventAttributes: { startToFireTimeout: '60s' },
};
const activity = (name: string): Omit<HistoryEvent, 'eventId'> => ({
  eventType: 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED',
  activityTaskScheduledEventAttributes: { activityType: { name } },
});

/** A plan that started two reminders and stopped the second with a signal once paid. */
const parent = numbered([
  started('invoiceWorkflow'),
  startChild('reminder-a'),
  { eventType: 'EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED' },
  startChild('reminder-b'),
  signalled('paymentRecorded'),
  {
    eventType: 'EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED',
    signalExternalWorkflowExecutionInitiatedEventAttributes: { signalName: 'stop', workflowExecution: { workflowId: 'reminder-b' } },
  },
  { eventType: 'EVENT_TYPE_EXTERNAL_WORKFLOW_EXECUTION_SIGNALED' },
  activity('saveInvoiceProjection'),
]);
const delivered = numbered([
  started('reminderWorkflow', { channel: 'sms' }),
  activity('sendSms'),
  timer,
  signalled('smsStatus'),
  completed({ status: 'completed' }),
]);
const stopped = numbered([started('reminderWorkflow', { channel: 'call' }), timer, signalled('stop'), completed({ status: 'cancelled' })]);

describe('pricing invoice plans from their histories', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'plan-cost-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, history: WorkflowHistory) => writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(history));

  it("bills the parent's child start (the child's start is in its own history) and a signal between them once, where it is received", () => {
    const cost = historyCost(parent);
    expect(cost.breakdown).toMatchObject({ start: 1, childStarts: 2, signals: 1, activities: 1 });
    expect(cost.actions).toBe(5);
    expect(cost.notBilled.map((item) => item.what)).toEqual(['signal stop sent to reminder-b (billed where received)']);
    expect(historyCost(stopped).breakdown.signals).toBe(1);
  });

  it('groups a parent with its children in start order (reminder-10 after reminder-2), and ignores children without a parent', () => {
    write('plan-x', parent);
    for (const n of [10, 1, 2]) write(`plan-x--reminder-${n}`, delivered);
    write('orphan--reminder-1', delivered);
    write('sms-delivered', delivered);
    expect([...planFiles(dir)]).toEqual([['plan-x', ['plan-x--reminder-1', 'plan-x--reminder-2', 'plan-x--reminder-10']]]);
  });

  it('sums parent and children, maps each child to its standalone path, and prints the overhead', () => {
    write('plan-paid-after-first-step', parent);
    write('plan-paid-after-first-step--reminder-1', delivered);
    write('plan-paid-after-first-step--reminder-2', stopped);
    const standalone = { 'sms-delivered': historyCost(delivered), 'cancelled-before-send': historyCost(stopped) };
    const result = planCosts(dir, (name) => {
      const cost = standalone[name as keyof typeof standalone];
      return cost && { cost, source: 'committed 9.9.9' };
    });

    expect(result.missing).toEqual(['plan-delivered']);
    const [plan] = result.plans;
    expect(plan!.children.map((child) => child.standalone?.path)).toEqual(['sms-delivered', 'cancelled-before-send']);
    expect(plan!.total.actions).toBe(5 + 4 + 3);
    expect(plan!.standalone!.actions).toBe(4 + 3);
    expect(plan!.overhead).toMatchObject({ actions: 5, breakdown: { start: 1, childStarts: 2, signals: 1, activities: 1 } });
    const text = reportPlanCost(result).join('\n');
    expect(text).toContain('skipped: no plan histories for plan-delivered');
    expect(text).toMatch(/plan-paid-after-first-step\s+overhead = total − standalone\s+\+\d+\s+\+5\s/);
    expect(text).toContain('standalone: 1 × sms-delivered + 1 × cancelled-before-send');
    expect(text).toContain("= the step reminders beyond their standalone paths, 0 (a call's timers");
    expect(text).toContain("+ the parent's 5: 2 its half of each child workflow's two actions; 0 its timers for its steps' instants");
    expect(text).toContain('; 3 the rest');
  });

  it("counts the plan's timers for its steps' instants apart from its other timers", () => {
    const summary = (text: string) => ({ userMetadata: { summary: payload(text) } });
    write(
      'plan-delivered',
      numbered([
        started('invoiceWorkflow'),
        { ...timer, ...summary('step 1 (sms) due at 2026-12-02T15:00:00.000Z') },
        startChild('reminder-a'),
        { ...timer, ...summary('promise to pay until 2026-12-11T00:00:00.000Z') },
        activity('saveInvoiceProjection'),
      ]),
    );
    write('plan-delivered--reminder-1', delivered);
    const result = planCosts(dir, (name) =>
      name === 'sms-delivered' ? { cost: historyCost(delivered), source: 'committed 9.9.9' } : undefined,
    );
    const [plan] = result.plans;
    // 1 start + 1 child start + 2 timers + 1 activity beyond the standalone SMS.
    expect(plan!.overhead!.actions).toBe(5);
    expect(reportPlanCost(result).join('\n')).toContain(
      "+ the parent's 5: 1 its half of each child workflow's two actions; 1 its timers for its steps' instants (a standalone",
    );
  });

  it('says when there are no plan histories at all, and prints no table', () => {
    const lines = reportPlanCost(planCosts(dir, () => undefined));
    expect(lines.join('\n')).toContain('skipped: no plan histories for plan-delivered, plan-paid-after-first-step');
    expect(lines.some((line) => line.startsWith('plan '))).toBe(false);
  });
});
