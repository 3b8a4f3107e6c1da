import type { WorkflowHandle } from '@temporalio/client';
import type { ReminderActivities } from '../../../src/activities';
import type { InvoiceState, PlanStep, ScheduledStep } from '../../../src/domain/invoice';
import type { CallOutcome, SmsDeliveryStatus } from '../../../src/domain/reminder';
import { callEventSignal, reminderWorkflowId, smsStatusSignal, type ReminderSnapshot } from '../../../src/workflows/definitions';
import {
  invoiceQuery,
  invoiceWorkflowId,
  type InvoiceSnapshot,
  type InvoiceWorkflowInput,
} from '../../../src/workflows/invoice-definitions';
import type { invoiceWorkflow } from '../../../src/workflows';
import { CustomerIdKey, InvoiceReferenceKey, InvoiceStatusKey } from '../../../src/workflows/search-attributes';
import { eventually, startStubWorkflowEnv, type StubWorkflowEnv } from '../../support/stub-workflow-env';

type SmsRequest = Parameters<ReminderActivities['sendSms']>[0];
type CallRequest = Parameters<ReminderActivities['dispatchCall']>[0];

/** What the customer's phone does with each contact; `undefined`: nothing is ever reported. */
export interface PhoneScript {
  sms(request: SmsRequest): { messageStatus: SmsDeliveryStatus; errorCode?: string } | undefined;
  call(request: CallRequest): { eventType: 'call_completed' | 'call_failed'; outcome: CallOutcome } | undefined;
  /** Runs after each send, before its report (e.g. a payment arrives while the contact is out). */
  afterSend?(request: SmsRequest | CallRequest, channel: 'sms' | 'call'): Promise<void>;
}

const reaches: PhoneScript = {
  sms: () => ({ messageStatus: 'delivered' }),
  call: () => ({ eventType: 'call_completed', outcome: { connected: true, duration: 60, customer_response: 'acknowledged' } }),
};

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** The invoice workflow on the time-skipping server, its reminders' sends answered by a scripted phone. */
export class PlanTestbed {
  script: PhoneScript = reaches;
  sms: SmsRequest[] = [];
  calls: CallRequest[] = [];
  /** Test-server time of each send, in order, across channels. */
  sent: { channel: 'sms' | 'call'; at: number; reminderId: string }[] = [];
  reminderWrites: ReminderSnapshot[] = [];
  invoiceWrites: InvoiceSnapshot[] = [];
  private references = 0;

  private constructor(readonly system: StubWorkflowEnv) {}

  static async start(prefix: string): Promise<PlanTestbed> {
    // The worker's stubs need the testbed, and the testbed needs the worker's environment.
    const late: { testbed?: PlanTestbed } = {};
    const system = await startStubWorkflowEnv(prefix, {
      sendSms: (request) => late.testbed!.sendSms(request),
      dispatchCall: (request) => late.testbed!.dispatchCall(request),
      saveProjection: (snapshot) => {
        late.testbed!.reminderWrites.push(snapshot);
        return Promise.resolve();
      },
      saveInvoiceProjection: (snapshot) => {
        late.testbed!.invoiceWrites.push(snapshot);
        return Promise.resolve();
      },
    });
    late.testbed = new PlanTestbed(system);
    return late.testbed;
  }

  get env() {
    return this.system.env;
  }

  /** Between tests: forget what the last one sent, and end what it left running. */
  async reset(): Promise<void> {
    await this.system.terminateTracked();
    this.script = reaches;
    this.sms = [];
    this.calls = [];
    this.sent = [];
    this.reminderWrites = [];
    this.invoiceWrites = [];
  }

  async now(): Promise<number> {
    return this.env.currentTimeMs();
  }

  /** Starts a plan whose steps fall at `offsets` (ms from now), as the API would. */
  async startPlan(
    steps: (Omit<PlanStep, 'at'> & { in: number })[],
    overrides: Partial<InvoiceWorkflowInput> = {},
  ): Promise<WorkflowHandle<typeof invoiceWorkflow>> {
    const now = await this.now();
    const reference = `INV-${process.pid}-${++this.references}-${now}`;
    const plan: ScheduledStep[] = steps.map(({ in: offset, ...step }, index) => ({
      ...step,
      at: `+${Math.round(offset / HOUR)}h`,
      number: index + 1,
      scheduledAt: new Date(now + offset).toISOString(),
    }));
    const input: InvoiceWorkflowInput = {
      reference,
      customer: { id: 'c1', name: 'Ada Lovelace', phone: '+14155550123' },
      amount: 100,
      currency: 'USD',
      dueDate: new Date(now + 3 * DAY).toISOString().slice(0, 10),
      plan,
      createdAt: new Date(now).toISOString(),
      requestFingerprint: 'fingerprint',
      promiseGrace: '2 days',
      reminders: {
        maxAttempts: 1,
        timings: { responseTimeout: '10 minutes', maxCallDuration: '30 minutes', retryBackoff: '15 minutes' },
      },
      ...overrides,
    };
    const handle = await this.env.client.workflow.start<typeof invoiceWorkflow>('invoiceWorkflow', {
      taskQueue: this.system.taskQueue,
      workflowId: invoiceWorkflowId(reference),
      args: [input],
      typedSearchAttributes: [
        { key: InvoiceReferenceKey, value: reference },
        { key: InvoiceStatusKey, value: 'open' },
        { key: CustomerIdKey, value: input.customer.id },
      ],
    });
    return this.system.track(handle);
  }

  /** Waits (in real time, the test server's clock held) until the plan's snapshot satisfies `ready`. */
  async until(handle: WorkflowHandle, ready: (snapshot: InvoiceSnapshot) => boolean): Promise<InvoiceSnapshot> {
    return eventually(async () => {
      const snapshot = await handle.query(invoiceQuery);
      return ready(snapshot) ? snapshot : undefined;
    });
  }

  reminder(reminderId: string) {
    return this.env.client.workflow.getHandle(reminderWorkflowId(reminderId));
  }

  private async sendSms(request: SmsRequest) {
    this.sms.push(request);
    this.sent.push({ channel: 'sms', at: await this.now(), reminderId: request.reminderId });
    const messageSid = `SM-${request.reminderId}-${request.attempt}`;
    await this.script.afterSend?.(request, 'sms');
    const report = this.script.sms(request);
    // Sent before the activity returns: the reminder's inbox holds it until the dispatch is applied.
    if (report) await this.reminder(request.reminderId).signal(smsStatusSignal, { messageSid, attempt: request.attempt, ...report });
    return { messageSid, recorded: true };
  }

  private async dispatchCall(request: CallRequest) {
    this.calls.push(request);
    this.sent.push({ channel: 'call', at: await this.now(), reminderId: request.reminderId });
    await this.script.afterSend?.(request, 'call');
    const report = this.script.call(request);
    if (report) await this.reminder(request.reminderId).signal(callEventSignal, { ...report, attempt: request.attempt });
    return { externalId: `room-${request.reminderId}-${request.attempt}`, recorded: true };
  }
}

export const stepStatuses = (state: InvoiceState) => state.steps.map((step) => step.status);
