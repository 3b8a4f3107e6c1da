import { DAY, HOUR, PlanTestbed } from './plan-testbed';

describe('invoiceWorkflow: a step falls back when its channel did not reach the customer', () => {
  let testbed: PlanTestbed;
  beforeAll(async () => (testbed = await PlanTestbed.start('invoice-fallback')));
  afterAll(() => testbed?.system.stop());
  afterEach(() => testbed.reset());

  it('an SMS undelivered after its attempts runs the fallback call at once, recorded with why', async () => {
    testbed.script = { ...testbed.script, sms: () => ({ messageStatus: 'undelivered', errorCode: '30003' }) };
    const handle = await testbed.startPlan([{ in: HOUR, channel: 'sms', fallback: 'call' }], {
      reminders: { maxAttempts: 2, timings: { responseTimeout: '10 minutes', maxCallDuration: '30 minutes', retryBackoff: '15 minutes' } },
    });
    const result = await handle.result();

    expect(testbed.sent.map(({ channel }) => channel)).toEqual(['sms', 'sms', 'call']);
    expect(testbed.sent[2]!.at - testbed.sent[1]!.at).toBeLessThan(60_000);
    expect(result.steps[0]!.status).toBe('done');
    expect(result.steps[0]!.contacts).toMatchObject([
      { role: 'step', channel: 'sms', status: 'failed', skipReason: 'SMS undelivered (Twilio error 30003)' },
      { role: 'fallback', channel: 'call', status: 'completed', reason: 'fallback: SMS undelivered (Twilio error 30003)' },
    ]);
    expect(testbed.calls[0]!.reference).toBe(result.reference);
  });

  it('a call that ended no_answer falls back to an SMS', async () => {
    testbed.script = {
      ...testbed.script,
      call: () => ({ eventType: 'call_completed', outcome: { connected: false, duration: 0, customer_response: 'no_answer' } }),
    };
    const handle = await testbed.startPlan([{ in: HOUR, channel: 'call', fallback: 'sms' }]);
    const result = await handle.result();

    expect(testbed.sent.map(({ channel }) => channel)).toEqual(['call', 'sms']);
    expect(result.steps[0]!.contacts).toMatchObject([
      { role: 'step', channel: 'call', status: 'failed' },
      { role: 'fallback', channel: 'sms', status: 'completed', reason: 'fallback: call ended no_answer after 1 attempt' },
    ]);
  });

  it('a step without a fallback, or a contact that reached the customer, runs nothing more', async () => {
    testbed.script = {
      ...testbed.script,
      sms: (request) => (request.attempt === 1 && testbed.sms.length === 1 ? { messageStatus: 'failed' } : { messageStatus: 'delivered' }),
    };
    const handle = await testbed.startPlan([
      { in: HOUR, channel: 'sms' },
      { in: DAY, channel: 'sms', fallback: 'call' },
    ]);
    const result = await handle.result();

    expect(testbed.sent.map(({ channel }) => channel)).toEqual(['sms', 'sms']);
    expect(result.steps.map((step) => step.contacts.map((contact) => contact.status))).toEqual([['failed'], ['completed']]);
  });

  it('no fallback once the invoice is paid', async () => {
    testbed.script = {
      ...testbed.script,
      sms: () => ({ messageStatus: 'undelivered' }),
      afterSend: () => handle.signal('paymentRecorded', { id: 'p', amount: 100, paidAt: '2026-12-01T10:00:00.000Z' }),
    };
    const handle = await testbed.startPlan([{ in: HOUR, channel: 'sms', fallback: 'call' }]);
    const result = await handle.result();

    expect(result.status).toBe('paid');
    expect(testbed.sent.map(({ channel }) => channel)).toEqual(['sms']);
  });
});
