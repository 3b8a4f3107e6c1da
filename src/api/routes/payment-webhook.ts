import Router from '@koa/router';
import type { Logger } from '../../observability/logger';
import type { SeenWebhookIds } from '../../store/seen-webhook-ids';
import { InvalidSignatureError } from '../../webhooks/signature';
import { STANDARD_WEBHOOK_HEADERS, verifyStandardWebhook } from '../../webhooks/standard-webhooks';
import { UnauthorizedError } from '../errors';
import type { InvoiceService } from '../invoice-service';
import { paymentSucceededSchema, paymentWebhookSchema } from '../invoice-validation';
import { jsonBody } from '../middleware/raw-body';
import { parse } from '../validation';

/** The event type that records a payment; every other type is acknowledged and ignored. */
export const PAYMENT_SUCCEEDED = 'payment.succeeded';

/**
 * `POST /api/webhooks/payments`: the payment provider says an invoice was paid, signed with
 * Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature) under one of
 * `secrets`. Verified over the raw bytes before anything is parsed; one webhook-id is
 * processed once, and the payment id makes recording idempotent beyond that.
 *
 *   {"type": "payment.succeeded",
 *    "data": {"invoiceReference": "INV-1001", "paymentId": "pay_123", "amount": 120.5, "paidAt": "2026-12-01T10:00:00Z"}}
 */
export function paymentWebhookRoutes(service: InvoiceService, secrets: string[], logger: Logger, seenWebhookIds?: SeenWebhookIds): Router {
  const router = new Router({ prefix: '/api/webhooks' });

  router.post('/payments', async (ctx) => {
    let webhookId: string;
    try {
      ({ id: webhookId } = verifyStandardWebhook({
        secrets,
        headers: {
          id: ctx.get(STANDARD_WEBHOOK_HEADERS.id),
          timestamp: ctx.get(STANDARD_WEBHOOK_HEADERS.timestamp),
          signature: ctx.get(STANDARD_WEBHOOK_HEADERS.signature),
        },
        body: ctx.state.rawBody ?? Buffer.alloc(0),
      }));
    } catch (error) {
      if (error instanceof InvalidSignatureError) throw new UnauthorizedError(error.message);
      throw error;
    }
    const event = parse(paymentWebhookSchema, jsonBody(ctx));
    if (event.type !== PAYMENT_SUCCEEDED) {
      ctx.body = { received: true, outcome: 'ignored', reason: `event type ${event.type} is not handled` };
      return;
    }
    const data = parse(paymentSucceededSchema, event.data);
    if (seenWebhookIds && !(await seenWebhookIds.firstTime(webhookId))) {
      ctx.body = { received: true, outcome: 'ignored', reason: 'duplicate webhook-id' };
      return;
    }
    let receipt;
    try {
      receipt = await service.recordPayment(
        data.invoiceReference,
        { id: data.paymentId, amount: data.amount, paidAt: data.paidAt },
        'webhook',
      );
    } catch (error) {
      // Not taken: the provider's retry must not be mistaken for a duplicate.
      await seenWebhookIds?.forget(webhookId);
      throw error;
    }
    logger.info({ reference: data.invoiceReference, paymentId: data.paymentId, recorded: receipt.recorded }, 'payment webhook received');
    ctx.body = { received: true, outcome: receipt.recorded ? 'recorded' : 'duplicate', ...receipt };
  });

  return router;
}
