import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { MongoClient } from 'mongodb';
import { ReminderService } from '../../src/api/reminder-service';
import { PendingReports } from '../../src/store/pending-reports';
import { ReminderStore } from '../../src/store/reminder-store';
import { freePort } from '../../dev/stack/processes';
import type { ErrorBody } from '../support/api-bodies';
import { postCallEvent } from '../support/signed-requests';
import { testStack } from '../support/stack';
import { serveTestApi } from '../support/test-api';

describe('when Temporal cannot take a signal and MongoDB cannot store the report either', () => {
  it('answers 503 so the sender retries', async () => {
    // A Temporal address where nothing listens, and a queue whose MongoDB connection is closed.
    const connection = Connection.lazy({ address: `127.0.0.1:${await freePort()}`, connectTimeout: 500 });
    const closed = await MongoClient.connect(testStack().mongodbUri('queue-down'), { retryWrites: false });
    await closed.close();
    const warnings: string[] = [];
    const api = await serveTestApi(
      new ReminderService({
        temporal: new Client({ connection }),
        reminders: new ReminderStore(closed.db()),
        taskQueue: 'none',
        timings: { responseTimeout: '10 minutes', maxCallDuration: '30 minutes', retryBackoff: '15 minutes' },
        defaultMaxAttempts: 3,
        signalTimeoutMs: 1_000,
        pendingReports: new PendingReports(closed.db()),
        logger: { warn: (fields: object, message: string) => void warnings.push(message) } as never,
      }),
    );
    try {
      const response = await postCallEvent(api.baseUrl, { reminder_id: randomUUID(), event_type: 'call_answered', attempt: 1 });
      expect(response.status).toBe(503);
      expect((response.body as ErrorBody | undefined)?.error).toMatch(/retry later/);
      // It was the store that failed, after the signal was judged worth queueing.
      expect(warnings).toEqual(['report could not be queued: MongoDB unavailable too']);
    } finally {
      await api.close();
      await connection.close();
    }
  });
});
