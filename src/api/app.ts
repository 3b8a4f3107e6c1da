import Koa from 'koa';
import type { Logger } from '../observability/logger';
import type { ApiMetrics } from '../observability/metrics';
import type { SeenWebhookIds } from '../store/seen-webhook-ids';
import { errorMapping } from './middleware/error-mapping';
import { rawBody } from './middleware/raw-body';
import { requestLogging } from './middleware/request-logging';
import type { ReminderService } from './reminder-service';
import { healthRoutes, type ReadinessCheck } from './routes/health';
import { reminderRoutes } from './routes/reminders';
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
  for (const router of [
    healthRoutes(dependencies.readinessChecks),
    reminderRoutes(dependencies.reminderService, dependencies.apiKeys),
    webhookRoutes(dependencies.reminderService, dependencies.webhooks, dependencies.logger, dependencies.seenWebhookIds),
  ]) {
    app.use(router.routes()).use(router.allowedMethods());
  }
  return app;
}
