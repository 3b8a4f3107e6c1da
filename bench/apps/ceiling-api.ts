// Section 1 (a): the real Koa app (createApp: metrics, error mapping, request logging, raw
// body, routes, the same signature verification and validation) configured as the API is,
// but with a ReminderService whose deliverCallEvent returns at once: no MongoDB look-up, no
// Temporal signal. What is left is our HTTP + verification ceiling. Bench only; its own process.
import { loadConfig } from '../../src/config';
import { createApp } from '../../src/api/app';
import type { ReminderService } from '../../src/api/reminder-service';
import { createLogger } from '../../src/observability/logger';
import { createApiMetrics } from '../../src/observability/metrics';

const { config } = loadConfig();
const logger = createLogger({ level: config.logLevel, name: 'api' });
const immediate = {
  deliverCallEvent: () => Promise.resolve({ outcome: 'signalled' as const }),
} as unknown as ReminderService;

const app = createApp({
  logger,
  reminderService: immediate,
  readinessChecks: {},
  apiKeys: config.api.apiKeys,
  webhooks: config.webhooks,
  bodyLimit: config.api.bodyLimit,
  metrics: createApiMetrics(),
});
const server = app.listen(config.api.port, config.api.host, () => logger.info({ port: config.api.port }, 'ceiling API listening'));
process.once('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
