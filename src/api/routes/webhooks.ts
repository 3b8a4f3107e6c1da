import Router from '@koa/router';
import twilio from 'twilio';
import { SMS_DELIVERY_STATUSES, type SmsDeliveryStatus } from '../../domain/reminder';
import type { Logger } from '../../observability/logger';
import { InvalidSignatureError, SIGNATURE_HEADER, verifyWebhookSignature } from '../../webhooks/signature';
import { UnauthorizedError } from '../errors';
import { formBody, jsonBody } from '../middleware/raw-body';
import type { ReminderService } from '../reminder-service';
import { callEventSchema, parse, twilioCallbackQuerySchema, twilioStatusSchema } from '../validation';

export interface WebhookSettings {
  /** Shared with the voice agent. */
  secret: string;
  /** The Twilio auth token. */
  twilioAuthToken: string;
  /** The origin Twilio called; it signs that URL, which a proxy may hide from us. */
  publicBaseUrl: string;
}

/**
 * Webhooks from the voice agent and Twilio. Each request is verified over its raw bytes
 * before anything is parsed or looked up; a valid event becomes a workflow signal.
 */
export function webhookRoutes(service: ReminderService, settings: WebhookSettings, logger: Logger): Router {
  const router = new Router({ prefix: '/api/webhooks' });

  router.post('/call-status', async (ctx) => {
    try {
      verifyWebhookSignature(settings.secret, ctx.state.rawBody ?? Buffer.alloc(0), ctx.get(SIGNATURE_HEADER) || undefined);
    } catch (error) {
      if (error instanceof InvalidSignatureError) throw new UnauthorizedError(error.message);
      throw error;
    }
    const event = parse(callEventSchema, jsonBody(ctx));
    const result = await service.deliverCallEvent(event.reminder_id, {
      eventType: event.event_type,
      ...('outcome' in event && event.outcome ? { outcome: event.outcome } : {}),
      ...(event.attempt ? { attempt: event.attempt } : {}),
    });
    logger.info({ reminderId: event.reminder_id, eventType: event.event_type, ...result }, 'call event received');
    ctx.body = { received: true, ...result };
  });

  router.post('/twilio/status', async (ctx) => {
    const fields = formBody(ctx);
    const url = settings.publicBaseUrl + ctx.originalUrl;
    if (!twilio.validateRequest(settings.twilioAuthToken, ctx.get('x-twilio-signature'), url, fields)) {
      throw new UnauthorizedError('invalid X-Twilio-Signature');
    }
    const callback = parse(twilioStatusSchema, fields);
    const query = parse(twilioCallbackQuerySchema, ctx.query);
    if (!isKnownStatus(callback.MessageStatus)) {
      ctx.body = { received: true, outcome: 'ignored', reason: `status ${callback.MessageStatus} is not tracked` };
      return;
    }
    const reminderId = await service.findReminderIdForMessage(callback.MessageSid, query.reminderId);
    const result = await service.deliverSmsStatus(reminderId, {
      messageSid: callback.MessageSid,
      messageStatus: callback.MessageStatus,
      ...(callback.ErrorCode ? { errorCode: callback.ErrorCode } : {}),
      ...(query.attempt ? { attempt: query.attempt } : {}),
    });
    logger.info({ reminderId, messageSid: callback.MessageSid, messageStatus: callback.MessageStatus, ...result }, 'twilio status received');
    ctx.body = { received: true, ...result };
  });

  return router;
}

function isKnownStatus(status: string): status is SmsDeliveryStatus {
  return (SMS_DELIVERY_STATUSES as readonly string[]).includes(status);
}
