import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { InvoicePlanSettings } from '../config/invoice-plans';
import { outstandingAmount, type InvoicePayment, type InvoiceState } from '../domain/invoice';
import { describeWaiting } from '../domain/invoice-waiting';
import { schedulePlan } from '../domain/plan-schedule';
import type { Logger } from '../observability/logger';
import { InvalidPhoneNumberError, primaryZone, UnknownZoneError } from '../policy/zones';
import type { InvoiceDocument, InvoiceListQuery, InvoiceStore, PaymentSource } from '../store/invoices';
import type { ReminderStore } from '../store/reminder-store';
import type { ReminderTimings } from '../workflows/definitions';
import type { invoiceWorkflow } from '../workflows';
import {
  cancelPlanUpdate,
  INVOICE_WORKFLOW_TYPE,
  invoiceQuery,
  invoiceWorkflowId,
  pausePlanUpdate,
  paymentRecordedSignal,
  resumePlanUpdate,
  type InvoiceDetails,
  type InvoiceSnapshot,
  type InvoiceWorkflowInput,
} from '../workflows/invoice-definitions';
import { invoiceSnapshot, newInvoiceState } from '../workflows/invoice-snapshot';
import { CustomerIdKey, InvoiceReferenceKey, InvoiceStatusKey } from '../workflows/search-attributes';
import { decodeCursor, encodeCursor } from './cursor';
import { ConflictError, NotFoundError, unavailable, ValidationError } from './errors';
import type { CreateInvoiceRequest, RecordPaymentRequest } from './invoice-validation';
import { snapshotOfDocument, viewOf, type InvoiceView } from './invoice-view';
import { requestFingerprint, uuidFromKey } from './request-fingerprint';

export interface InvoiceServiceOptions {
  temporal: Client;
  invoices: InvoiceStore;
  reminders: Pick<ReminderStore, 'findByInvoice'>;
  taskQueue: string;
  /** The default plan, the step time, the promise grace (config). */
  plans: InvoicePlanSettings;
  /** What each reminder a plan starts gets, as single reminders do (config). */
  reminderDefaults: { maxAttempts: number; timings: ReminderTimings };
  /** How long a read or a signal waits for Temporal before the API answers without it. */
  temporalTimeoutMs?: number;
  logger?: Pick<Logger, 'warn'>;
}

/** What recording a payment did, as the API answers it. */
export interface PaymentReceipt {
  reference: string;
  payment: InvoicePayment;
  /** false: this payment id was recorded before (a retry); nothing changed. */
  recorded: boolean;
  /** Still owed after every payment recorded. */
  outstanding: number;
}

type Handle = ReturnType<Client['workflow']['getHandle']>;

/** What the invoice routes do: start plans, record payments, read plans, pass on operator actions. */
export class InvoiceService {
  constructor(private readonly options: InvoiceServiceOptions) {}

  /**
   * Records the invoice, then starts its plan once. The record comes first so that every plan
   * step's send can read what is owed (and a payment can be recorded) from the moment the plan
   * exists; a retry after a failed start finds the record and starts the plan from it.
   */
  async create(request: CreateInvoiceRequest): Promise<{ invoice: InvoiceView; created: boolean }> {
    const fingerprint = requestFingerprint(request);
    const { invoices } = this.options;
    const input = await this.inputFor(request, fingerprint);
    const first = invoiceSnapshot(input, newInvoiceState(input));
    const written = await invoices.create(first).catch((error: unknown) => {
      throw unavailable(error);
    });
    let snapshot = first;
    if (written === 'exists') {
      const stored = await invoices.findByReference(request.reference);
      if (!stored || stored.requestFingerprint !== fingerprint) {
        throw new ConflictError(`invoice ${request.reference} already exists with different details`);
      }
      snapshot = snapshotOfDocument(stored);
    }
    try {
      await this.start(this.workflowInput(snapshot));
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) return { invoice: await this.get(request.reference), created: false };
      throw unavailable(error);
    }
    return { invoice: viewOf(snapshot, [], [], { source: 'workflow' }), created: true };
  }

  /** The plan as its workflow answers (live), with the payments and reminders as recorded; the stored plan if Temporal cannot answer. */
  async get(reference: string): Promise<InvoiceView> {
    let snapshot: InvoiceSnapshot;
    let source: Pick<InvoiceView, 'source' | 'staleReason' | 'updatedAt'> = { source: 'workflow' };
    try {
      snapshot = await this.withTemporal((handle) => handle.query(invoiceQuery), reference);
    } catch (error) {
      const stored = await this.options.invoices.findByReference(reference).catch((storeError: unknown) => {
        throw unavailable(storeError);
      });
      if (!stored) {
        if (error instanceof WorkflowNotFoundError) throw new NotFoundError(`invoice ${reference} not found`);
        throw unavailable(error);
      }
      snapshot = snapshotOfDocument(stored);
      // A plan whose workflow is gone (never started, or past retention) is what the store says: final.
      source = {
        source: 'store',
        updatedAt: stored.updatedAt.toISOString(),
        ...(error instanceof WorkflowNotFoundError
          ? {}
          : { staleReason: `Temporal could not be asked (${(error as Error).message}); this is the plan's last recorded state` }),
      };
    }
    // Without MongoDB the plan's own answer is still worth giving.
    const [payments, reminders] = await Promise.all([
      this.options.invoices.paymentsFor(reference).catch(() => []),
      this.options.reminders.findByInvoice(reference).catch(() => []),
    ]);
    return viewOf(snapshot, payments, reminders, source);
  }

  async list(query: Omit<InvoiceListQuery, 'after'> & { cursor?: string }): Promise<{ items: InvoiceView[]; nextCursor?: string }> {
    const documents = await this.options.invoices.list({ ...query, after: decodeCursor(query.cursor) });
    const last = documents.at(-1);
    return {
      items: documents.map((document) =>
        viewOf(snapshotOfDocument(document), [], [], { source: 'store', updatedAt: document.updatedAt.toISOString() }),
      ),
      ...(last && documents.length === query.limit ? { nextCursor: encodeCursor(last.createdAt, last._id) } : {}),
    };
  }

  /**
   * Records the payment in the store first, then tells the plan. The store is what every
   * plan step's send reads right before it contacts the customer, so once this returns no
   * contact goes out for a paid invoice even if the signal is late. The same id again records
   * nothing and tells the plan again (the first attempt may have failed after recording).
   */
  async recordPayment(
    reference: string,
    request: RecordPaymentRequest,
    source: PaymentSource,
    idempotencyKey?: string,
  ): Promise<PaymentReceipt> {
    const { invoices } = this.options;
    const invoice = await invoices.findByReference(reference).catch((error: unknown) => {
      throw unavailable(error);
    });
    if (!invoice) throw new NotFoundError(`invoice ${reference} not found`);
    const payment: InvoicePayment = {
      id: request.id ?? (idempotencyKey ? uuidFromKey(idempotencyKey) : randomUUID()),
      amount: request.amount,
      paidAt: new Date(request.paidAt ?? Date.now()).toISOString(),
    };
    const recording = await invoices.recordPayment(reference, payment, source).catch((error: unknown) => {
      throw unavailable(error);
    });
    if (recording.outcome === 'conflict') {
      throw new ConflictError(
        `payment ${payment.id} of invoice ${reference} was recorded with another amount (${recording.payment.amount.toFixed(2)})`,
      );
    }
    try {
      await this.withTemporal((handle) => handle.signal(paymentRecordedSignal, recording.payment), reference);
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw unavailable(error);
      await this.recordOnEndedPlan(invoice);
    }
    const payments = await invoices.paymentsFor(reference);
    return {
      reference,
      payment: recording.payment,
      recorded: recording.outcome === 'recorded',
      outstanding: outstandingAmount(invoice.amount, payments),
    };
  }

  pause(reference: string, request: { until?: string; reason: string }): Promise<InvoiceView> {
    const until = request.until ? new Date(request.until).toISOString() : undefined;
    return this.operatorAction(reference, 'paused', (handle) =>
      handle.executeUpdate(pausePlanUpdate, { args: [{ reason: request.reason, ...(until ? { until } : {}) }] }),
    );
  }

  resume(reference: string): Promise<InvoiceView> {
    return this.operatorAction(reference, 'resumed', (handle) => handle.executeUpdate(resumePlanUpdate, { args: [] }));
  }

  cancel(reference: string, reason?: string): Promise<InvoiceView> {
    return this.operatorAction(reference, 'cancelled', (handle) =>
      handle.executeUpdate(cancelPlanUpdate, { args: [reason ? { reason } : {}] }),
    );
  }

  /** A validator's rejection is 409 with its words; a plan that has ended is 409 too; an unknown invoice 404. */
  private async operatorAction(reference: string, done: string, update: (handle: Handle) => Promise<InvoiceState>): Promise<InvoiceView> {
    try {
      await update(this.options.temporal.workflow.getHandle(invoiceWorkflowId(reference)));
    } catch (error) {
      if (error instanceof WorkflowUpdateFailedError) {
        throw new ConflictError(`invoice ${reference} cannot be ${done}: ${error.cause?.message ?? error.message}`);
      }
      if (!(error instanceof WorkflowNotFoundError)) throw unavailable(error);
      const stored = await this.options.invoices.findByReference(reference).catch((storeError: unknown) => {
        throw unavailable(storeError);
      });
      if (!stored) throw new NotFoundError(`invoice ${reference} not found`);
      throw new ConflictError(`invoice ${reference} cannot be ${done}: its plan has ended (${stored.status})`);
    }
    return this.get(reference);
  }

  /**
   * A payment for an invoice whose plan has ended (cancelled, exhausted, or paid already):
   * nobody else will write its record again, so the API does, one version on, with every
   * payment and, once nothing is owed, `paid`.
   */
  private async recordOnEndedPlan(invoice: InvoiceDocument): Promise<void> {
    const payments = await this.options.invoices.paymentsFor(invoice._id);
    const outstanding = outstandingAmount(invoice.amount, payments);
    const state = { ...snapshotOfDocument(invoice), payments, outstanding, status: outstanding === 0 ? ('paid' as const) : invoice.status };
    await this.options.invoices.save({ ...state, waitingFor: describeWaiting(state), version: invoice.version + 1 });
  }

  /** Calls Temporal with a deadline, so an unreachable cluster answers in seconds rather than never. */
  private withTemporal<T>(call: (handle: Handle) => Promise<T>, reference: string): Promise<T> {
    const deadline = Date.now() + (this.options.temporalTimeoutMs ?? 5_000);
    return this.options.temporal.withDeadline(deadline, () => call(this.options.temporal.workflow.getHandle(invoiceWorkflowId(reference))));
  }

  /** The new plan's input: the request's plan (or the default) scheduled in the customer's primary zone. */
  private async inputFor(request: CreateInvoiceRequest, fingerprint: string): Promise<InvoiceWorkflowInput> {
    const { plans } = this.options;
    const zone = await primaryZone(request.customer).catch((error: unknown) => {
      if (error instanceof InvalidPhoneNumberError) throw new ValidationError([{ field: 'customer.phone', message: error.message }]);
      if (error instanceof UnknownZoneError) throw new ValidationError([{ field: 'customer', message: error.message }]);
      throw error;
    });
    const details = {
      reference: request.reference,
      customer: request.customer,
      amount: request.amount,
      currency: request.currency,
      dueDate: request.dueDate,
      plan: schedulePlan(request.plan ?? plans.defaultPlan, { dueDate: request.dueDate, zone, stepTime: plans.stepTime }),
      createdAt: new Date().toISOString(),
      requestFingerprint: fingerprint,
    };
    return this.workflowInput(details);
  }

  /** The workflow's input from an invoice's details (as first recorded, on a retry). */
  private workflowInput(details: InvoiceDetails): InvoiceWorkflowInput {
    const { reference, customer, amount, currency, dueDate, plan, createdAt, requestFingerprint: fingerprint } = details;
    return {
      reference,
      customer,
      amount,
      currency,
      dueDate,
      plan,
      createdAt,
      requestFingerprint: fingerprint,
      promiseGrace: this.options.plans.promiseGrace,
      reminders: this.options.reminderDefaults,
    };
  }

  private async start(input: InvoiceWorkflowInput): Promise<void> {
    const money = `${input.amount.toFixed(2)} ${input.currency}`;
    await this.withTemporal(
      () =>
        this.options.temporal.workflow.start<typeof invoiceWorkflow>(INVOICE_WORKFLOW_TYPE, {
          workflowId: invoiceWorkflowId(input.reference),
          taskQueue: this.options.taskQueue,
          args: [input],
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          typedSearchAttributes: [
            { key: InvoiceReferenceKey, value: input.reference },
            { key: InvoiceStatusKey, value: 'open' },
            { key: CustomerIdKey, value: input.customer.id },
          ],
          staticSummary: `Invoice ${input.reference}: ${money} due ${input.dueDate}, ${input.plan.length}-step plan`,
          staticDetails: [
            `**Customer:** ${input.customer.name} (${input.customer.id})`,
            `**Amount:** ${money}, due ${input.dueDate}`,
            `**Plan:** ${input.plan.map((step) => `${step.at} ${step.channel}${step.fallback ? ` (else ${step.fallback})` : ''}`).join(', ')}`,
          ].join('\n\n'),
        }),
      input.reference,
    );
  }
}
