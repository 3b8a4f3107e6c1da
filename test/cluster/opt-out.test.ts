import { randomUUID } from 'node:crypto';
import twilio from 'twilio';
import { DEV_TWILIO } from '../../dev/standins/edge-stand-ins';
import { OPTED_OUT_REASON } from '../../src/policy/types';
import { ClusterClient } from '../support/cluster-client';
import { reminderRequest } from '../support/reminder-harness';

describe('an opt-out on the cluster', () => {
  let cluster: ClusterClient;
  beforeAll(async () => {
    cluster = await ClusterClient.connect();
  });
  afterAll(() => cluster?.close());

  /** An incoming message as Twilio posts it to one API instance, signed for that instance's URL. */
  const inbound = async (from: string, body: string) => {
    const url = `${cluster.nextApiUrl()}/api/webhooks/twilio/inbound`;
    const params = {
      From: from,
      To: '+15005550006',
      Body: body,
      MessageSid: `SM${randomUUID().replace(/-/g, '')}`,
      AccountSid: DEV_TWILIO.accountSid,
    };
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilio.getExpectedTwilioSignature(DEV_TWILIO.authToken, url, params),
      },
      body: new URLSearchParams(params).toString(),
    });
    return response.status;
  };

  it('a STOP to one instance keeps the next reminder to that number from being sent by either', async () => {
    const phone = '+14155550305';
    expect(await inbound(phone, 'STOP')).toBe(200);
    const consent = await cluster.api<{ optedOut: boolean }>('GET', `/api/consents/${encodeURIComponent(phone)}`);
    expect(consent).toMatchObject({ status: 200, body: { optedOut: true } });
    expect(await cluster.consents.get(phone)).toEqual({ optedOut: true });

    const created = await cluster.api('POST', '/api/reminders', reminderRequest({ customer: { id: 'cl-opt-out', name: 'Di', phone } }));
    expect(created.status).toBe(201);
    const ended = await cluster.waitForReminder(created.body.reminderId, (reminder) => reminder.status === 'cancelled');
    expect(ended.skipReason).toBe(OPTED_OUT_REASON);
    expect(await cluster.projectedReminder(created.body.reminderId)).toMatchObject({
      status: 'cancelled',
      workflowStatus: 'cancelled',
      skipReason: OPTED_OUT_REASON,
    });
    expect(await cluster.sentTo(phone)).toEqual([]);
  });
});
