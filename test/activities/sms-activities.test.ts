import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { MongoClient } from 'mongodb';
import { SendLedger } from '../../src/store/send-ledger';
import { classifyTwilioError, createSmsActivities } from '../../src/activities/sms-activities';
import { createTwilioClient } from '../../src/channels/twilio-client';
import { startTwilioStandIn, type TwilioStandIn } from '../../dev/standins/twilio-standin';
import { testStack } from '../support/stack';
import { SCRIPTED_NUMBERS } from '../../dev/standins/scripted-numbers';

const credentials = { accountSid: 'ACsmsactivities', authToken: 'sms-activities-token', fromNumber: '+15005550006' };

describe('sendSms never texts twice for one attempt', () => {
  let mongo: MongoClient;
  let standIn: TwilioStandIn;
  let ledger: SendLedger;
  let activities: ReturnType<typeof createSmsActivities>;
  const run = (request: Parameters<typeof activities.sendSms>[0]): Promise<{ messageSid: string }> =>
    new MockActivityEnvironment().run(() => activities.sendSms(request));

  beforeAll(async () => {
    mongo = await MongoClient.connect(testStack().mongodbUri('sms'), { retryWrites: false });
    standIn = await startTwilioStandIn({ accountSid: credentials.accountSid, authToken: credentials.authToken, scripts: {} });
    ledger = new SendLedger(mongo.db());
    activities = createSmsActivities({
      twilio: createTwilioClient({ ...credentials, apiBaseUrl: standIn.url }),
      ledger,
      fromNumber: credentials.fromNumber,
      publicBaseUrl: 'http://127.0.0.1:9', // nothing listens: callbacks are not under test here
    });
  });
  afterAll(async () => {
    await standIn?.close();
    await mongo?.close();
  });

  it('returns the recorded MessageSid when the activity is retried after a successful send', async () => {
    const request = { reminderId: randomUUID(), attempt: 1, to: '+14155550401', body: 'pay up, kindly' };
    const first = await run(request);
    const retried = await run(request);
    expect(retried).toEqual(first);
    expect(standIn.messages.filter((m) => m.to === request.to)).toHaveLength(1);
  });

  it('adopts the message Twilio already accepted when the worker died before recording it', async () => {
    const request = { reminderId: randomUUID(), attempt: 1, to: '+14155550402', body: 'pay up, kindly' };
    await ledger.claim(request.reminderId, request.attempt); // the claim of the attempt that died
    const twilio = createTwilioClient({ ...credentials, apiBaseUrl: standIn.url });
    const sentBeforeCrash = await twilio.messages.create({ to: request.to, from: credentials.fromNumber, body: request.body });

    const retried = await run(request);

    expect(retried.messageSid).toBe(sentBeforeCrash.sid);
    expect(standIn.messages.filter((m) => m.to === request.to)).toHaveLength(1);
  });

  it('sends when an earlier try claimed the attempt but Twilio never got the message', async () => {
    const request = { reminderId: randomUUID(), attempt: 2, to: '+14155550403', body: 'pay up, kindly' };
    await ledger.claim(request.reminderId, request.attempt);
    const result = await run(request);
    expect(standIn.messages.filter((m) => m.to === request.to).map((m) => m.sid)).toEqual([result.messageSid]);
  });

  it('sends again for a new attempt of the same reminder', async () => {
    const reminderId = randomUUID();
    const to = '+14155550404';
    const first = await run({ reminderId, attempt: 1, to, body: 'first' });
    const second = await run({ reminderId, attempt: 2, to, body: 'second' });
    expect(second.messageSid).not.toBe(first.messageSid);
    expect(await ledger.countFor(reminderId)).toBe(2);
  });

  it('fails without retry when the recipient opted out (21610)', async () => {
    const failure = await run({ reminderId: randomUUID(), attempt: 1, to: SCRIPTED_NUMBERS.SMS_OPTED_OUT, body: 'x' }).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'RecipientOptedOut', nonRetryable: true, details: [{ errorCode: 21610 }] });
  });

  it('fails without retry when Twilio finds the number invalid (21211)', async () => {
    const failure = await run({ reminderId: randomUUID(), attempt: 1, to: '12345', body: 'x' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'InvalidRecipient', nonRetryable: true, details: [{ errorCode: 21211 }] });
  });

  it('leaves a transient Twilio fault (503) to the retry policy', async () => {
    standIn.failNextCreates(1);
    const failure = await run({ reminderId: randomUUID(), attempt: 1, to: '+14155550405', body: 'x' }).catch((error: unknown) => error);
    expect(failure).not.toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ status: 503 });
  });
});

describe('classifyTwilioError builds the failure the domain policy decides', () => {
  const twilioError = (status: number, code: number, message: string) => Object.assign(new Error(message), { status, code });

  it('a destination disabled in Geo Permissions (21408) is an invalid recipient, not retried', () => {
    const failure = classifyTwilioError(twilioError(400, 21408, 'Permission to send an SMS has not been enabled for the region'));
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({
      type: 'InvalidRecipient',
      nonRetryable: true,
      message: 'invalid recipient (Twilio 21408): Permission to send an SMS has not been enabled for the region',
      details: [{ errorCode: 21408 }],
    });
  });

  it('a 4xx with a code the table does not list is a rejected request', () => {
    expect(classifyTwilioError(twilioError(401, 20003, 'Authenticate'))).toMatchObject({
      type: 'RequestRejected',
      nonRetryable: true,
      message: 'Twilio rejected the request (401, 20003): Authenticate',
    });
  });

  it('a rate limit (429) is handed back unchanged for the retry policy', () => {
    const error = twilioError(429, 20429, 'Too Many Requests');
    expect(classifyTwilioError(error)).toBe(error);
  });
});
