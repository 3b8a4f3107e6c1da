import { ConfigError, loadConfig } from '../../../src/config/load-config';

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
};

describe('the invoice plan settings', () => {
  it('default to four steps around the due date at 10:00, a 2-day promise grace, 12 steps and 120 days', () => {
    const { invoices, webhooks } = loadConfig({}).config;
    expect(invoices).toEqual({
      defaultPlan: [
        { at: '-3d', channel: 'sms' },
        { at: '0d', channel: 'call', fallback: 'sms' },
        { at: '+3d', channel: 'sms' },
        { at: '+7d', channel: 'call', fallback: 'sms' },
      ],
      stepTime: '10:00',
      promiseGrace: '2 days',
      planBounds: { maxSteps: 12, maxSpanHours: 120 * 24 },
    });
    expect(webhooks.paymentSecrets).toEqual(webhooks.standardSecrets);
  });

  it('take a plan, a step time, a grace and bounds from the environment', () => {
    const { invoices } = loadConfig({
      DEFAULT_INVOICE_PLAN: '[{"at":"0d","channel":"call","fallback":"sms","template":"Hi {name}"}]',
      PLAN_STEP_TIME: '09:30',
      PROMISE_GRACE: '36 hours',
      PLAN_MAX_STEPS: '3',
      PLAN_MAX_SPAN: '30 days',
    }).config;
    expect(invoices).toEqual({
      defaultPlan: [{ at: '0d', channel: 'call', fallback: 'sms', template: 'Hi {name}' }],
      stepTime: '09:30',
      promiseGrace: '36 hours',
      planBounds: { maxSteps: 3, maxSpanHours: 30 * 24 },
    });
  });

  it('refuse a default plan that is not JSON, or that the API would refuse from a client, naming each problem', () => {
    expect(problemsOf({ DEFAULT_INVOICE_PLAN: '[{at:-3d}]' })).toEqual([
      'DEFAULT_INVOICE_PLAN: is not JSON (expected e.g. [{"at":"-3d","channel":"sms"}])',
    ]);
    expect(
      problemsOf({
        DEFAULT_INVOICE_PLAN:
          '[{"at":"+3d","channel":"sms"},{"at":"0d","channel":"call","fallback":"call"},{"at":"+9d","channel":"sms","template":"{total}"}]',
        PLAN_MAX_SPAN: '7 days',
      }),
    ).toEqual([
      'DEFAULT_INVOICE_PLAN: step 2 fallback: must be another channel than the step’s own',
      expect.stringMatching(/^DEFAULT_INVOICE_PLAN: step 3 template: unknown placeholder \{total\}/),
      'DEFAULT_INVOICE_PLAN: step 2 at: must come after step 1 (+3d)',
      'DEFAULT_INVOICE_PLAN: the plan spans 9 days around the due date; at most 7 days',
    ]);
    expect(problemsOf({ DEFAULT_INVOICE_PLAN: '[{"at":"0d","channel":"sms"},{"at":"1d","channel":"sms"}]', PLAN_MAX_STEPS: '1' })).toEqual([
      'DEFAULT_INVOICE_PLAN: a plan has at most 1 steps',
    ]);
  });

  it('refuse a step time, a grace, bounds and payment secrets that are malformed', () => {
    expect(problemsOf({ PLAN_STEP_TIME: '25:00', PROMISE_GRACE: 'soon', PLAN_MAX_STEPS: '0', PLAN_MAX_SPAN: 'long' })).toEqual([
      'PLAN_STEP_TIME: expected a local time of day such as "10:00"',
      'PROMISE_GRACE: expected a duration such as "10 minutes"',
      expect.stringMatching(/^PLAN_MAX_STEPS: /),
      'PLAN_MAX_SPAN: expected a duration such as "10 minutes"',
    ]);
    expect(problemsOf({ PAYMENT_WEBHOOK_SECRETS: 'whsec_not*base64' })).toEqual([
      'PAYMENT_WEBHOOK_SECRETS: Standard Webhooks secret: the part after "whsec_" is not valid base64',
    ]);
    expect(
      loadConfig({ PAYMENT_WEBHOOK_SECRETS: ' whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw , whsec_c2VjcmV0 ' }).config.webhooks.paymentSecrets,
    ).toEqual(['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'whsec_c2VjcmV0']);
  });
});
