import Router from '@koa/router';
import { isFinalSmsStatus, SMS_DELIVERY_STATUSES, type SmsDeliveryStatus } from '../../domain/reminder';
import type { Logger } from '../../observability/logger';
import type { ConsentStore } from '../../store/consents';
import type { ContactLedger } from '../../store/contact-ledger';
import type { SeenWebhookIds } from '../../store/seen-webhook-ids';
import { InvalidSignatureError, SIGNATURE_HEADER, verifyWebhookSignature } from '../../webhooks/signature';
import { STANDARD_WEBHOOK_HEADERS, verifyStandardWebhook } from '../../webhooks/standard-webhooks';
import { ServiceUnavailableError, UnauthorizedError } from '../errors';
import { jsonBody } from '../middleware/raw-body';
import type { DeliveryResult, ReminderService } from '../reminder-service';
import { callEventSchema, parse, twilioCallbackQuerySchema, twilioStatusSchema, type CallEvent } from '../validation';
import { verifiedTwilioForm } from './twilio-verification';

export interface WebhookSettings {
  /** Shared with the voice agent. */
  secret: string;
  /** Which call-status signatures are accepted (default: the guide's X-Webhook-Signature). */
  signatureScheme?: 'hmac' | 'standard' | 'both';
  /** Standard Webhooks secrets; several at once during a rotation. */
  standardSecrets?: string[];
  /** The Twilio auth token. */
  twilioAuthToken: string;
  /** The origin Twilio called; it signs that URL, which a proxy may hide from us. */
  publicBaseUrl: string;
}

/**
 * Webhooks from the voice agent and Twilio. Each request is verified over its raw bytes
 * before anything is parsed or looked up; a valid event that can decide a reminder becomes a
 * workflow signal.
 */
export function webhookRoutes(
  service: ReminderService,
  settings: WebhookSettings,
  logger: Logger,
  seenWebhookIds?: SeenWebhookIds,
  consents?: ConsentStore,
  contacts?: Pick<ContactLedger, 'markConversation'>,
): Router {
  const router = new Router({ prefix: '/api/webhooks' });

  /** Verifies the call-status signature in the configured scheme(s); returns the Standard Webhooks id if that was used. */
  const verifyCallStatus = (ctx: { state: { rawBody?: Buffer }; get(header: string): string }): string | undefined => {
    const scheme = settings.signatureScheme ?? 'hmac';
    const body = ctx.state.rawBody ?? Buffer.alloc(0);
    try {
      if (scheme === 'standard' || (scheme === 'both' && ctx.get(STANDARD_WEBHOOK_HEADERS.signature))) {
        return verifyStandardWebhook({
          secrets: settings.standardSecrets ?? [settings.secret],
          headers: {
            id: ctx.get(STANDARD_WEBHOOK_HEADERS.id),
            timestamp: ctx.get(STANDARD_WEBHOOK_HEADERS.timestamp),
            signature: ctx.get(STANDARD_WEBHOOK_HEADERS.signature),
          },
          body,
        }).id;
      }
      verifyWebhookSignature(settings.secret, body, ctx.get(SIGNATURE_HEADER) || undefined);
      return undefined;
    } catch (error) {
      if (error instanceof InvalidSignatureError) throw new UnauthorizedError(error.message);
      throw error;
    }
  };

  router.post('/call-status', async (ctx) => {
    const webhookId = verifyCallStatus(ctx);
    const event = parse(callEventSchema, jsonBody(ctx));
    // A Standard Webhooks id is processed once; a retry of a delivery we took gets 200.
    if (webhookId && seenWebhookIds && !(await seenWebhookIds.firstTime(webhookId))) {
      ctx.body = { received: true, outcome: 'ignored', reason: 'duplicate webhook-id' };
      return;
    }
    let result;
    try {
      result =
        event.event_type === 'opt_out_requested'
          ? await recordOptOut(event)
          : await service.deliverCallEvent(event.reminder_id, {
              eventType: event.event_type,
              ...('outcome' in event && event.outcome ? { outcome: event.outcome } : {}),
              ...(event.attempt ? { attempt: event.attempt } : {}),
            });
    } catch (error) {
      // Not taken: the sender's retry must not be mistaken for a duplicate.
      if (webhookId && seenWebhookIds) await seenWebhookIds.forget(webhookId);
      throw error;
    }
    // A queued report is still a conversation that happened: the quiet period starts now.
    const taken = result.outcome === 'signalled' || result.outcome === 'queued';
    if (event.event_type === 'call_completed' && event.outcome.connected && taken) {
      await recordConversation(event.reminder_id, event.attempt);
    }
    logger.info({ reminderId: event.reminder_id, eventType: event.event_type, ...result }, 'call event received');
    answer(ctx, result);
  });

  /**
   * The agent heard the customer ask not to be contacted: their number is opted out (the
   * policy refuses the next contact of every reminder for it). 404 for an unknown reminder.
   */
  const recordOptOut = async (
    event: Extract<CallEvent, { event_type: 'opt_out_requested' }>,
  ): Promise<DeliveryResult | { outcome: 'recorded' }> => {
    if (!consents) throw new ServiceUnavailableError('opt-outs cannot be recorded: no consent store');
    const reminder = await service.get(event.reminder_id);
    const heard = `reminder ${event.reminder_id}${event.attempt ? ` attempt ${event.attempt}` : ''}`;
    await consents.optOut(reminder.customer.phone, { source: 'voice-agent', detail: event.notes ? `${heard}: ${event.notes}` : heard });
    return { outcome: 'recorded' };
  };

  /**
   * A connected call is a conversation about the debt: the policy allows no call for the
   * quiet period after it (Regulation F 1006.14(b)(2)). If this fails the agent retries the
   * event, and the repeated signal is ignored by the workflow.
   */
  const recordConversation = async (reminderId: string, attempt: number | undefined): Promise<void> => {
    if (!contacts) return;
    const reminder = await service.get(reminderId);
    await contacts.markConversation(
      { customerId: reminder.customer.id, reference: reminder.payment.reference },
      reminderId,
      attempt ?? reminder.attempt,
    );
  };

  router.post('/twilio/status', async (ctx) => {
    const fields = verifiedTwilioForm(ctx, settings);
    const callback = parse(twilioStatusSchema, fields);
    const query = parse(twilioCallbackQuerySchema, ctx.query);
    if (!isKnownStatus(callback.MessageStatus)) {
      ctx.body = { received: true, outcome: 'ignored', reason: `status ${callback.MessageStatus} is not tracked` };
      return;
    }
    const reminderId = await service.findReminderIdForMessage(callback.MessageSid, query.reminderId);
    const result = !isFinalSmsStatus(callback.MessageStatus)
      ? await service.acknowledgeInTransit(reminderId, callback.MessageStatus)
      : await service.deliverSmsStatus(reminderId, {
          messageSid: callback.MessageSid,
          messageStatus: callback.MessageStatus,
          ...(callback.ErrorCode ? { errorCode: callback.ErrorCode } : {}),
          ...(query.attempt ? { attempt: query.attempt } : {}),
        });
    logger.info(
      { reminderId, messageSid: callback.MessageSid, messageStatus: callback.MessageStatus, ...result },
      'twilio status received',
    );
    answer(ctx, result);
  });

  return router;
}

/** 202 for a report stored to be signalled later (the sender must not retry it), 200 otherwise. */
function answer(ctx: { status: number; body: unknown }, result: DeliveryResult | { outcome: 'recorded' }): void {
  ctx.status = result.outcome === 'queued' ? 202 : 200;
  ctx.body = { received: true, ...result };
}

function isKnownStatus(status: string): status is SmsDeliveryStatus {
  return (SMS_DELIVERY_STATUSES as readonly string[]).includes(status);
}
