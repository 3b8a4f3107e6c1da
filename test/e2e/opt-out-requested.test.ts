import { randomUUID } from 'node:crypto';
import { ReminderHarness, reminderRequest } from '../support/reminder-harness';
import { postCallEvent } from '../support/signed-requests';

describe("the voice agent's opt_out_requested event, signed as the guide's events are", () => {
  let harness: ReminderHarness;
  beforeAll(async () => {
    harness = await ReminderHarness.start();
  });
  afterAll(() => harness?.stop());

  it("records the reminder's number as opted out by the voice agent", async () => {
    const phone = '+13125550181';
    const sendAt = new Date(Date.now() + 86_400_000).toISOString();
    const created = await harness.api(
      'POST',
      '/api/reminders',
      reminderRequest({ sendAt, customer: { id: 'voice-out', name: 'Ada', phone } }),
    );
    const reminderId = created.body.reminderId;

    const answer = await postCallEvent(harness.baseUrl, {
      event_type: 'opt_out_requested',
      reminder_id: reminderId,
      attempt: 1,
      notes: 'asked not to be called again',
    });
    expect(answer).toEqual({ status: 200, body: { received: true, outcome: 'recorded' } });
    expect(await harness.consents.find(phone)).toMatchObject({
      optedOut: true,
      history: [{ optedOut: true, source: 'voice-agent', detail: `reminder ${reminderId} attempt 1: asked not to be called again` }],
    });
  });

  it('answers 404 for an unknown reminder, 401 for a bad signature and 400 for notes too long, recording nothing', async () => {
    const unknown = { event_type: 'opt_out_requested', reminder_id: randomUUID() };
    expect((await postCallEvent(harness.baseUrl, unknown)).status).toBe(404);

    const phone = '+13125550182';
    const created = await harness.api(
      'POST',
      '/api/reminders',
      reminderRequest({ sendAt: new Date(Date.now() + 86_400_000).toISOString(), customer: { id: 'voice-bad', name: 'Ada', phone } }),
    );
    const event = { event_type: 'opt_out_requested', reminder_id: created.body.reminderId };
    expect((await postCallEvent(harness.baseUrl, event, { secret: 'another-secret' })).status).toBe(401);
    expect((await postCallEvent(harness.baseUrl, { ...event, notes: 'x'.repeat(2001) })).status).toBe(400);
    expect(await harness.consents.find(phone)).toBeUndefined();
  });
});
