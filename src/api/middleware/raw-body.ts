import type { Middleware } from 'koa';
import getRawBody from 'raw-body';
import { HttpError } from '../errors';

declare module 'koa' {
  interface DefaultState {
    /** The exact request bytes: signatures are verified over these, never a re-serialization. */
    rawBody?: Buffer;
  }
}

/** Reads the body as bytes with a size limit (413 past it) and keeps them for verification. */
export function rawBody({ limit }: { limit: string }): Middleware {
  return async (ctx, next) => {
    if (ctx.method === 'POST' || ctx.method === 'PUT' || ctx.method === 'PATCH') {
      try {
        ctx.state.rawBody = await getRawBody(ctx.req, { limit, length: ctx.get('content-length') || undefined });
      } catch (error) {
        const { type, status } = error as { type?: string; status?: number };
        if (type === 'entity.too.large') throw new HttpError(413, `request body exceeds ${limit}`);
        throw new HttpError(status && status < 500 ? status : 400, 'could not read the request body');
      }
    }
    await next();
  };
}

/** The body as JSON; 415 for another content type, 400 when it does not parse. */
export function jsonBody(ctx: { state: { rawBody?: Buffer }; is(type: string): string | false | null }): unknown {
  if (!ctx.is('application/json')) throw new HttpError(415, 'content type must be application/json');
  try {
    return JSON.parse(ctx.state.rawBody?.toString('utf8') ?? '');
  } catch {
    throw new HttpError(400, 'body is not valid JSON');
  }
}

/** The body as form fields (application/x-www-form-urlencoded); 415 for another content type. */
export function formBody(ctx: { state: { rawBody?: Buffer }; is(type: string): string | false | null }): Record<string, string> {
  if (!ctx.is('application/x-www-form-urlencoded')) throw new HttpError(415, 'content type must be application/x-www-form-urlencoded');
  const fields: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(ctx.state.rawBody?.toString('utf8') ?? '')) fields[name] = value;
  return fields;
}
