import Koa from 'koa';
import type { PlanBounds } from '../domain/plan-schedule';
import type { Logger } from '../observability/logger';
import type { ApiMetrics } from '../observability/metrics';
import type { ConsentStore } from '../store/consents';
import type { ContactLedger } from '../store/contact-ledger';
import type { ReminderStore } from '../store/reminder-store';
import type { SeenWebhookIds } from '../store/seen-webhook-ids';
import { errorMapping } from './middleware/error-mapping';
import { rawBody } from './middleware/raw-body';
import { requestLogging } from './middleware/request-logging';
import type { InvoiceService } from './invoice-service';
import type { ReminderService } from './reminder-service';
import { consentRoutes } from './routes/consents';
import { customerRoutes } from './routes/customers';
import { healthRoutes, type ReadinessCheck } from './routes/health';
import { invoiceRoutes } from './routes/invoices';
import { paymentWebhookRoutes } from './routes/payment-webhook';
import { reminderRoutes } from './routes/reminders';
import { twilioInboundRoutes } from './routes/twilio-inbound';
import { webhookRoutes, type WebhookSettings } from './routes/webhooks';

export interface AppDependencies {
  logger: Logger;
  reminderService: ReminderService;
  readinessChecks: Record<string, ReadinessCheck>;
  apiKeys: string[];
  webhooks: WebhookSettings;
  bodyLimit: string;
  /** Prometheus metrics served on GET /metrics. */
  metrics?: ApiMetrics;
  /** Remembers Standard Webhooks ids so one delivery is processed once. */
  seenWebhookIds?: SeenWebhookIds;
  /** Consent per phone number: the inbound SMS webhook, opt_out_requested and GET /api/consents/:phone need it. */
  consents?: ConsentStore;
  /** The contacts per debt: GET /api/customers/:id/contacts. */
  contacts?: ContactLedger;
  /** The projection, for the inbound SMS webhook to keep texts on open reminders. */
  reminders?: ReminderStore;
  /** Invoice plans: /api/invoices and the payment webhook, signed with `webhookSecrets` (Standard Webhooks). */
  invoices?: { service: InvoiceService; planBounds: PlanBounds; webhookSecrets: string[] };
}

/**
 * The Koa app: metrics → error mapping → request id and logging → raw body with a size limit →
 * routes (each verifies, validates, then acts). Never listens; src/api/main.ts does.
 */
export function createApp(dependencies: AppDependencies): Koa {
  const app = new Koa();
  const { metrics } = dependencies;
  if (metrics) app.use(metrics.middleware);
  app.use(errorMapping(dependencies.logger));
  app.use(requestLogging(dependencies.logger));
  if (metrics) {
    app.use(async (ctx, next) => {
      if (ctx.method !== 'GET' || ctx.path !== '/metrics') {
        await next();
        return;
      }
      ctx.type = metrics.registry.contentType;
      ctx.body = await metrics.registry.metrics();
    });
  }
  app.use(rawBody({ limit: dependencies.bodyLimit }));
  const { consents, contacts, reminders, invoices, apiKeys, logger } = dependencies;
  for (const router of [
    healthRoutes(dependencies.readinessChecks),
    reminderRoutes(dependencies.reminderService, apiKeys),
    webhookRoutes(dependencies.reminderService, dependencies.webhooks, logger, dependencies.seenWebhookIds, consents, contacts),
    // Apps built without a database (bench, failure tests) leave these out.
    ...(consents && reminders ? [twilioInboundRoutes({ consents, reminders, settings: dependencies.webhooks, logger })] : []),
    ...(consents ? [consentRoutes(consents, apiKeys)] : []),
    ...(contacts ? [customerRoutes(contacts, apiKeys)] : []),
    ...(invoices
      ? [
          invoiceRoutes(invoices.service, invoices.planBounds, apiKeys),
          paymentWebhookRoutes(invoices.service, invoices.webhookSecrets, logger, dependencies.seenWebhookIds),
        ]
      : []),
  ]) {
    app.use(router.routes()).use(router.allowedMethods());
  }
  return app;
}
