import type { ReminderState } from '../../../src/domain/reminder';
import { promiseFrom } from '../../../src/domain/promise-to-pay';
import { outcome } from './fixtures';

const TWO_DAYS = 2 * 24 * 3_600_000;

const call = (changes: Partial<ReminderState>): ReminderState => ({
  reminderId: 'r1',
  channel: 'call',
  status: 'completed',
  attempt: 1,
  maxAttempts: 3,
  history: [],
  version: 5,
  ...changes,
});

describe('a promise to pay from a call', () => {
  it('waits to the end of the promised day (UTC) plus the grace', () => {
    const promise = promiseFrom(call({ callOutcome: outcome('promise_to_pay', true, { promised_date: '2026-12-10' }) }), TWO_DAYS);
    expect(promise).toEqual({ reminderId: 'r1', promisedDate: '2026-12-10', resumesAt: '2026-12-13T00:00:00.000Z' });
  });

  it('keeps a promised amount, and reads the response whatever its case', () => {
    const promise = promiseFrom(
      call({ callOutcome: outcome(' Promise_To_Pay', true, { promised_date: '2027-01-31', promised_amount: 40 }) }),
      0,
    );
    expect(promise).toMatchObject({ promisedDate: '2027-01-31', promisedAmount: 40, resumesAt: '2027-02-01T00:00:00.000Z' });
  });

  it.each([undefined, '', 'next friday', '2026-02-30', '2026-13-01', '10/12/2026', '2026-12-10T09:00:00Z'])(
    'is no promise without a valid ISO date (%p)',
    (promised_date) => {
      expect(promiseFrom(call({ callOutcome: outcome('promise_to_pay', true, { promised_date }) }), TWO_DAYS)).toBeUndefined();
    },
  );

  it('ignores an amount that is not a positive number', () => {
    const promise = promiseFrom(
      call({ callOutcome: outcome('promise_to_pay', true, { promised_date: '2026-12-10', promised_amount: -5 }) }),
      0,
    );
    expect(promise).not.toHaveProperty('promisedAmount');
  });

  it('is no promise for another response, or a call that did not complete', () => {
    expect(promiseFrom(call({ callOutcome: outcome('will_pay_later', true, { promised_date: '2026-12-10' }) }), 0)).toBeUndefined();
    const failed = call({ status: 'failed', callOutcome: outcome('promise_to_pay', false, { promised_date: '2026-12-10' }) });
    expect(promiseFrom(failed, 0)).toBeUndefined();
    expect(promiseFrom(call({}), 0)).toBeUndefined();
  });
});
