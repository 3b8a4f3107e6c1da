import Router from '@koa/router';
import twilio from 'twilio';
import type { Logger } from '../../observability/logger';
import { classifyInboundMessage, HELP_REPLY, type InboundMeaning } from '../../policy/inbound-message';
import type { ConsentStore } from '../../store/consents';
import type { ReminderStore } from '../../store/reminder-store';
import { parse, twilioInboundSchema } from '../validation';
import { verifiedTwilioForm } from './twilio-verification';

export interface InboundDependencies {
  consents: ConsentStore;
  reminders: ReminderStore;
  settings: { twilioAuthToken: string; publicBaseUrl: string };
  logger: Logger;
}

/**
 * POST /api/webhooks/twilio/inbound, Twilio's "a message comes in" webhook: an opt-out or
 * opt-in changes the number's consent, HELP gets a short reply, and any other text (a revoking
 * phrase included, so people can read what was said) is kept on the sender's open reminders.
 * Answers TwiML: a reply for HELP, otherwise an empty response (Twilio sends its own STOP and
 * START confirmations).
 */
export function twilioInboundRoutes({ consents, reminders, settings, logger }: InboundDependencies): Router {
  const router = new Router({ prefix: '/api/webhooks' });

  router.post('/twilio/inbound', async (ctx) => {
    const message = parse(twilioInboundSchema, verifiedTwilioForm(ctx, settings));
    const meaning = classifyInboundMessage({ body: message.Body, ...(message.OptOutType ? { optOutType: message.OptOutType } : {}) });
    if (meaning.kind === 'opt-out') await consents.optOut(message.From, { source: 'twilio-inbound', detail: meaning.detail });
    if (meaning.kind === 'opt-in') await consents.optIn(message.From, { source: 'twilio-inbound', detail: meaning.detail });
    let storedOn = 0;
    if (isFreeText(meaning) && message.Body.trim()) {
      const open = await reminders.findOpenByPhone(message.From);
      const stored = { at: new Date(), body: message.Body, messageSid: message.MessageSid };
      const results = await Promise.all(open.map((reminder) => reminders.addInboundMessage(reminder._id, stored)));
      storedOn = results.filter((result) => result === 'added').length;
    }
    // No phone number or text in the log: the SID finds them at Twilio.
    logger.info(
      { messageSid: message.MessageSid, meaning: meaning.kind, ...(meaning.kind !== 'message' ? { by: meaning.by } : {}), storedOn },
      'twilio inbound message received',
    );
    const response = new twilio.twiml.MessagingResponse();
    if (meaning.kind === 'help') response.message(HELP_REPLY);
    ctx.type = 'text/xml';
    ctx.body = response.toString();
  });

  return router;
}

/** Text the customer wrote, as opposed to a keyword Twilio also acts on. */
const isFreeText = (meaning: InboundMeaning): boolean => meaning.kind === 'message' || meaning.by === 'phrase';
