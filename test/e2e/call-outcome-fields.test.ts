import { SCRIPTED_NUMBERS } from '../../dev/standins/scripted-numbers';
import { ReminderHarness, reminderRequest } from '../support/reminder-harness';
import { postCallEvent } from '../support/signed-requests';

/** A call outcome keeps a promise's fields and any field the agent adds that we do not know yet. */
describe('the fields of a call outcome', () => {
  let harness: ReminderHarness;
  beforeAll(async () => {
    harness = await ReminderHarness.start();
  });
  afterAll(() => harness?.stop());

  const answeredCall = async () => {
    const created = await harness.api(
      'POST',
      '/api/reminders',
      reminderRequest({ channel: 'call', customer: { id: 'fields', name: 'Field Test', phone: SCRIPTED_NUMBERS.CALL_NO_AGENT_REPORT } }),
    );
    const id = created.body.reminderId;
    await harness.waitForReminder(id, (reminder) => reminder.status === 'in_progress');
    expect((await postCallEvent(harness.baseUrl, { reminder_id: id, event_type: 'call_answered', attempt: 1 })).status).toBe(200);
    return id;
  };

  it('stores promised_date, promised_amount and unknown fields with the outcome', async () => {
    const id = await answeredCall();
    const outcome = {
      connected: true,
      duration: 80,
      customer_response: 'promise_to_pay',
      promised_date: '2026-12-20',
      promised_amount: 60.25,
      sentiment: 'calm',
    };
    expect((await postCallEvent(harness.baseUrl, { reminder_id: id, event_type: 'call_completed', attempt: 1, outcome })).status).toBe(200);
    expect((await harness.waitForReminder(id, (reminder) => reminder.status === 'completed')).callOutcome).toEqual(outcome);
  });

  it('keeps the outcome of a call whose promised date cannot be read, rather than rejecting the event', async () => {
    const id = await answeredCall();
    const outcome = { connected: true, duration: 30, customer_response: 'promise_to_pay', promised_date: 'next Friday' };
    expect((await postCallEvent(harness.baseUrl, { reminder_id: id, event_type: 'call_completed', attempt: 1, outcome })).status).toBe(200);
    expect((await harness.waitForReminder(id, (reminder) => reminder.status === 'completed')).callOutcome).toEqual(outcome);
  });
});
