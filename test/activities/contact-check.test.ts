import { randomUUID } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { MongoClient } from 'mongodb';
import { createContactCheck, type ContactCheckDependencies } from '../../src/activities/contact-check';
import { ConsentStore } from '../../src/store/consents';
import { ContactLedger } from '../../src/store/contact-ledger';
import { InvoiceStore } from '../../src/store/invoices';
import { testStack } from '../support/stack';

// The check's clock: the later of the wall clock and the attempt's scheduled time, so an
// attempt scheduled in 2030 fixes it there. Tuesday 2030-01-15 12:00 in New York.
const NOON_IN_NEW_YORK = Date.parse('2030-01-15T17:00:00Z');

describe('the contact check, built from the configured profile and its override', () => {
  let mongo: MongoClient;
  let stores: Pick<ContactCheckDependencies, 'consents' | 'contacts' | 'invoices'>;

  beforeAll(async () => {
    mongo = await MongoClient.connect(testStack().mongodbUri('contact_check'), { retryWrites: false });
    stores = { consents: new ConsentStore(mongo.db()), contacts: new ContactLedger(mongo.db()), invoices: new InvoiceStore(mongo.db()) };
  });
  afterAll(() => mongo?.close());

  const check = (dependencies: Omit<ContactCheckDependencies, 'consents' | 'contacts' | 'invoices'>, channel: 'sms' | 'call' = 'sms') => {
    const customer = { id: randomUUID(), name: 'Ada', phone: '+12125550123', timezone: 'America/New_York' };
    const environment = new MockActivityEnvironment({ currentAttemptScheduledTimestampMs: NOON_IN_NEW_YORK });
    return environment.run(
      createContactCheck({ ...stores, ...dependencies }),
      { contact: { customer, reference: 'INV-1' } },
      {
        reminderId: randomUUID(),
        attempt: 1,
        channel,
      },
    );
  };

  it('allows a contact at noon under the development profile', async () => {
    expect(await check({ contactProfile: 'development' })).toEqual({});
  });

  it('defers it when the operator closed the date, saying until when', async () => {
    const refused = await check({ contactProfile: 'development', contactWindow: { closedDates: ['2030-01-15'] } });
    expect(refused).toEqual({
      refused: { verdict: 'defer', until: '2030-01-16T05:00:00.000Z', reason: 'outside contact hours in America/New_York until 00:00' },
    });
  });

  it('defers it when the operator’s hours exclude noon, and not when they include it', async () => {
    expect(await check({ contactProfile: 'US', contactWindow: { hours: { opens: '13:00', closes: '18:00' } } })).toEqual({
      refused: { verdict: 'defer', until: '2030-01-15T18:00:00.000Z', reason: 'outside contact hours in America/New_York until 13:00' },
    });
    expect(await check({ contactProfile: 'US', contactWindow: { hours: { opens: '09:00', closes: '18:00' } } })).toEqual({});
  });

  it('defers a call but not a text when the margin reaches past noon', async () => {
    const window = { hours: { opens: '08:00', closes: '13:00' }, callEndMarginMinutes: 90 };
    expect(await check({ contactProfile: 'US', contactWindow: window }, 'call')).toMatchObject({ refused: { verdict: 'defer' } });
    expect(await check({ contactProfile: 'US', contactWindow: window }, 'sms')).toEqual({});
  });
});
