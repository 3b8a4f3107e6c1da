import type { Middleware } from 'koa';
import type { Logger } from '../../observability/logger';
import { HttpError } from '../errors';

/**
 * First in the chain: every error becomes a JSON response with a clear status and message.
 * Errors we did not anticipate are 500s with a generic message (details stay in the log).
 */
export function errorMapping(logger: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        ctx.status = 404;
        ctx.body = { error: `no route for ${ctx.method} ${ctx.path}` };
      }
    } catch (caught) {
      const error = caught as Error & { status?: number; expose?: boolean; details?: Record<string, unknown> };
      const status = error instanceof HttpError ? error.status : (error.status ?? 500);
      const exposed = error instanceof HttpError || (error.expose === true && status < 500);
      ctx.status = status;
      ctx.body = { error: exposed ? error.message : 'internal error', ...(error instanceof HttpError ? error.details : {}) };
      if (status >= 500) logger.error({ err: error, path: ctx.path, requestId: ctx.state.requestId }, 'request failed');
      else logger.info({ status, path: ctx.path, reason: error.message, requestId: ctx.state.requestId }, 'request rejected');
    }
  };
}
