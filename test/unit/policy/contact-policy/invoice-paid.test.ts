import { INVOICE_PAID_REASON } from '../../../../src/domain/invoice';
import { decideContact } from '../../../../src/policy/contact-policy';
import { OPTED_OUT_REASON } from '../../../../src/policy/types';
import { at, contact, question, US_MA } from './question';

const noon = at('2026-12-01T17:00:00Z'); // 12:00 in New York: inside the window
const night = at('2026-12-01T08:00:00Z'); // 03:00 in New York

describe('a step of an invoice plan', () => {
  it('is refused once nothing is owed, on either channel', () => {
    for (const channel of ['sms', 'call'] as const) {
      expect(decideContact(question({ now: noon, channel, invoice: { outstanding: 0 } }))).toEqual({
        verdict: 'refuse',
        reason: INVOICE_PAID_REASON,
      });
    }
  });

  it('is decided as any contact while something is owed, even a cent', () => {
    expect(decideContact(question({ now: noon, invoice: { outstanding: 0.01 } }))).toEqual({ verdict: 'allow' });
    expect(decideContact(question({ now: night, invoice: { outstanding: 50 } })).verdict).toBe('defer');
  });

  it('says the invoice is paid before anything else: not opted out, not a deferral by hours or caps', () => {
    const capsReached = [contact('sms', '2026-11-30T15:00:00Z'), contact('sms', '2026-11-30T16:00:00Z')];
    const paid = question({
      now: night,
      profile: US_MA,
      consent: { optedOut: true },
      contacts: capsReached,
      invoice: { outstanding: 0 },
    });
    expect(decideContact(paid)).toEqual({ verdict: 'refuse', reason: INVOICE_PAID_REASON });
    expect(decideContact({ ...paid, invoice: { outstanding: 10 } })).toEqual({ verdict: 'refuse', reason: OPTED_OUT_REASON });
  });

  it('is not asked about a debt when the contact is not a plan step (a single reminder)', () => {
    expect(decideContact(question({ now: noon }))).toEqual({ verdict: 'allow' });
  });
});
