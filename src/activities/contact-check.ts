import { Context } from '@temporalio/activity';
import { decideContact } from '../policy/contact-policy';
import { profileFor } from '../policy/profiles';
import type { ContactWindowOverride } from '../policy/window-override';
import { customerZones } from '../policy/zones';
import type { Channel } from '../domain/reminder';
import type { ConsentStore } from '../store/consents';
import type { ContactLedger } from '../store/contact-ledger';
import type { InvoiceStore } from '../store/invoices';
import type { ContactAllowed, ContactRefused, ContactSubject } from './types';

/** What the check reads and writes: consent per phone number, and the contacts per debt. */
export interface ContactCheckDependencies {
  consents: Pick<ConsentStore, 'get'>;
  contacts: Pick<ContactLedger, 'reserve'>;
  /** What an invoice still owes, for a contact that is a step of its plan. */
  invoices: Pick<InvoiceStore, 'balance'>;
  /** The configured contact profile's name (CONTACT_PROFILE). */
  contactProfile: string;
  /** The operator's narrowing of its window (CONTACT_WINDOW_DAYS and the others); none when absent. */
  contactWindow?: ContactWindowOverride;
}

/**
 * The contact policy, asked inside the activity that sends, right before it sends: the
 * window in every zone the customer may be in, their consent, and the debt's caps, with the
 * contact reserved in the same step, so no payment, opt-out or concurrent reminder can slip
 * between the check and the send. When the send may go ahead, answers what a plan step's
 * invoice still owed at that moment (what the voice agent is told).
 */
export function createContactCheck({ consents, contacts, invoices, contactProfile, contactWindow }: ContactCheckDependencies) {
  return async (
    { contact: { customer, reference, invoice } }: ContactSubject,
    attempt: { reminderId: string; attempt: number; channel: Channel },
  ): Promise<ContactRefused | ContactAllowed> => {
    const chosen = profileFor({ configured: contactProfile, region: customer.region, window: contactWindow });
    // The zones and the consent are read while the ledger reads the debt's contacts (one round
    // trip, not two, before each send). Marked handled here: should the ledger fail first,
    // nothing else would await them.
    // A plan step's invoice balance too: a payment recorded before this read stops the send.
    const asked = Promise.all([customerZones(customer), consents.get(customer.phone), invoice && invoices.balance(invoice.reference)]);
    asked.catch(() => undefined);
    const now = activityNow();
    const decision = await contacts.reserve({ customerId: customer.id, reference }, { ...attempt, at: now }, async (made) => {
      const [zones, consent, owed] = await asked;
      return decideContact({
        now,
        channel: attempt.channel,
        zones,
        profile: chosen,
        consent,
        contacts: made,
        ...(owed && { invoice: owed }),
      });
    });
    if (decision.verdict === 'allow') {
      const [, , owed] = await asked;
      return owed ? { owed } : {};
    }
    if (decision.verdict === 'refuse') return { refused: decision };
    return { refused: { verdict: 'defer', until: new Date(decision.until).toISOString(), reason: decision.reason } };
  };
}

/**
 * Now, for the policy: the wall clock, or the server's time when this attempt was scheduled
 * if that is later (the time-skipping test server runs ahead of the wall clock; a real
 * server's schedule time is never ahead of it for long).
 */
function activityNow(): number {
  return Math.max(Date.now(), Context.current().info.currentAttemptScheduledTimestampMs);
}
