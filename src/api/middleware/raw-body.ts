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

/** The body as JSON; 415 for another content type, 400 when it is not UTF-8 or does not parse. */
export function jsonBody(ctx: { state: { rawBody?: Buffer }; is(type: string): string | false | null }): unknown {
  if (!ctx.is('application/json')) throw new HttpError(415, 'content type must be application/json');
  const text = utf8Text(ctx.state.rawBody);
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'body is not valid JSON');
  }
}

/** The body as form fields (application/x-www-form-urlencoded); 415 for another content type. */
export function formBody(ctx: { state: { rawBody?: Buffer }; is(type: string): string | false | null }): Record<string, string> {
  if (!ctx.is('application/x-www-form-urlencoded')) throw new HttpError(415, 'content type must be application/x-www-form-urlencoded');
  const fields: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(utf8Text(ctx.state.rawBody))) fields[name] = value;
  return fields;
}

// Buffer#toString('utf8') would swap invalid bytes for U+FFFD and let a corrupted name or a
// corrupted signed event through; JSON must be UTF-8 (RFC 8259 §8.1), so such a body is refused.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The body decoded as UTF-8; 400 when its bytes are not UTF-8. */
function utf8Text(body: Buffer | undefined): string {
  try {
    return strictUtf8.decode(body ?? new Uint8Array(0));
  } catch {
    throw new HttpError(400, 'body is not valid UTF-8');
  }
}
