import Router from '@koa/router';
import { requireApiKey } from '../middleware/api-key';
import { jsonBody } from '../middleware/raw-body';
import type { ReminderService } from '../reminder-service';
import { createReminderSchema, listRemindersSchema, parse, reminderIdSchema } from '../validation';

/** The reminders API: create, read, list, cancel. Every route needs a bearer API key. */
export function reminderRoutes(service: ReminderService, apiKeys: string[]): Router {
  const router = new Router({ prefix: '/api/reminders' });
  router.use(requireApiKey(apiKeys));

  router.post('/', async (ctx) => {
    const request = parse(createReminderSchema, jsonBody(ctx));
    const idempotencyKey = ctx.get('idempotency-key').trim() || undefined;
    const { reminder, created } = await service.create(request, idempotencyKey);
    ctx.status = created ? 201 : 200;
    ctx.set('location', `/api/reminders/${reminder.reminderId}`);
    ctx.body = reminder;
  });

  router.get('/', async (ctx) => {
    const query = parse(listRemindersSchema, ctx.query);
    ctx.body = await service.list(query);
  });

  router.get('/:id', async (ctx) => {
    ctx.body = await service.get(parse(reminderIdSchema, ctx.params.id));
  });

  router.post('/:id/cancel', async (ctx) => {
    const id = parse(reminderIdSchema, ctx.params.id);
    const body = ctx.state.rawBody?.length ? (jsonBody(ctx) as { reason?: unknown }) : {};
    const reason = typeof body?.reason === 'string' ? body.reason.slice(0, 500) : undefined;
    ctx.body = await service.cancel(id, reason);
  });

  return router;
}
