import Router from '@koa/router';
import type { ContactLedger } from '../../store/contact-ledger';
import { requireApiKey } from '../middleware/api-key';
import { customerContactsQuerySchema, customerIdSchema, parse } from '../validation';

/** GET /api/customers/:id/contacts: every contact made, deferred or refused for the customer's debts, newest first. */
export function customerRoutes(contacts: ContactLedger, apiKeys: string[]): Router {
  const router = new Router({ prefix: '/api/customers' });
  router.use(requireApiKey(apiKeys));

  router.get('/:id/contacts', async (ctx) => {
    const customerId = parse(customerIdSchema, ctx.params.id);
    const { limit } = parse(customerContactsQuerySchema, ctx.query);
    ctx.body = { customerId, items: await contacts.forCustomer(customerId, limit) };
  });

  return router;
}
