import 'dotenv/config';
import { DefaultLogger, NativeConnection, Runtime, type LogLevel } from '@temporalio/worker';
import { createActivities } from '../activities';
import { SendLedger } from '../store/send-ledger';
import { createAgentDispatchClient, createRoomServiceClient } from '../channels/livekit-client';
import { createTwilioClient } from '../channels/twilio-client';
import { configureService } from '../config/startup';
import { ConsentStore } from '../store/consents';
import { ContactLedger } from '../store/contact-ledger';
import { InvoiceStore } from '../store/invoices';
import { connectMongo } from '../store/mongo';
import { ReminderStore } from '../store/reminder-store';
import { temporalConnectionOptions } from '../temporal/connection-options';
import { createReminderWorker } from './create-worker';

async function main(): Promise<void> {
  const { config, logger } = configureService('worker');

  // The SDK's own logs (worker, workflow logger, activity logger) go through pino as JSON.
  const sdkLogger = logger.child({ component: 'temporal-sdk' });
  Runtime.install({
    logger: new DefaultLogger(config.logLevel === 'debug' || config.logLevel === 'trace' ? 'DEBUG' : 'INFO', (entry) => {
      const level = entry.level.toLowerCase() as Lowercase<LogLevel>;
      sdkLogger[level](entry.meta ?? {}, entry.message);
    }),
    telemetryOptions:
      config.workerMetricsPort === undefined
        ? undefined
        : { metrics: { prometheus: { bindAddress: `127.0.0.1:${config.workerMetricsPort}` } } },
  });

  const mongo = await connectMongo(config.mongodbUri);
  const connection = await NativeConnection.connect(temporalConnectionOptions(config.temporal));
  try {
    const db = mongo.db();
    const reminders = new ReminderStore(db);
    await reminders.ensureIndexes();
    const contacts = new ContactLedger(db);
    await contacts.ensureIndexes();
    const invoices = new InvoiceStore(db);
    await invoices.ensureIndexes();
    const worker = await createReminderWorker({
      connection,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      maxCachedWorkflows: config.workerMaxCachedWorkflows,
      ...(config.workerWorkflowBundle ? { workflowBundle: { codePath: config.workerWorkflowBundle } } : {}),
      activities: createActivities({
        reminders,
        ledger: new SendLedger(db),
        twilio: createTwilioClient(config.twilio),
        fromNumber: config.twilio.fromNumber,
        publicBaseUrl: config.webhooks.publicBaseUrl,
        dispatcher: createAgentDispatchClient(config.livekit),
        rooms: createRoomServiceClient(config.livekit),
        agentName: config.livekit.agentName,
        agentWebhookUrl: config.webhooks.agentWebhookUrl,
        consents: new ConsentStore(db),
        contacts,
        invoices,
        contactProfile: config.contactProfile,
        contactWindow: config.contactWindow,
        contactPolicyChecks: config.contactPolicyChecks,
      }),
    });
    logger.info(
      {
        taskQueue: config.temporal.taskQueue,
        temporal: config.temporal.address,
        maxCachedWorkflows: worker.options.maxCachedWorkflows,
        contactPolicyChecks: config.contactPolicyChecks,
      },
      'worker started',
    );
    await worker.run(); // returns after SIGINT / SIGTERM, once in-flight tasks are done
  } finally {
    await connection.close();
    await mongo.close();
    logger.info('worker stopped');
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
