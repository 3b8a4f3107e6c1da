import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { SmsDeliveryStatus } from '../domain/reminder';
import type { ProgressFacts } from '../domain/status-machine';
import type { PendingReport, PendingReports } from '../store/pending-reports';
import type { ReminderListQuery, ReminderStore } from '../store/reminder-store';
import { isTemporalUnreachable } from '../temporal/unreachable';
import {
  callEventSignal,
  cancelReminderUpdate,
  newReminderState,
  REMINDER_WORKFLOW_TYPE,
  reminderSnapshot,
  reminderQuery,
  reminderWorkflowId,
  smsStatusSignal,
  type CallEventSignal,
  type ReminderTimings,
  type ReminderSnapshot,
  type ReminderWorkflowInput,
  type SmsStatusSignal,
} from '../workflows/definitions';
import type { reminderWorkflow } from '../workflows';
import { newReminderSearchAttributes } from '../workflows/search-attributes';
import { decodeCursor, encodeCursor } from './cursor';
import { ConflictError, NotFoundError, unavailable } from './errors';
import { defaultMessage } from './reminder-message';
import { requestFingerprint, uuidFromKey } from './request-fingerprint';
import { viewFromDocument, viewFromSnapshot, type ReminderView } from './reminder-view';
import type { Logger } from '../observability/logger';
import type { CreateReminderRequest } from './validation';

export interface ReminderServiceOptions {
  temporal: Client;
  reminders: ReminderStore;
  taskQueue: string;
  timings: ReminderTimings;
  defaultMaxAttempts: number;
  /** How long a webhook waits for Temporal to take its signal before its report is queued (or 503). */
  signalTimeoutMs?: number;
  /** Where a webhook's report waits when Temporal cannot take its signal (without it: 503). */
  pendingReports?: Pick<PendingReports, 'add'>;
  logger?: Pick<Logger, 'warn'>;
}

export type DeliveryResult = { outcome: 'signalled' } | { outcome: 'acknowledged' | 'ignored' | 'queued'; reason: string };

/** What the routes do with reminders: start workflows, read projections, pass on webhook events. */
export class ReminderService {
  constructor(private readonly options: ReminderServiceOptions) {}

  /** Starts the reminder's workflow once; the same id again returns the existing reminder. */
  async create(request: CreateReminderRequest, idempotencyKey?: string): Promise<{ reminder: ReminderView; created: boolean }> {
    const { id, maxAttempts, ...fields } = request;
    const reminderId = id ?? (idempotencyKey ? uuidFromKey(idempotencyKey) : randomUUID());
    const requestFingerprint = fingerprint(fields, maxAttempts);
    const input: ReminderWorkflowInput = {
      reminderId,
      channel: fields.channel,
      customer: fields.customer,
      payment: fields.payment,
      message: fields.message ?? defaultMessage(fields),
      ...(fields.sendAt ? { sendAt: new Date(fields.sendAt).toISOString() } : {}),
      createdAt: new Date().toISOString(),
      requestFingerprint,
      maxAttempts: maxAttempts ?? this.options.defaultMaxAttempts,
      timings: this.options.timings,
    };
    try {
      await this.options.temporal.workflow.start<typeof reminderWorkflow>(REMINDER_WORKFLOW_TYPE, {
        workflowId: reminderWorkflowId(reminderId),
        taskQueue: this.options.taskQueue,
        args: [input],
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        typedSearchAttributes: newReminderSearchAttributes(input),
        staticSummary: `${input.channel === 'sms' ? 'SMS' : 'Voice call'} reminder: ${input.payment.amount.toFixed(2)} ${input.payment.currency} due ${input.payment.dueDate} (${input.payment.reference})`,
        staticDetails: [
          `**Customer:** ${input.customer.name} (${input.customer.id})`,
          `**Amount:** ${input.payment.amount.toFixed(2)} ${input.payment.currency}, due ${input.payment.dueDate}`,
          `**Invoice:** ${input.payment.reference}`,
          `**Channel:** ${input.channel}, up to ${input.maxAttempts} attempts`,
        ].join('\n\n'),
      });
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) {
        const existing = await this.get(reminderId);
        if ((await this.fingerprintOf(reminderId)) !== requestFingerprint) {
          throw new ConflictError(`reminder ${reminderId} already exists with different details`);
        }
        return { reminder: existing, created: false };
      }
      throw unavailable(error);
    }
    const snapshot = reminderSnapshot(input, newReminderState(input));
    await this.recordNewReminder(snapshot);
    return { reminder: viewFromSnapshot(snapshot), created: true };
  }

  /**
   * The accepted reminder's first projection (the workflow writes every change after it).
   * An insert, so it never overwrites a newer state the workflow has already recorded. If
   * MongoDB is down, the reminder still exists (Temporal holds it): `get` answers from the
   * workflow until its next write creates the document.
   */
  private async recordNewReminder(snapshot: ReminderSnapshot): Promise<void> {
    try {
      await this.options.reminders.create(snapshot);
    } catch (error) {
      this.options.logger?.warn({ err: error, reminderId: snapshot.reminderId }, 'new reminder not yet projected: MongoDB unavailable');
    }
  }

  /** The projection; until the workflow's first write lands, the workflow's own answer. */
  async get(reminderId: string): Promise<ReminderView> {
    const document = await this.options.reminders.findById(reminderId);
    if (document) return viewFromDocument(document);
    try {
      return viewFromSnapshot(await this.options.temporal.workflow.getHandle(reminderWorkflowId(reminderId)).query(reminderQuery));
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw new NotFoundError(`reminder ${reminderId} not found`);
      throw unavailable(error);
    }
  }

  async list(query: Omit<ReminderListQuery, 'after'> & { cursor?: string }): Promise<{ items: ReminderView[]; nextCursor?: string }> {
    const documents = await this.options.reminders.list({ ...query, after: decodeCursor(query.cursor) });
    const last = documents.at(-1);
    return {
      items: documents.map(viewFromDocument),
      ...(last && documents.length === query.limit ? { nextCursor: encodeCursor(last.createdAt, last._id) } : {}),
    };
  }

  async cancel(reminderId: string, reason?: string): Promise<ReminderView> {
    await this.requireReminder(reminderId);
    try {
      const snapshot = await this.options.temporal.workflow
        .getHandle(reminderWorkflowId(reminderId))
        .executeUpdate(cancelReminderUpdate, { args: [{ reason }] });
      return { ...(await this.get(reminderId)), status: snapshot.status, skipReason: snapshot.skipReason };
    } catch (error) {
      if (error instanceof WorkflowNotFoundError || error instanceof WorkflowUpdateFailedError) {
        throw new ConflictError(
          `reminder ${reminderId} cannot be cancelled: ${error instanceof WorkflowUpdateFailedError ? (error.cause?.message ?? error.message) : 'it has already finished'}`,
        );
      }
      throw unavailable(error);
    }
  }

  async deliverCallEvent(reminderId: string, event: CallEventSignal): Promise<DeliveryResult> {
    return this.signalUnlessEnded({ reminderId, kind: 'callEvent', signal: event });
  }

  async deliverSmsStatus(reminderId: string, status: SmsStatusSignal): Promise<DeliveryResult> {
    return this.signalUnlessEnded({ reminderId, kind: 'smsStatus', signal: status });
  }

  /** Signals one report to its reminder's workflow within the signal deadline; throws what the client throws. */
  async signalReport(report: PendingReport): Promise<void> {
    const deadline = Date.now() + (this.options.signalTimeoutMs ?? 5_000);
    await this.options.temporal.withDeadline(deadline, () => {
      const handle = this.options.temporal.workflow.getHandle(reminderWorkflowId(report.reminderId));
      return report.kind === 'smsStatus' ? handle.signal(smsStatusSignal, report.signal) : handle.signal(callEventSignal, report.signal);
    });
  }

  /**
   * An in-transit SMS status (queued, sent, …) for a reminder that exists: answered without
   * waking the workflow, which waits for the final status (and its timeout) either way. One
   * signal less per message is one billable action and one workflow task less.
   */
  async acknowledgeInTransit(reminderId: string, status: SmsDeliveryStatus): Promise<DeliveryResult> {
    await this.requireReminder(reminderId);
    return { outcome: 'acknowledged', reason: `${status} is in transit; delivered, undelivered or failed decides the reminder` };
  }

  /** The reminder a Twilio callback is about: from the callback URL, or by its MessageSid. */
  async findReminderIdForMessage(messageSid: string, reminderIdFromUrl?: string): Promise<string> {
    if (reminderIdFromUrl) return reminderIdFromUrl;
    const document = await this.options.reminders.findByExternalId(messageSid);
    if (!document) throw new NotFoundError(`no reminder for message ${messageSid}`);
    return document._id;
  }

  /**
   * Signals first, and looks the reminder up only when its workflow is gone: the hot path is
   * one call to Temporal. A reminder's workflow closes as soon as the reminder ends, so "not
   * found" means it either ended (200, ignored; the projection says how) or never existed (404).
   * A signal to a reminder that has ended but not yet closed is ignored by the workflow itself.
   */
  private async signalUnlessEnded(report: PendingReport): Promise<DeliveryResult> {
    const { reminderId } = report;
    try {
      await this.signalReport(report);
      return { outcome: 'signalled' };
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) return this.queueReport(report, error);
    }
    const document = await this.options.reminders.findById(reminderId).catch((error: unknown) => {
      throw unavailable(error);
    });
    if (!document) throw new NotFoundError(`reminder ${reminderId} not found`);
    return { outcome: 'ignored', reason: `reminder already ${document.status}` };
  }

  /**
   * Twilio and the voice agent do not send a report again once their retries are spent, so a
   * report Temporal cannot take now (unreachable, or past the deadline) is stored for the
   * redelivery loop (report-redelivery.ts) and the sender is told it was accepted. Only if
   * storing fails too, or the failure is not one that passes, does the sender get 503.
   */
  private async queueReport(report: PendingReport, signalError: unknown): Promise<DeliveryResult> {
    const { pendingReports, logger } = this.options;
    if (!pendingReports || !isTemporalUnreachable(signalError)) throw unavailable(signalError);
    try {
      await pendingReports.add(report);
    } catch (storeError) {
      logger?.warn({ err: storeError, reminderId: report.reminderId }, 'report could not be queued: MongoDB unavailable too');
      throw unavailable(signalError);
    }
    logger?.warn({ err: signalError, reminderId: report.reminderId, kind: report.kind }, 'report queued: Temporal unavailable');
    return {
      outcome: 'queued',
      reason: 'Temporal is unavailable; the report is stored and will be passed to the reminder when it is back',
    };
  }

  /**
   * The projected state, or undefined while only the workflow knows the reminder (not yet
   * projected, or MongoDB unavailable: Temporal is the source of truth); 404 if neither does.
   */
  private async requireReminder(reminderId: string): Promise<ProgressFacts | undefined> {
    const document = await this.options.reminders.findById(reminderId).catch(() => null);
    if (document) return document;
    try {
      await this.options.temporal.workflow.getHandle(reminderWorkflowId(reminderId)).describe();
      return undefined;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw new NotFoundError(`reminder ${reminderId} not found`);
      throw unavailable(error);
    }
  }

  private async fingerprintOf(reminderId: string): Promise<string | undefined> {
    const document = await this.options.reminders.findById(reminderId);
    if (document) return document.requestFingerprint;
    const snapshot = await this.options.temporal.workflow.getHandle(reminderWorkflowId(reminderId)).query(reminderQuery);
    return snapshot.requestFingerprint;
  }
}

function fingerprint(fields: Omit<CreateReminderRequest, 'id' | 'maxAttempts'>, maxAttempts?: number): string {
  return requestFingerprint({ ...fields, maxAttempts });
}
