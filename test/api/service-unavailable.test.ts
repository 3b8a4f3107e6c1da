import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { MongoClient } from 'mongodb';
import { ReminderService } from '../../src/api/reminder-service';
import { ReminderStore } from '../../src/store/reminder-store';
import { freePort } from '../../dev/stack/processes';
import type { ErrorBody } from '../support/api-bodies';
import { postCallEvent } from '../support/signed-requests';
import { testStack } from '../support/stack';
import { serveTestApi, type TestApi } from '../support/test-api';

describe('when Temporal cannot take a signal', () => {
  it('answers 503 so the sender retries, and reports not ready', async () => {
    const mongo = await MongoClient.connect(testStack().mongodbUri('unavailable'), { retryWrites: false });
    // A Temporal address where nothing listens.
    const connection = Connection.lazy({ address: `127.0.0.1:${await freePort()}`, connectTimeout: 500 });
    let api: TestApi | undefined;
    try {
      const store = new ReminderStore(mongo.db());
      const reminderId = randomUUID();
      await store.save({
        reminderId,
        workflowId: `reminder-${reminderId}`,
        channel: 'call',
        customer: { id: 'c', name: 'N', phone: '+14155550100' },
        payment: { amount: 1, currency: 'USD', dueDate: '2026-12-01', reference: 'R' },
        message: 'm',
        createdAt: new Date().toISOString(),
        requestFingerprint: 'f',
        status: 'in_progress',
        attempt: 1,
        maxAttempts: 3,
        history: [],
        version: 2,
      });
      const temporal = new Client({ connection });
      api = await serveTestApi(
        new ReminderService({
          temporal,
          reminders: store,
          taskQueue: 'none',
          timings: { responseTimeout: '10 minutes', maxCallDuration: '30 minutes', retryBackoff: '15 minutes' },
          defaultMaxAttempts: 3,
          signalTimeoutMs: 1_000,
        }),
        {
          readinessChecks: {
            temporal: () =>
              connection.withDeadline(Date.now() + 1_000, async () => void (await connection.workflowService.getSystemInfo({}))),
          },
        },
      );
      const { baseUrl } = api;

      const response = await postCallEvent(baseUrl, { reminder_id: reminderId, event_type: 'call_answered' });
      expect(response.status).toBe(503);
      expect((response.body as ErrorBody | undefined)?.error).toMatch(/retry later/);

      const ready = await fetch(`${baseUrl}/readyz`);
      expect(ready.status).toBe(503);
      expect(((await ready.json()) as { checks: Record<string, string> }).checks.temporal).toMatch(/^unavailable/);
      expect((await fetch(`${baseUrl}/healthz`)).status).toBe(200);
    } finally {
      await api?.close();
      await connection.close();
      await mongo.close();
    }
  });
});
