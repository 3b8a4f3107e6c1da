import 'dotenv/config';
import { Client, Connection } from '@temporalio/client';
import { configureService } from '../config/startup';
import { createApiMetrics } from '../observability/metrics';
import { ConsentStore } from '../store/consents';
import { ContactLedger } from '../store/contact-ledger';
import { InvoiceStore } from '../store/invoices';
import { PendingReports } from '../store/pending-reports';
import { SeenWebhookIds } from '../store/seen-webhook-ids';
import { connectMongo } from '../store/mongo';
import { ReminderStore } from '../store/reminder-store';
import { temporalConnectionOptions } from '../temporal/connection-options';
import { createApp } from './app';
import { InvoiceService } from './invoice-service';
import { ReminderService } from './reminder-service';
import { ReportRedelivery } from './report-redelivery';

async function main(): Promise<void> {
  const { config, logger } = configureService('api');

  const mongo = await connectMongo(config.mongodbUri);
  const connection = await Connection.connect(temporalConnectionOptions(config.temporal));
  const temporal = new Client({ connection, namespace: config.temporal.namespace });
  // The worker owns the collection's indexes (the API only inserts new reminders into it).
  const reminders = new ReminderStore(mongo.db());
  const seenWebhookIds = new SeenWebhookIds(mongo.db());
  // Ids older than twice the 5-minute tolerance can no longer be replayed (their timestamp is refused).
  const forgetOldIds = setInterval(() => {
    seenWebhookIds
      .forgetOlderThan(new Date(Date.now() - 10 * 60_000))
      .catch((error: unknown) => logger.warn({ err: error }, 'could not prune webhook ids'));
  }, 60_000);
  forgetOldIds.unref();

  const timings = {
    responseTimeout: config.reminders.responseTimeout,
    maxCallDuration: config.reminders.maxCallDuration,
    retryBackoff: config.reminders.retryBackoff,
  };
  const pendingReports = new PendingReports(mongo.db());
  const reminderService = new ReminderService({
    temporal,
    reminders,
    taskQueue: config.temporal.taskQueue,
    timings,
    defaultMaxAttempts: config.reminders.defaultMaxAttempts,
    pendingReports,
    logger,
  });
  // Webhook reports stored while Temporal was unreachable; every instance runs one (they claim).
  const redelivery = new ReportRedelivery({
    reports: pendingReports,
    service: reminderService,
    intervalMs: config.api.reportRedeliveryIntervalMs,
    logger,
  });
  redelivery.start();
  const app = createApp({
    logger,
    reminderService,
    invoices: {
      service: new InvoiceService({
        temporal,
        // The worker owns this store's indexes too.
        invoices: new InvoiceStore(mongo.db()),
        reminders,
        taskQueue: config.temporal.taskQueue,
        plans: config.invoices,
        reminderDefaults: { maxAttempts: config.reminders.defaultMaxAttempts, timings },
        logger,
      }),
      planBounds: config.invoices.planBounds,
      webhookSecrets: config.webhooks.paymentSecrets,
    },
    readinessChecks: {
      // A deadline, or the client would keep retrying long after /readyz answered.
      temporal: () =>
        connection.withDeadline(Date.now() + 2_000, async () => {
          await connection.workflowService.getSystemInfo({});
        }),
      mongodb: async () => {
        await mongo.db().command({ ping: 1 });
      },
    },
    apiKeys: config.api.apiKeys,
    webhooks: config.webhooks,
    bodyLimit: config.api.bodyLimit,
    metrics: createApiMetrics(),
    seenWebhookIds,
    consents: new ConsentStore(mongo.db()),
    contacts: new ContactLedger(mongo.db()),
    reminders,
  });

  const server = app.listen(config.api.port, config.api.host, () => {
    logger.info({ url: `http://${config.api.host}:${config.api.port}`, publicBaseUrl: config.webhooks.publicBaseUrl }, 'API listening');
  });
  const shutdown = () => {
    logger.info('API shutting down');
    server.close(() => {
      void redelivery
        .stop()
        .then(() => Promise.all([connection.close(), mongo.close()]))
        .finally(() => process.exit(0));
    });
    setTimeout(() => process.exit(0), 5_000).unref();
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
