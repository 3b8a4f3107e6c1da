import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import type { Logger } from '../../observability/logger';

/** Gives every request an id (honouring X-Request-Id) and logs one line when it ends. */
export function requestLogging(logger: Logger): Middleware {
  return async (ctx, next) => {
    const requestId = ctx.get('x-request-id') || randomUUID();
    ctx.state.requestId = requestId;
    ctx.set('x-request-id', requestId);
    const startedAt = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const durationMs = Number(process.hrtime.bigint() - startedAt) / 1e6;
      logger.debug({ requestId, method: ctx.method, path: ctx.path, status: ctx.status, durationMs }, 'request');
    }
  };
}
