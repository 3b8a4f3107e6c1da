import { ApplicationFailure, log } from '@temporalio/activity';
import type { TwilioClient } from '../channels/twilio-client';
import type { SendLedger } from '../store/send-ledger';
import type { SendSmsRequest } from './types';

export interface SmsDependencies {
  twilio: TwilioClient;
  ledger: SendLedger;
  fromNumber: string;
  /** e.g. https://reminders.example.com; Twilio calls back to …/api/webhooks/twilio/status. */
  publicBaseUrl: string;
}

/** Twilio error codes that mean this recipient cannot be texted (see sms-errors.ts for delivery codes). */
const OPTED_OUT = 21610;
const INVALID_RECIPIENT = new Set([21211, 21212, 21408, 21612, 21614]);

export function createSmsActivities({ twilio, ledger, fromNumber, publicBaseUrl }: SmsDependencies) {
  /** A message this attempt already sent, found at Twilio (to, from, body, after the claim). */
  async function findSentMessage(request: SendSmsRequest, claimedAt: Date): Promise<string | undefined> {
    const recent = await twilio.messages.list({ to: request.to, from: fromNumber, limit: 20 });
    const claimedAtMs = claimedAt.getTime() - 60_000; // clocks differ a little
    return recent.find((message) => message.body === request.body && message.dateCreated.getTime() >= claimedAtMs)?.sid;
  }

  return {
    async sendSms(request: SendSmsRequest): Promise<{ messageSid: string }> {
      const earlier = await ledger.claim(request.reminderId, request.attempt);
      if (earlier?.messageSid) {
        log.info('SMS already sent for this attempt; not sending again', { messageSid: earlier.messageSid });
        return { messageSid: earlier.messageSid };
      }
      if (earlier) {
        const found = await findSentMessage(request, earlier.claimedAt);
        if (found) {
          log.info('SMS found at Twilio from an interrupted send; not sending again', { messageSid: found });
          await ledger.recordMessageSid(request.reminderId, request.attempt, found);
          return { messageSid: found };
        }
      }

      const statusCallback = new URL('/api/webhooks/twilio/status', publicBaseUrl);
      statusCallback.searchParams.set('reminderId', request.reminderId);
      statusCallback.searchParams.set('attempt', String(request.attempt));
      let message;
      try {
        message = await twilio.messages.create({
          to: request.to,
          from: fromNumber,
          body: request.body,
          statusCallback: statusCallback.toString(),
        });
      } catch (error) {
        throw classifyTwilioError(error);
      }
      await ledger.recordMessageSid(request.reminderId, request.attempt, message.sid);
      log.info('SMS accepted by Twilio', { messageSid: message.sid, status: message.status });
      return { messageSid: message.sid };
    },
  };
}

/** Permanent Twilio errors fail the attempt at once; everything else is retried by policy. */
export function classifyTwilioError(error: unknown): Error {
  const { status, code, message } = error as { status?: number; code?: number; message?: string };
  const details = [{ errorCode: code }];
  if (code === OPTED_OUT) {
    return ApplicationFailure.nonRetryable(`recipient opted out (Twilio ${code})`, 'RecipientOptedOut', ...details);
  }
  if (code !== undefined && INVALID_RECIPIENT.has(code)) {
    return ApplicationFailure.nonRetryable(`invalid recipient (Twilio ${code}): ${message}`, 'InvalidRecipient', ...details);
  }
  if (status !== undefined && status >= 400 && status < 500 && status !== 429 && status !== 408) {
    return ApplicationFailure.nonRetryable(`Twilio rejected the request (${status}${code ? `, ${code}` : ''}): ${message}`, 'RequestRejected', ...details);
  }
  return error instanceof Error ? error : new Error(String(error));
}
