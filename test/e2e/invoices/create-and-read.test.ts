import { invoiceQuery, invoiceWorkflowId } from '../../../src/workflows/invoice-definitions';
import type { ErrorBody } from '../../support/api-bodies';
import { invoiceRequest, newReference, type InvoiceList, type InvoiceView } from '../../support/invoice-bodies';
import { ReminderHarness } from '../../support/reminder-harness';

describe('POST /api/invoices and reading plans', () => {
  let harness: ReminderHarness;
  const started: string[] = [];
  beforeAll(async () => {
    harness = await ReminderHarness.start();
  });
  afterAll(async () => {
    for (const reference of started) await harness?.api('POST', `/api/invoices/${reference}/cancel`);
    await harness?.stop();
  });
  const create = async (body: Record<string, unknown>) => {
    const response = await harness.api<InvoiceView>('POST', '/api/invoices', body);
    if (response.status === 201) started.push(response.body.reference);
    return response;
  };

  it('requires a bearer API key', async () => {
    expect((await fetch(`${harness.baseUrl}/api/invoices`)).status).toBe(401);
    expect((await fetch(`${harness.baseUrl}/api/invoices/INV-1`)).status).toBe(401);
  });

  it('starts one plan per invoice with the default plan at 10:00 in the customer’s zone, recorded before it starts', async () => {
    const body = invoiceRequest();
    const created = await create(body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      reference: body.reference,
      workflowId: `invoice-${body.reference}`,
      status: 'open',
      outstanding: 120.5,
    });
    // 2030-03-10 is the day New York springs forward: 10:00 EDT before it is 10:00 EST.
    expect(created.body.plan.map((step) => [step.number, step.at, step.channel, step.fallback, step.scheduledAt])).toEqual([
      [1, '-3d', 'sms', undefined, '2030-03-07T15:00:00.000Z'],
      [2, '0d', 'call', 'sms', '2030-03-10T14:00:00.000Z'],
      [3, '+3d', 'sms', undefined, '2030-03-13T14:00:00.000Z'],
      [4, '+7d', 'call', 'sms', '2030-03-17T14:00:00.000Z'],
    ]);
    expect(created.body).not.toHaveProperty('requestFingerprint');
    expect(await harness.invoices.findByReference(body.reference)).toMatchObject({ amount: 120.5, status: 'open' });
    const live = await harness.client.workflow.getHandle(invoiceWorkflowId(body.reference)).query(invoiceQuery);
    expect(live.plan).toEqual(created.body.plan);
  });

  it('answers the same plan for the same body (200), and 409 for the reference with other details', async () => {
    const body = invoiceRequest({ plan: [{ at: '0d', channel: 'sms', template: 'Hi {name}, {amount} {currency} is due.' }] });
    const first = await create(body);
    const again = await harness.api<InvoiceView>('POST', '/api/invoices', { ...body, customer: { ...body.customer } });
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(again.body.plan).toEqual(first.body.plan);
    expect(again.body.createdAt).toBe(first.body.createdAt);
    const changed = await harness.api<ErrorBody>('POST', '/api/invoices', { ...body, amount: 99 });
    expect(changed).toEqual({ status: 409, body: { error: `invoice ${body.reference} already exists with different details` } });
    const withoutPlan = await harness.api<ErrorBody>('POST', '/api/invoices', { ...body, plan: undefined });
    expect(withoutPlan.status).toBe(409);
  });

  it('reads a plan live from its workflow, 404 for an unknown reference, 400 for a malformed one', async () => {
    const body = invoiceRequest();
    await create(body);
    const read = await harness.api<InvoiceView>('GET', `/api/invoices/${body.reference}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ reference: body.reference, source: 'workflow', payments: [], promises: [], status: 'open' });
    expect(read.body.steps).toHaveLength(4);
    expect(read.body.waitingFor).toMatch(/^step 1 \(sms\) due at 2030-03-07T15:00:00.000Z/);
    expect((await harness.api('GET', `/api/invoices/${newReference()}`)).status).toBe(404);
    expect((await harness.api<ErrorBody>('GET', '/api/invoices/bad%20ref')).body.issues?.[0]?.field).toBe('(body)');
  });

  it('lists plans by status and customer, newest first, in pages', async () => {
    const customerId = `list-${newReference()}`;
    const references: string[] = [];
    for (let index = 0; index < 3; index++) {
      const body = invoiceRequest({ customer: { id: customerId, name: 'Li', phone: '+12125550124' } });
      await create(body);
      references.unshift(body.reference);
    }
    const first = await harness.api<InvoiceList>('GET', `/api/invoices?customerId=${customerId}&limit=2`);
    expect(first.body.items.map((invoice) => invoice.reference)).toEqual(references.slice(0, 2));
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await harness.api<InvoiceList>('GET', `/api/invoices?customerId=${customerId}&limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((invoice) => invoice.reference)).toEqual(references.slice(2));
    expect(second.body.nextCursor).toBeUndefined();
    expect((await harness.api<InvoiceList>('GET', `/api/invoices?customerId=${customerId}&status=open`)).body.items).toHaveLength(3);
    expect((await harness.api<InvoiceList>('GET', `/api/invoices?customerId=${customerId}&status=paid`)).body.items).toEqual([]);
    const bad = await harness.api<ErrorBody>('GET', '/api/invoices?status=late&limit=0&cursor=nope');
    expect((bad.body.issues ?? []).map((issue) => issue.field).sort()).toEqual(['limit', 'status']);
    expect((await harness.api<ErrorBody>('GET', '/api/invoices?cursor=nope')).body.issues).toEqual([
      { field: 'cursor', message: 'is not a cursor this API returned' },
    ]);
  });
});
