import type { Db } from 'mongodb';
import { APP_COLLECTIONS } from '../../dev/stack/local-system';
import { COLLECTIONS } from '../../src/store/collections';
import { ConsentStore } from '../../src/store/consents';
import { ContactLedger } from '../../src/store/contact-ledger';
import { InvoiceStore } from '../../src/store/invoices';
import { PendingReports } from '../../src/store/pending-reports';
import { ReminderStore } from '../../src/store/reminder-store';
import { SeenWebhookIds } from '../../src/store/seen-webhook-ids';
import { SendLedger } from '../../src/store/send-ledger';

/** A database that only notes which collections were opened (opening one does no I/O). */
function recordingDb(opened: string[]): Db {
  const collection = (name: string) => {
    opened.push(name);
    return {};
  };
  return { collection } as unknown as Db;
}

describe('the collection names', () => {
  it('are the ones the store classes open, each opened by one class', () => {
    const opened: string[] = [];
    const db = recordingDb(opened);
    new ReminderStore(db);
    new SendLedger(db);
    new SeenWebhookIds(db);
    new ConsentStore(db);
    new ContactLedger(db);
    new InvoiceStore(db);
    new PendingReports(db);
    expect(opened).toEqual([
      COLLECTIONS.reminders,
      COLLECTIONS.smsSends,
      COLLECTIONS.webhookDeliveries,
      COLLECTIONS.consents,
      COLLECTIONS.contactDebts,
      COLLECTIONS.contactVersions,
      COLLECTIONS.contactEvents,
      COLLECTIONS.invoices,
      COLLECTIONS.invoicePayments,
      COLLECTIONS.pendingReports,
    ]);
    expect(new Set(opened).size).toBe(Object.values(COLLECTIONS).length);
  });

  it('are the ones the local stack prepares', () => {
    expect([...APP_COLLECTIONS].sort()).toEqual(Object.values(COLLECTIONS).sort());
  });
});
