import { ApplicationFailure, log } from '@temporalio/activity';
import type { TwilioClient } from '../channels/twilio-client';
import { twilioSendVerdict } from '../domain/failure-policy';
import type { SendLedger } from '../store/send-ledger';
import type { SendSmsRequest } from './types';

export interface SmsDependencies {
  twilio: TwilioClient;
  ledger: SendLedger;
  fromNumber: string;
  /** e.g. https://reminders.example.com; Twilio calls back to …/api/webhooks/twilio/status. */
  publicBaseUrl: string;
}

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

/** A permanent failure (by the domain's failure policy) fails the attempt at once; the rest retry by policy. */
export function classifyTwilioError(error: unknown): Error {
  const { status, code, message } = error as { status?: number; code?: number; message?: string };
  const verdict = twilioSendVerdict({ status, code });
  if (!verdict.permanent) return error instanceof Error ? error : new Error(String(error));
  const details = [{ errorCode: code }];
  switch (verdict.type) {
    case 'RecipientOptedOut':
      return ApplicationFailure.nonRetryable(`recipient opted out (Twilio ${code})`, verdict.type, ...details);
    case 'InvalidRecipient':
      return ApplicationFailure.nonRetryable(`invalid recipient (Twilio ${code}): ${message}`, verdict.type, ...details);
    case 'RequestRejected':
      return ApplicationFailure.nonRetryable(
        `Twilio rejected the request (${status}${code ? `, ${code}` : ''}): ${message}`,
        verdict.type,
        ...details,
      );
  }
}
