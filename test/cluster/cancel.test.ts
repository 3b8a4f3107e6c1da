import { ClusterClient } from '../support/cluster-client';
import { reminderRequest } from '../support/reminder-harness';

describe('cancelling a reminder on the cluster', () => {
  let cluster: ClusterClient;
  beforeAll(async () => {
    cluster = await ClusterClient.connect();
  });
  afterAll(() => cluster?.close());

  it('ends a reminder that waits for its send time cancelled, with the reason, and sends nothing', async () => {
    const phone = '+14155550303';
    const sendAt = new Date(Date.now() + 86_400_000).toISOString();
    const created = await cluster.api(
      'POST',
      '/api/reminders',
      reminderRequest({ sendAt, customer: { id: 'cl-cancel', name: 'Cy', phone } }),
    );
    expect(created.status).toBe(201);
    const { reminderId } = created.body;

    const cancelled = await cluster.api('POST', `/api/reminders/${reminderId}/cancel`, { reason: 'paid by bank transfer' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', skipReason: 'paid by bank transfer' });
    const ended = await cluster.waitForReminder(reminderId, (reminder) => reminder.status === 'cancelled');
    expect(ended.history.map((entry) => entry.status)).toEqual(['pending', 'cancelled']);
    expect(await cluster.projectedReminder(reminderId)).toMatchObject({
      status: 'cancelled',
      workflowStatus: 'cancelled',
      skipReason: 'paid by bank transfer',
    });
    expect((await cluster.api('POST', `/api/reminders/${reminderId}/cancel`, { reason: 'again' })).status).toBe(409);
    expect(await cluster.sentTo(phone)).toEqual([]);
  });
});
