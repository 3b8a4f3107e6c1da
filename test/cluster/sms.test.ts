import { SCRIPTED_NUMBERS } from '../../dev/standins/scripted-numbers';
import { ClusterClient } from '../support/cluster-client';
import { reminderRequest } from '../support/reminder-harness';

describe('SMS reminders on the cluster, through both API instances', () => {
  let cluster: ClusterClient;
  beforeAll(async () => {
    cluster = await ClusterClient.connect();
  });
  afterAll(() => cluster?.close());

  it('is completed when the Twilio stand-in reports delivered, sent once, projected as the API shows it', async () => {
    const phone = '+14155550301';
    const created = await cluster.api('POST', '/api/reminders', reminderRequest({ customer: { id: 'cl-sms', name: 'Ada', phone } }));
    expect(created.status).toBe(201);
    const { reminderId } = created.body;

    const done = await cluster.waitForReminder(reminderId, (reminder) => reminder.status === 'completed');
    const sent = await cluster.sentTo(phone);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.body).toContain('120.50 USD');
    expect(done).toMatchObject({ deliveryStatus: 'delivered', attempt: 1, externalId: sent[0]!.sid });
    expect(done.history.map((entry) => entry.status)).toEqual(['pending', 'in_progress', 'completed']);
    expect(await cluster.projectedReminder(reminderId)).toMatchObject({
      status: 'completed',
      workflowStatus: 'completed',
      deliveryStatus: 'delivered',
      externalId: sent[0]!.sid,
    });
  });

  it('fails with the ErrorCode when the stand-in reports a permanent failure', async () => {
    const phone = SCRIPTED_NUMBERS.SMS_FAILED_PERMANENT;
    const created = await cluster.api('POST', '/api/reminders', reminderRequest({ customer: { id: 'cl-sms-failed', name: 'Bo', phone } }));
    expect(created.status).toBe(201);
    const { reminderId } = created.body;

    const failed = await cluster.waitForReminder(reminderId, (reminder) => reminder.status === 'failed');
    expect(failed).toMatchObject({ deliveryStatus: 'failed', errorCode: '30005', permanentFailure: true, attempt: 1 });
    expect(await cluster.sentTo(phone)).toHaveLength(1);
    expect(await cluster.projectedReminder(reminderId)).toMatchObject({
      status: 'failed',
      workflowStatus: 'failed',
      errorCode: '30005',
      permanentFailure: true,
    });
  });
});
