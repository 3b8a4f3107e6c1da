import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DateTime } from 'luxon';
import { SCRIPTED_NUMBERS } from '../../dev/standins/scripted-numbers';
import { OPTED_OUT_REASON } from '../../src/policy/types';
import { reminderRequest, type ReminderHarness } from '../support/reminder-harness';
import { startTimeSkippingSystem, testServerClock, type TimeSkippingSystem } from '../support/time-skipping';

/**
 * The contact policy on the real stack, under the US profile, on the time-skipping server so
 * that nights and weeks pass in seconds. Times are chosen relative to the test server's clock
 * in the customer's own zone, so the outcome does not depend on the hour the suite runs at.
 * The tests poll the projection rather than await results: awaiting a result lets the server
 * skip past the 10-minute report timer before the Twilio stand-in's callback arrives.
 */
describe('the contact policy, end to end (time-skipping server, US profile)', () => {
  let env: TestWorkflowEnvironment;
  let harness: ReminderHarness;
  let system: TimeSkippingSystem;
  let nextLocal: ReturnType<typeof testServerClock>['nextLocal'];
  let skipTo: ReturnType<typeof testServerClock>['skipTo'];
  // A fresh test server per test: the SDK's client pings every 30 s, and the test server
  // answers a connection that lives for minutes (a loaded CI run) with GOAWAY (too_many_pings),
  // which can leave a blocking sleep hanging. Each test here lasts seconds.
  beforeEach(async () => {
    system = await startTimeSkippingSystem({ contactProfile: 'US' });
    ({ env, harness } = system);
    ({ nextLocal, skipTo } = testServerClock(env));
  });
  afterEach(() => system?.stop());

  const create = async (request: Record<string, unknown>) => {
    const response = await harness.api('POST', '/api/reminders', reminderRequest(request));
    expect(response.status).toBe(201);
    return response.body.reminderId;
  };
  // SCRIPTED_WINDOW: the stand-ins' scripted numbers are +1 500 (non-geographic), so they may be
  // in any zone of the North American plan, Guam to Hawaii: 08:00–21:00 in all of them at once
  // is 22:00–02:00 UTC, all year (neither Guam nor Hawaii has summer time).
  const sentTo = (phone: string) => harness.twilio.messages.filter((message) => message.to === phone).length;

  it('a reminder due at 23:00 local waits, pending with its reason, until 08:00 local', async () => {
    const zone = 'America/New_York';
    const phone = '+12125550181';
    const dueAt = await nextLocal(zone, 23);
    const id = await create({ customer: { id: 'cp-night', name: 'Night Owl', phone, timezone: zone }, sendAt: dueAt.toISO() });

    await skipTo(dueAt);
    const opensAt = dueAt.plus({ days: 1 }).set({ hour: 8, minute: 0 });
    const waiting = await harness.waitForReminder(id, (reminder) => reminder.waitingReason !== undefined);
    expect(waiting).toMatchObject({ status: 'pending', attempt: 0, waitingReason: `outside contact hours in ${zone} until 08:00` });
    expect(Date.parse(waiting.nextAttemptAt!)).toBe(opensAt.toMillis());
    expect(sentTo(phone)).toBe(0);

    await skipTo(opensAt);
    const done = await harness.waitForReminder(id, (reminder) => reminder.status === 'completed');
    const sentAt = Date.parse(done.history.find((entry) => entry.status === 'in_progress')!.at);
    expect(sentAt).toBeGreaterThanOrEqual(opensAt.toMillis());
    expect(sentTo(phone)).toBe(1);
  });

  it('a customer whose zones disagree waits for the hours open in both', async () => {
    // Phone in Los Angeles (area code 415), home zone London: 08:00–21:00 in both is 08:00–13:00 in LA in winter.
    const phone = '+14155550182';
    const dueAt = await nextLocal('America/Los_Angeles', 14); // 22:00 in London
    const id = await create({
      customer: { id: 'cp-two-zones', name: 'Two Zones', phone, timezone: 'Europe/London' },
      sendAt: dueAt.toISO(),
    });

    await skipTo(dueAt);
    const waiting = await harness.waitForReminder(id, (reminder) => reminder.waitingReason !== undefined);
    expect(waiting.waitingReason).toMatch(/outside contact hours in (Europe\/London|America\/Los_Angeles) until/);
    const opensAt = DateTime.fromMillis(Date.parse(waiting.nextAttemptAt!));
    expect(opensAt.setZone('America/Los_Angeles').hour).toBeGreaterThanOrEqual(8);
    expect(opensAt.setZone('Europe/London').hour).toBeLessThan(21);
    expect(opensAt.setZone('Europe/London').hour).toBeGreaterThanOrEqual(8);
    expect(sentTo(phone)).toBe(0);
  });

  it('20 reminders at once for one Massachusetts debt: exactly 2 contacts in 7 days, the rest deferred with the reason', async () => {
    const zone = 'America/New_York';
    const phone = '+16175550183';
    const dueAt = await nextLocal(zone, 12);
    const customer = { id: 'cp-ma', name: 'Bay State', phone, timezone: zone, region: { country: 'US', subdivision: 'US-MA' } };
    const payment = { amount: 50, currency: 'USD', dueDate: '2026-12-01', reference: 'INV-MA-1' };
    const ids = await Promise.all(Array.from({ length: 20 }, () => create({ customer, payment, sendAt: dueAt.toISO() })));

    await skipTo(dueAt.plus({ minutes: 5 }));
    const reminders = await Promise.all(
      ids.map((id) => harness.waitForReminder(id, (reminder) => reminder.status !== 'pending' || reminder.waitingReason !== undefined)),
    );
    const deferred = reminders.filter((reminder) => reminder.status === 'pending');
    expect(reminders.length - deferred.length).toBe(2);
    expect(deferred).toHaveLength(18);
    for (const reminder of deferred) expect(reminder.waitingReason).toMatch(/2 contacts \(calls and texts\) per 7 days/);
    expect(sentTo(phone)).toBe(2);
  });

  it('never texts a number that opted out: the reminder ends cancelled with the reason', async () => {
    const phone = '+14155550184';
    await harness.consents.optOut(phone, { source: 'api', detail: 'test' });
    const id = await create({
      customer: { id: 'cp-out', name: 'Opted Out', phone, timezone: 'America/Los_Angeles' },
      sendAt: (await nextLocal('America/Los_Angeles', 10)).toISO(),
    });
    await skipTo(await nextLocal('America/Los_Angeles', 10));
    expect(await harness.waitForReminder(id, (reminder) => reminder.status === 'cancelled')).toMatchObject({
      skipReason: OPTED_OUT_REASON,
    });
    expect(sentTo(phone)).toBe(0);
  });

  it('a Twilio 21610 on send records the opt-out for the number and ends the reminder the same way', async () => {
    const phone = SCRIPTED_NUMBERS.SMS_OPTED_OUT;
    const sendAt = await nextLocal('UTC', 23, 0); // inside every NANP zone's hours (see SCRIPTED_WINDOW)
    const id = await create({
      customer: { id: 'cp-21610', name: 'Said Stop', phone, timezone: 'America/Los_Angeles' },
      sendAt: sendAt.toISO(),
    });
    await skipTo(sendAt);
    expect(await harness.waitForReminder(id, (reminder) => reminder.status === 'cancelled')).toMatchObject({
      skipReason: OPTED_OUT_REASON,
    });
    expect(await harness.consents.get(phone)).toMatchObject({ optedOut: true });
  });

  it('an opt-out that arrives during the backoff ends the reminder at its next contact', async () => {
    const phone = SCRIPTED_NUMBERS.SMS_UNDELIVERED_RETRYABLE;
    const sendAt = await nextLocal('UTC', 23, 0); // inside every NANP zone's hours (see SCRIPTED_WINDOW)
    const id = await create({
      customer: { id: 'cp-backoff', name: 'Backs Off', phone, timezone: 'America/Los_Angeles' },
      sendAt: sendAt.toISO(),
    });
    await skipTo(sendAt);
    await harness.waitForReminder(id, (reminder) => reminder.status === 'pending' && reminder.attempt === 1);
    await harness.consents.optOut(phone, { source: 'twilio-inbound', detail: 'STOP' });
    await env.sleep('16 minutes');
    expect(await harness.waitForReminder(id, (reminder) => reminder.status === 'cancelled')).toMatchObject({
      attempt: 1,
      skipReason: OPTED_OUT_REASON,
    });
    expect(sentTo(phone)).toBe(1);
  });
});
