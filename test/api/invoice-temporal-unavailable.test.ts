import { Client, Connection } from '@temporalio/client';
import { MongoClient } from 'mongodb';
import { InvoiceService } from '../../src/api/invoice-service';
import { ServiceUnavailableError } from '../../src/api/errors';
import { loadConfig } from '../../src/config/load-config';
import { InvoiceStore } from '../../src/store/invoices';
import { ReminderStore } from '../../src/store/reminder-store';
import { freePort } from '../../dev/stack/processes';
import { newReference } from '../support/invoice-bodies';
import { invoiceProjection } from '../support/projection-fixture';
import { testStack } from '../support/stack';

describe('an invoice read while Temporal cannot answer', () => {
  it('is the stored plan, with the payments recorded, saying why it is not live; an unknown one is 503, not 404', async () => {
    const mongo = await MongoClient.connect(testStack().mongodbUri('invoice_unavailable'), { retryWrites: false });
    // A Temporal address where nothing listens.
    const connection = Connection.lazy({ address: `127.0.0.1:${await freePort()}`, connectTimeout: 500 });
    try {
      const invoices = new InvoiceStore(mongo.db());
      const service = new InvoiceService({
        temporal: new Client({ connection }),
        invoices,
        reminders: new ReminderStore(mongo.db()),
        taskQueue: 'none',
        plans: loadConfig({}).config.invoices,
        reminderDefaults: {
          maxAttempts: 3,
          timings: { responseTimeout: '10 minutes', maxCallDuration: '30 minutes', retryBackoff: '15 minutes' },
        },
        temporalTimeoutMs: 1_000,
      });
      const reference = newReference();
      await invoices.create(invoiceProjection(reference, { amount: 100 }));
      await invoices.recordPayment(reference, { id: 'p', amount: 30, paidAt: '2030-03-01T00:00:00.000Z' }, 'api');
      const view = await service.get(reference);
      expect(view).toMatchObject({ reference, source: 'store', outstanding: 70, payments: [{ id: 'p', amount: 30 }] });
      expect(view.staleReason).toMatch(/^Temporal could not be asked \(.+\); this is the plan's last recorded state$/);
      await expect(service.get(newReference())).rejects.toBeInstanceOf(ServiceUnavailableError);
      // The payment is recorded (every send reads it), but the plan was not told: 503, so the caller retries.
      await expect(service.recordPayment(reference, { id: 'q', amount: 70 }, 'api')).rejects.toBeInstanceOf(ServiceUnavailableError);
      expect(await invoices.balance(reference)).toMatchObject({ outstanding: 0 });
    } finally {
      await connection.close().catch(() => undefined);
      await mongo.close();
    }
  });
});
