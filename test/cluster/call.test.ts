import { ClusterClient } from '../support/cluster-client';
import { reminderRequest } from '../support/reminder-harness';

describe('voice reminders on the cluster (livekit-server --dev and the Python agent, its callee and model stood in)', () => {
  let cluster: ClusterClient;
  beforeAll(async () => {
    cluster = await ClusterClient.connect();
  });
  afterAll(() => cluster?.close());

  it('is completed with the outcome the agent reported when the call ends', async () => {
    const phone = '+14155550302';
    const created = await cluster.api(
      'POST',
      '/api/reminders',
      reminderRequest({ channel: 'call', customer: { id: 'cl-call', name: 'Grace Hopper', phone } }),
    );
    expect(created.status).toBe(201);
    const { reminderId } = created.body;

    const done = await cluster.waitForReminder(reminderId, (reminder) => reminder.status === 'completed', 120_000);
    expect(done.externalId).toBe(`reminder-${reminderId}-attempt-1`);
    expect(done.callOutcome).toMatchObject({ connected: true, customer_response: 'will_pay_today' });
    expect(done.history.map((entry) => entry.status)).toEqual(['pending', 'in_progress', 'processing', 'completed']);
    expect(await cluster.projectedReminder(reminderId)).toMatchObject({
      status: 'completed',
      workflowStatus: 'completed',
      callOutcome: { connected: true, customer_response: 'will_pay_today' },
    });
    expect(await cluster.sentTo(phone)).toEqual([]);
  }, 180_000);
});
