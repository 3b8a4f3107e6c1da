// Section 1 (c): the old design, minimal: a Koa handler that reads the raw body, verifies
// X-Webhook-Signature (the same src/webhooks/signature.ts), parses the event and writes the
// status straight to MongoDB with one updateOne. No workflow, no look-up, no status machine.
// It logs one line per event, as the real handler does. Bench only; its own process.
import Koa from 'koa';
import getRawBody from 'raw-body';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/observability/logger';
import { connectMongo } from '../../src/store/mongo';
import { InvalidSignatureError, SIGNATURE_HEADER, verifyWebhookSignature } from '../../src/webhooks/signature';

const STATUS_BY_EVENT: Record<string, string> = { call_answered: 'processing', call_completed: 'completed', call_failed: 'failed' };

async function main(): Promise<void> {
  const { config } = loadConfig();
  const logger = createLogger({ level: config.logLevel, name: 'old-design' });
  const mongo = await connectMongo(config.mongodbUri);
  const reminders = mongo.db().collection<{ _id: string; status: string; updatedAt: Date }>('reminders');

  const app = new Koa();
  app.use(async (ctx) => {
    if (ctx.method !== 'POST' || ctx.path !== '/api/webhooks/call-status') {
      ctx.status = 404;
      return;
    }
    const body = await getRawBody(ctx.req, { limit: config.api.bodyLimit });
    try {
      verifyWebhookSignature(config.webhooks.secret, body, ctx.get(SIGNATURE_HEADER) || undefined);
    } catch (error) {
      if (!(error instanceof InvalidSignatureError)) throw error;
      ctx.status = 401;
      ctx.body = { error: error.message };
      return;
    }
    const event = JSON.parse(body.toString('utf8')) as { reminder_id: string; event_type: string };
    const status = STATUS_BY_EVENT[event.event_type];
    if (!status) {
      ctx.status = 400;
      ctx.body = { error: 'unknown event' };
      return;
    }
    const result = await reminders.updateOne({ _id: event.reminder_id }, { $set: { status, updatedAt: new Date() } });
    if (result.matchedCount === 0) {
      ctx.status = 404;
      ctx.body = { error: 'unknown reminder' };
      return;
    }
    logger.info({ reminderId: event.reminder_id, eventType: event.event_type }, 'call event received');
    ctx.body = { received: true };
  });
  const server = app.listen(config.api.port, config.api.host, () => logger.info({ port: config.api.port }, 'old-design API listening'));
  process.once('SIGTERM', () => {
    server.closeAllConnections();
    server.close(() => void mongo.close().finally(() => process.exit(0)));
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
