import type { Middleware } from 'koa';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The API's own Prometheus metrics (the worker's come from the Temporal SDK runtime). */
export function createApiMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'API request latency by route and status code',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const webhooks = new Counter({
    name: 'webhooks_received_total',
    help: 'Webhooks by route, outcome (signalled, acknowledged, ignored, rejected) and status code',
    labelNames: ['route', 'outcome', 'status'] as const,
    registers: [registry],
  });
  const remindersCreated = new Counter({
    name: 'reminders_created_total',
    help: 'Reminders created through the API, by channel',
    labelNames: ['channel'] as const,
    registers: [registry],
  });

  /** Times every request under its route template (never the raw path, which holds ids). */
  const middleware: Middleware = async (ctx, next) => {
    const stop = requests.startTimer({ method: ctx.method });
    try {
      await next();
    } finally {
      const route = (ctx as { routerPath?: string }).routerPath ?? (ctx.status === 404 ? 'unmatched' : ctx.path);
      stop({ route, status: String(ctx.status) });
      if (route.startsWith('/api/webhooks/')) {
        const outcome = ctx.status >= 400 ? 'rejected' : ((ctx.body as { outcome?: string } | undefined)?.outcome ?? 'accepted');
        webhooks.inc({ route, outcome, status: String(ctx.status) });
      }
      if (route === '/api/reminders' && ctx.method === 'POST' && ctx.status === 201) {
        remindersCreated.inc({ channel: (ctx.body as { channel?: string }).channel ?? 'unknown' });
      }
    }
  };

  return { registry, middleware };
}

export type ApiMetrics = ReturnType<typeof createApiMetrics>;
