import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, type Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { MongoClient, type Db } from 'mongodb';
import pino from 'pino';
import { createActivities } from '../../src/activities';
import { SendLedger } from '../../src/store/send-ledger';
import type { ReminderActivities } from '../../src/activities';
import { createApp } from '../../src/api/app';
import { InvoiceService } from '../../src/api/invoice-service';
import { ReminderService } from '../../src/api/reminder-service';
import { loadConfig } from '../../src/config/load-config';
import type { InvoicePlanSettings } from '../../src/config/invoice-plans';
import { createAgentDispatchClient, createRoomServiceClient } from '../../src/channels/livekit-client';
import { createTwilioClient } from '../../src/channels/twilio-client';
import { createApiMetrics } from '../../src/observability/metrics';
import type { WebhookSettings } from '../../src/api/routes/webhooks';
import { ConsentStore } from '../../src/store/consents';
import { ContactLedger } from '../../src/store/contact-ledger';
import { InvoiceStore } from '../../src/store/invoices';
import { SeenWebhookIds } from '../../src/store/seen-webhook-ids';
import { ReminderStore } from '../../src/store/reminder-store';
import type { ReminderTimings } from '../../src/workflows/definitions';
import { createReminderWorker } from '../../src/worker/create-worker';
import { startTwilioStandIn, type TwilioStandIn } from '../../dev/standins/twilio-standin';
import { startVoiceAgent } from '../../dev/standins/voice-agent';
import type { ReminderView } from './api-bodies';
import { testStack, uniqueTaskQueue } from './stack';

export const TEST_SECRETS = {
  apiKey: 'test-api-key',
  webhookSecret: 'test-webhook-secret-0123456789',
  twilioAccountSid: 'ACtestaccount',
  twilioAuthToken: 'test-twilio-auth-token',
  fromNumber: '+15005550006',
  agentName: 'test-agent',
  /** What the payment provider signs POST /api/webhooks/payments with (Standard Webhooks). */
  paymentWebhookSecret: 'whsec_cGF5bWVudC13ZWJob29rLXRlc3Qtc2VjcmV0',
};

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/** Bundling takes seconds, so each test file does it once. */
export const workflowBundle = () =>
  (bundle ??= bundleWorkflowCode({ workflowsPath: require.resolve('../../src/workflows'), logger: silentBundlerLogger }));
const silentBundlerLogger = { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} } as never;

export interface HarnessOptions {
  /** Defaults to the shared dev server; pass the time-skipping environment's connections to skip time. */
  temporal?: { client: Client; nativeConnection: NativeConnection };
  timings?: Partial<ReminderTimings>;
  /** Run the voice agent on its own agent name: the real Python agent, whose stand-ins play the callee and the model by the call scripts. */
  simulatedAgent?: boolean;
  /** Override webhook settings (e.g. the signature scheme). */
  webhooks?: Partial<WebhookSettings>;
  /** Wrap or replace activities (e.g. to inject a crash after a send). */
  activities?: (real: ReminderActivities) => ReminderActivities;
  /** The contact policy's profile; `development` (any hour, no caps) unless a test is about the policy. */
  contactProfile?: string;
  /** Invoice plan settings over the config's defaults (the default plan, step time, promise grace, bounds). */
  invoicePlans?: Partial<InvoicePlanSettings>;
}

/**
 * The whole service in one test process, on real parts: the Koa API on a real port, a real
 * worker on its own task queue, FerretDB through the mongodb driver, the real twilio client
 * talking to the Twilio stand-in (the only fake, at the network edge).
 */
export class ReminderHarness {
  private constructor(
    readonly baseUrl: string,
    readonly client: Client,
    readonly store: ReminderStore,
    readonly ledger: SendLedger,
    readonly db: Db,
    readonly twilio: TwilioStandIn,
    readonly worker: Worker,
    readonly consents: ConsentStore,
    readonly contacts: ContactLedger,
    readonly invoices: InvoiceStore,
    private readonly cleanups: (() => Promise<unknown>)[],
    private readonly running: Promise<void>,
  ) {}

  static async start(options: HarnessOptions = {}): Promise<ReminderHarness> {
    const stack = testStack();
    const cleanups: (() => Promise<unknown>)[] = [];
    const mongo = await MongoClient.connect(stack.mongodbUri('reminders'), { retryWrites: false });
    cleanups.push(() => mongo.close());
    const db = mongo.db();
    const store = new ReminderStore(db);
    await store.ensureIndexes();
    const ledger = new SendLedger(db);
    const consents = new ConsentStore(db);
    const contacts = new ContactLedger(db);
    await contacts.ensureIndexes();
    const invoices = new InvoiceStore(db);
    await invoices.ensureIndexes();

    let client: Client;
    let nativeConnection: NativeConnection;
    if (options.temporal) {
      ({ client, nativeConnection } = options.temporal);
    } else {
      const connection = await Connection.connect({ address: stack.temporalAddress });
      nativeConnection = await NativeConnection.connect({ address: stack.temporalAddress });
      cleanups.push(
        () => connection.close(),
        () => nativeConnection.close(),
      );
      client = new Client({ connection });
    }

    const taskQueue = uniqueTaskQueue('reminders');
    const timings: ReminderTimings = {
      responseTimeout: '10 minutes',
      maxCallDuration: '30 minutes',
      retryBackoff: '15 minutes',
      ...options.timings,
    };
    const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
    const service = new ReminderService({ temporal: client, reminders: store, taskQueue, timings, defaultMaxAttempts: 3 });
    const plans = { ...loadConfig({}).config.invoices, ...options.invoicePlans };
    const invoiceService = new InvoiceService({
      temporal: client,
      invoices,
      reminders: store,
      taskQueue,
      plans,
      reminderDefaults: { maxAttempts: 3, timings },
    });

    // The API listens first: its URL is the public base URL Twilio and the agent call back.
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const app = createApp({
      logger,
      reminderService: service,
      readinessChecks: {},
      apiKeys: [TEST_SECRETS.apiKey],
      webhooks: {
        secret: TEST_SECRETS.webhookSecret,
        twilioAuthToken: TEST_SECRETS.twilioAuthToken,
        publicBaseUrl: baseUrl,
        ...options.webhooks,
      },
      bodyLimit: '16kb',
      metrics: createApiMetrics(),
      seenWebhookIds: new SeenWebhookIds(db),
      consents,
      contacts,
      reminders: store,
      invoices: { service: invoiceService, planBounds: plans.planBounds, webhookSecrets: [TEST_SECRETS.paymentWebhookSecret] },
    });
    server.on('request', app.callback());

    const twilio = await startTwilioStandIn({ accountSid: TEST_SECRETS.twilioAccountSid, authToken: TEST_SECRETS.twilioAuthToken });
    cleanups.unshift(
      () => twilio.close(),
      () =>
        new Promise((resolve) => {
          server.closeAllConnections();
          server.close(resolve);
        }),
    );

    const livekit = { ...stack.livekit, agentName: `${TEST_SECRETS.agentName}-${taskQueue.slice(-8)}` };
    if (options.simulatedAgent) {
      const agent = await startVoiceAgent({
        livekitUrl: livekit.url,
        apiKey: livekit.apiKey,
        apiSecret: livekit.apiSecret,
        agentName: livekit.agentName,
        webhookSecret: TEST_SECRETS.webhookSecret,
        webhookUrl: `${baseUrl}/api/webhooks/call-status`,
        logFile: path.join(os.tmpdir(), `payment-reminders-voice-agent-${taskQueue.slice(-8)}.log`),
      });
      cleanups.unshift(() => agent.stop());
    }
    const real = createActivities({
      reminders: store,
      invoices,
      ledger,
      twilio: createTwilioClient({
        accountSid: TEST_SECRETS.twilioAccountSid,
        authToken: TEST_SECRETS.twilioAuthToken,
        fromNumber: TEST_SECRETS.fromNumber,
        apiBaseUrl: twilio.url,
      }),
      fromNumber: TEST_SECRETS.fromNumber,
      publicBaseUrl: baseUrl,
      dispatcher: createAgentDispatchClient(livekit),
      rooms: createRoomServiceClient(livekit),
      agentName: livekit.agentName,
      agentWebhookUrl: `${baseUrl}/api/webhooks/call-status`,
      consents,
      contacts,
      contactProfile: options.contactProfile ?? 'development',
    });
    const worker = await createReminderWorker({
      connection: nativeConnection,
      namespace: 'default',
      taskQueue,
      activities: options.activities ? options.activities(real) : real,
      workflowBundle: await workflowBundle(),
    });
    const running = worker.run();
    return new ReminderHarness(baseUrl, client, store, ledger, db, twilio, worker, consents, contacts, invoices, cleanups, running);
  }

  /**
   * Calls the API with the test key as JSON. `Body` names what the caller expects the route to
   * answer (a reminder unless it says otherwise); the JSON is not checked against it, so read
   * an error body as `ErrorBody`. An empty response body is `undefined`.
   */
  async api<Body = ReminderView>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: Body }> {
    const response = await fetch(this.baseUrl + path, {
      method,
      headers: {
        authorization: `Bearer ${TEST_SECRETS.apiKey}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as Body };
  }

  /** Polls the projection until `predicate` holds (the workflow writes it asynchronously). */
  async waitForReminder(reminderId: string, predicate: (reminder: ReminderView) => boolean, timeoutMs = 30_000): Promise<ReminderView> {
    const deadline = Date.now() + timeoutMs;
    let last: ReminderView | undefined;
    while (Date.now() < deadline) {
      const { status, body } = await this.api('GET', `/api/reminders/${reminderId}`);
      if (status === 200) {
        last = body;
        if (predicate(body)) return body;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`reminder ${reminderId} did not reach the expected state; last: ${JSON.stringify(last)}`);
  }

  async stop(): Promise<void> {
    this.worker.shutdown();
    await this.running;
    for (const cleanup of this.cleanups) await cleanup();
  }
}

export function reminderRequest(overrides: Record<string, unknown> = {}) {
  return {
    channel: 'sms',
    customer: { id: 'cust-42', name: 'Ada Lovelace', phone: '+14155550123', timezone: 'Europe/London' },
    payment: { amount: 120.5, currency: 'USD', dueDate: '2026-12-01', reference: 'INV-1001' },
    ...overrides,
  };
}
