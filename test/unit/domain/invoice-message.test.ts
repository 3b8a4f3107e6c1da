import { renderStepMessage } from '../../../src/domain/invoice-message';

const facts = {
  customer: { name: 'Ada Lovelace' },
  payment: { amount: 60, currency: 'EUR', dueDate: '2026-12-04', reference: 'INV-7' },
};

describe("a plan step's message", () => {
  it('fills every placeholder of the template, the amount with two decimals', () => {
    expect(renderStepMessage('{name}: {amount} {currency} on {reference}, due {dueDate}. {amount}!', 'sms', facts)).toBe(
      'Ada Lovelace: 60.00 EUR on INV-7, due 2026-12-04. 60.00!',
    );
  });

  it('writes what is still owed in cents, whatever decimals it has', () => {
    expect(renderStepMessage('{amount}', 'sms', { ...facts, payment: { ...facts.payment, amount: 33.3 } })).toBe('33.30');
  });

  it('leaves braces that are no placeholder as written', () => {
    expect(renderStepMessage('{unknown} {{amount}} {}', 'sms', facts)).toBe('{unknown} {60.00} {}');
  });

  it('without a template, says the default of its channel', () => {
    expect(renderStepMessage(undefined, 'sms', facts)).toBe(
      'Hi Ada Lovelace, a reminder that 60.00 EUR is owed on invoice INV-7, due 2026-12-04. Thank you.',
    );
    expect(renderStepMessage(undefined, 'call', facts)).toBe(
      'Remind Ada Lovelace that 60.00 EUR is owed on invoice INV-7, due 2026-12-04, and ask when they will pay.',
    );
  });
});
