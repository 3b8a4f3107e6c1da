import { randomUUID } from 'node:crypto';
import twilio from 'twilio';
import { HELP_REPLY } from '../../src/policy/inbound-message';
import type { ConsentRecord } from '../../src/store/consents';
import type { ReminderView } from '../support/api-bodies';
import { ReminderHarness, reminderRequest, TEST_SECRETS } from '../support/reminder-harness';

/** The consent record as GET /api/consents/:phone answers it (dates as ISO strings). */
type ConsentBody = Omit<ConsentRecord, 'updatedAt' | 'history'> & {
  updatedAt: string;
  history: (Omit<ConsentRecord['history'][number], 'at'> & { at: string })[];
};

let sequence = 0;
/** Fictional numbers (555-01xx), one per test, so one test's opt-out never touches another's reminders. */
const newPhone = () => `+1312555${String(150 + sequence++).padStart(4, '0')}`;

describe("Twilio's inbound message webhook, signed as Twilio signs it", () => {
  let harness: ReminderHarness;
  beforeAll(async () => {
    harness = await ReminderHarness.start();
  });
  afterAll(() => harness?.stop());

  /** Posts an incoming message as Twilio does (form fields, X-Twilio-Signature over URL and fields). */
  const inbound = async (from: string, body: string, extra: Record<string, string> = {}, options: { authToken?: string } = {}) => {
    const url = `${harness.baseUrl}/api/webhooks/twilio/inbound`;
    const params = {
      From: from,
      To: TEST_SECRETS.fromNumber,
      Body: body,
      MessageSid: `SM${randomUUID().replace(/-/g, '')}`,
      AccountSid: TEST_SECRETS.twilioAccountSid,
      NumMedia: '0',
      ...extra,
    };
    const signature = twilio.getExpectedTwilioSignature(options.authToken ?? TEST_SECRETS.twilioAuthToken, url, params);
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
      body: new URLSearchParams(params).toString(),
    });
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      text: await response.text(),
      messageSid: params.MessageSid,
    };
  };
  const consent = (phone: string) => harness.api<ConsentBody>('GET', `/api/consents/${encodeURIComponent(phone)}`);
  /** A reminder that stays open (due tomorrow) for this number. */
  const openReminder = async (phone: string) => {
    const sendAt = new Date(Date.now() + 86_400_000).toISOString();
    const created = await harness.api(
      'POST',
      '/api/reminders',
      reminderRequest({ sendAt, customer: { id: `in-${phone}`, name: 'Ada', phone } }),
    );
    expect(created.status).toBe(201);
    return created.body.reminderId;
  };

  it('opts the number out on STOP, with the change in its history, and answers empty TwiML', async () => {
    const phone = newPhone();
    const answer = await inbound(phone, 'STOP');
    expect(answer.status).toBe(200);
    expect(answer.type).toMatch(/^text\/xml/);
    expect(answer.text).toContain('<Response/>');
    const { status, body } = await consent(phone);
    expect(status).toBe(200);
    expect(body).toMatchObject({ phone, optedOut: true, history: [{ optedOut: true, source: 'twilio-inbound', detail: 'keyword STOP' }] });
    expect(await harness.consents.get(phone)).toEqual({ optedOut: true });
  });

  it('opts the number back in on START, keeping both changes', async () => {
    const phone = newPhone();
    await inbound(phone, 'stop');
    expect((await inbound(phone, ' Start ')).status).toBe(200);
    const { body } = await consent(phone);
    expect(body.optedOut).toBe(false);
    expect(body.history.map((change) => [change.optedOut, change.detail])).toEqual([
      [true, 'keyword STOP'],
      [false, 'keyword START'],
    ]);
  });

  it("follows Advanced Opt-Out's OptOutType whatever the keyword", async () => {
    const phone = newPhone();
    await inbound(phone, 'ALTO', { OptOutType: 'STOP' });
    expect(await harness.consents.get(phone)).toEqual({ optedOut: true });
  });

  it('answers HELP with a short TwiML reply and changes no consent', async () => {
    const phone = newPhone();
    const answer = await inbound(phone, 'HELP');
    expect(answer.status).toBe(200);
    expect(answer.type).toMatch(/^text\/xml/);
    expect(answer.text).toBe(`<?xml version="1.0" encoding="UTF-8"?><Response><Message>${HELP_REPLY}</Message></Response>`);
    expect((await consent(phone)).status).toBe(404);
  });

  it("keeps other text on the sender's open reminders only, once per MessageSid, and changes no consent", async () => {
    const phone = newPhone();
    const open = await openReminder(phone);
    const ended = await openReminder(phone);
    expect((await harness.api('POST', `/api/reminders/${ended}/cancel`)).status).toBe(200);
    await harness.waitForReminder(ended, (reminder) => reminder.status === 'cancelled');

    const answer = await inbound(phone, 'I paid yesterday, reference INV-1001');
    expect(answer.status).toBe(200);
    const seen = await harness.waitForReminder(open, (reminder) => (reminder.inboundMessages?.length ?? 0) > 0);
    expect(seen.inboundMessages).toEqual([
      { at: expect.any(String) as string, body: 'I paid yesterday, reference INV-1001', messageSid: answer.messageSid },
    ]);
    expect((await harness.api<ReminderView>('GET', `/api/reminders/${ended}`)).body.inboundMessages).toBeUndefined();
    expect((await consent(phone)).status).toBe(404);
    expect(await harness.store.addInboundMessage(open, { at: new Date(), body: 'again', messageSid: answer.messageSid })).toBe('duplicate');
  });

  it('opts out on free text that plainly revokes consent, and keeps the text on the open reminder', async () => {
    const phone = newPhone();
    const open = await openReminder(phone);
    await inbound(phone, "Please don't call me again.");
    expect(await harness.consents.get(phone)).toEqual({ optedOut: true });
    expect((await consent(phone)).body.history[0]).toMatchObject({ source: 'twilio-inbound', detail: 'phrase "dont call me"' });
    const seen = await harness.waitForReminder(open, (reminder) => (reminder.inboundMessages?.length ?? 0) > 0);
    expect(seen.inboundMessages?.[0]?.body).toBe("Please don't call me again.");
  });

  it('refuses a request signed with another token with 401 and changes nothing', async () => {
    const phone = newPhone();
    const open = await openReminder(phone);
    for (const body of ['STOP', 'I paid yesterday']) {
      const answer = await inbound(phone, body, {}, { authToken: 'another-token' });
      expect(answer.status).toBe(401);
    }
    expect(await harness.consents.find(phone)).toBeUndefined();
    expect((await harness.store.findById(open))?.inbound).toBeUndefined();
  });

  it('refuses a sender that is not a phone number with 400', async () => {
    expect((await inbound('not-a-number', 'STOP')).status).toBe(400);
  });
});
