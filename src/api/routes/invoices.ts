import Router from '@koa/router';
import type { PlanBounds } from '../../domain/plan-schedule';
import type { InvoiceService } from '../invoice-service';
import {
  cancelPlanSchema,
  invoiceReferenceSchema,
  listInvoicesSchema,
  pausePlanSchema,
  createInvoiceSchema,
  recordPaymentSchema,
} from '../invoice-validation';
import { requireApiKey } from '../middleware/api-key';
import { jsonBody } from '../middleware/raw-body';
import { parse } from '../validation';

/** The invoices API: create a plan, read and list plans, record payments, pause, resume, cancel. Every route needs a bearer API key. */
export function invoiceRoutes(service: InvoiceService, planBounds: PlanBounds, apiKeys: string[]): Router {
  const router = new Router({ prefix: '/api/invoices' });
  const createSchema = createInvoiceSchema(planBounds);
  router.use(requireApiKey(apiKeys));
  const referenceOf = (params: Record<string, string | undefined>) => parse(invoiceReferenceSchema, params.reference);
  /** An optional JSON body: none at all reads as `{}`. */
  const optionalBody = (ctx: Parameters<typeof jsonBody>[0]) => (ctx.state.rawBody?.length ? jsonBody(ctx) : {});

  router.post('/', async (ctx) => {
    const { invoice, created } = await service.create(parse(createSchema, jsonBody(ctx)));
    ctx.status = created ? 201 : 200;
    ctx.set('location', `/api/invoices/${invoice.reference}`);
    ctx.body = invoice;
  });

  router.get('/', async (ctx) => {
    ctx.body = await service.list(parse(listInvoicesSchema, ctx.query));
  });

  router.get('/:reference', async (ctx) => {
    ctx.body = await service.get(referenceOf(ctx.params));
  });

  router.post('/:reference/payments', async (ctx) => {
    const reference = referenceOf(ctx.params);
    const request = parse(recordPaymentSchema, jsonBody(ctx));
    const receipt = await service.recordPayment(reference, request, 'api', ctx.get('idempotency-key').trim() || undefined);
    ctx.status = receipt.recorded ? 201 : 200;
    ctx.body = receipt;
  });

  router.post('/:reference/pause', async (ctx) => {
    const reference = referenceOf(ctx.params);
    ctx.body = await service.pause(reference, parse(pausePlanSchema, jsonBody(ctx)));
  });

  router.post('/:reference/resume', async (ctx) => {
    ctx.body = await service.resume(referenceOf(ctx.params));
  });

  router.post('/:reference/cancel', async (ctx) => {
    const reference = referenceOf(ctx.params);
    ctx.body = await service.cancel(reference, parse(cancelPlanSchema, optionalBody(ctx)).reason);
  });

  return router;
}
