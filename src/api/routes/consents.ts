import Router from '@koa/router';
import type { ConsentStore } from '../../store/consents';
import { NotFoundError } from '../errors';
import { requireApiKey } from '../middleware/api-key';
import { parse, phoneSchema } from '../validation';

/** GET /api/consents/:phone (E.164, `+` URL-encoded or not): a number's consent and its history, for operators. */
export function consentRoutes(consents: ConsentStore, apiKeys: string[]): Router {
  const router = new Router({ prefix: '/api/consents' });
  router.use(requireApiKey(apiKeys));

  router.get('/:phone', async (ctx) => {
    const phone = parse(phoneSchema, ctx.params.phone);
    const record = await consents.find(phone);
    if (!record) throw new NotFoundError(`no consent record for ${phone}`);
    ctx.body = record;
  });

  return router;
}
