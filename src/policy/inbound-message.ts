/**
 * What an inbound text means for consent: opt out, opt in, a request for help, or just a
 * message. Pure: the inbound webhook calls it and acts on the answer.
 *
 * Keywords are matched as Twilio matches them: the whole body, trimmed, case-insensitive, one
 * word only ("STOP" opts out, "STOP PLEASE" does not). Twilio's defaults for long codes:
 * opt-out STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, REVOKE, OPTOUT; opt-in START, YES,
 * UNSTOP; help HELP, INFO. Sources: "Customize users' opt-in and opt-out experience with
 * Advanced Opt-Out", https://www.twilio.com/docs/messaging/tutorials/advanced-opt-out, and
 * "Twilio support for opt-out keywords (SMS STOP filtering)",
 * https://help.twilio.com/hc/en-us/articles/223134027-Twilio-support-for-opt-out-keywords-SMS-STOP-filtering-.
 * With Advanced Opt-Out on, Twilio also sends
 * `OptOutType` (STOP, START or HELP) for the service's own keywords, in any language: it wins.
 *
 * Consent may be revoked "in any reasonable manner" (FCC, 2024), so free text that plainly
 * revokes it opts out too: REVOKING_PHRASES, matched as whole words anywhere in the text once
 * it is normalised (lower case, straight apostrophes, punctuation to spaces, spaces collapsed).
 */

export const OPT_OUT_KEYWORDS = ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT'] as const;
export const OPT_IN_KEYWORDS = ['START', 'YES', 'UNSTOP'] as const;
export const HELP_KEYWORDS = ['HELP', 'INFO'] as const;

/**
 * Free text that plainly says "stop contacting me". Normalised form (see normalise). Kept to
 * phrases with no other reading: "stop" alone inside a sentence ("can you stop by") is not one.
 */
export const REVOKING_PHRASES = [
  'stop texting me',
  'stop messaging me',
  'stop calling me',
  'stop contacting me',
  'stop sending me',
  'stop sending messages',
  'stop sending texts',
  'stop the texts',
  'stop the calls',
  'stop the messages',
  'dont text me',
  'dont call me',
  'dont contact me',
  'dont message me',
  'do not text me',
  'do not call me',
  'do not contact me',
  'do not message me',
  'never text me',
  'never call me',
  'never contact me',
  'no more texts',
  'no more calls',
  'no more messages',
  'unsubscribe me',
  'opt me out',
  'take me off your list',
  'remove me from your list',
  'remove my number',
  'leave me alone',
  'i revoke my consent',
  'i withdraw my consent',
] as const;

/** How a meaning was recognised: Twilio's OptOutType, a whole-body keyword, or a phrase in free text. */
export type RecognisedBy = 'OptOutType' | 'keyword' | 'phrase';

export type InboundMeaning =
  | { kind: 'opt-out'; by: RecognisedBy; detail: string }
  | { kind: 'opt-in' | 'help'; by: Exclude<RecognisedBy, 'phrase'>; detail: string }
  | { kind: 'message' };

/** The reply to HELP or INFO: who we are and how to stop. */
export const HELP_REPLY = 'Payment reminders. Reply STOP to stop all reminders by text and call, START to receive them again.';

export function classifyInboundMessage(message: { body: string; optOutType?: string }): InboundMeaning {
  const optOutType = message.optOutType?.trim().toUpperCase();
  if (optOutType === 'STOP') return { kind: 'opt-out', by: 'OptOutType', detail: 'OptOutType STOP' };
  if (optOutType === 'START') return { kind: 'opt-in', by: 'OptOutType', detail: 'OptOutType START' };
  if (optOutType === 'HELP') return { kind: 'help', by: 'OptOutType', detail: 'OptOutType HELP' };

  const keyword = message.body.trim().toUpperCase();
  if (isOneOf(OPT_OUT_KEYWORDS, keyword)) return { kind: 'opt-out', by: 'keyword', detail: `keyword ${keyword}` };
  if (isOneOf(OPT_IN_KEYWORDS, keyword)) return { kind: 'opt-in', by: 'keyword', detail: `keyword ${keyword}` };
  if (isOneOf(HELP_KEYWORDS, keyword)) return { kind: 'help', by: 'keyword', detail: `keyword ${keyword}` };

  const text = ` ${normalise(message.body)} `;
  const phrase = REVOKING_PHRASES.find((candidate) => text.includes(` ${candidate} `));
  if (phrase) return { kind: 'opt-out', by: 'phrase', detail: `phrase "${phrase}"` };
  return { kind: 'message' };
}

/** Lower case, apostrophes dropped ("don't" → "dont"), anything but letters and digits a space, spaces collapsed. */
export function normalise(body: string): string {
  return body
    .normalize('NFKC')
    .toLowerCase()
    .replace(/['\u2018\u2019\u02bc`]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

const isOneOf = (words: readonly string[], word: string): boolean => words.includes(word);
