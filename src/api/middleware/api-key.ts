import { timingSafeEqual, createHash } from 'node:crypto';
import type { Middleware } from 'koa';
import { UnauthorizedError } from '../errors';

/** `Authorization: Bearer <key>` with any configured key; compared in constant time. */
export function requireApiKey(apiKeys: string[]): Middleware {
  const digests = apiKeys.map(digest);
  return async (ctx, next) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(ctx.get('authorization'));
    if (!match) throw new UnauthorizedError('missing bearer API key');
    const given = digest(match[1]!);
    if (!digests.some((known) => timingSafeEqual(known, given))) throw new UnauthorizedError('invalid API key');
    await next();
  };
}

const digest = (key: string) => createHash('sha256').update(key).digest();
