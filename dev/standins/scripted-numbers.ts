// The phone numbers the stand-ins answer with a script, defined once: the Twilio stand-in
// and the voice agent's stand-ins (agent/standins: the simulated callee and the scripted model
// around the real Python agent) take their scripts from here, tests and the demo use the names,
// and the README table is checked against this file (test/unit/standins).
// All of them sit in Twilio's +1 500 555 test range, so the +1 415 555 numbers that tests
// use for the happy path ("any other number") never run into a script by accident.
import type { MessageScript } from './twilio-standin';

/** A tool call the scripted model makes; the tools are the agent's own (agent/payment_agent/conversation.py). */
export interface ScriptedToolCall {
  name: 'record_outcome' | 'record_opt_out' | 'end_call';
  arguments?: Record<string, string | number>;
  /**
   * Adds `promised_date`, this many days after the reminder's due date: dated from the due date,
   * not the agent's clock, since on the time-skipping server the workflow's time runs days ahead.
   */
  promisedDaysAfterDue?: number;
}

/**
 * One attempt of a call, as the stand-ins at the agent's network edge play it: the simulated
 * callee in place of the SIP leg (`answers` after `answerAfterMs`, says `says` once greeted,
 * or hangs up `hangsUpAfterMs` after the greeting; `never_answers` rings out; `busy` is SIP 486), and the
 * scripted model's tool calls, in order. `no_agent`: no agent takes the dispatch, so nothing
 * is ever reported.
 */
export type CallScript =
  | { callee: 'answers'; answerAfterMs?: number; says?: string; hangsUpAfterMs?: number; tools?: ScriptedToolCall[] }
  | { callee: 'never_answers' }
  | { callee: 'busy' }
  | { callee: 'no_agent' };

export interface ScriptedNumber {
  number: string;
  /** What the Twilio stand-in does with a message to this number. */
  sms?: MessageScript;
  /** What happens on a call to this number, per attempt; the last one repeats for later attempts. */
  call?: CallScript[];
  /** What the service should make of it: the path this number exists to show. */
  expected?: string;
}

/** The callee answers, says `says`, and the model records `customer_response` (with `extra`), then ends the call. */
export const answersWith = (
  customerResponse: string,
  says: string,
  extra: Record<string, string | number> = {},
  promise: Pick<ScriptedToolCall, 'promisedDaysAfterDue'> = {},
): CallScript => ({
  callee: 'answers',
  says,
  tools: [
    {
      name: 'record_outcome',
      arguments: { customer_response: customerResponse, notes: `scripted: ${customerResponse}`, ...extra },
      ...promise,
    },
    { name: 'end_call' },
  ],
});

/** What happens on any number not scripted below. */
export const UNSCRIPTED: { sms: MessageScript; call: CallScript[] } = {
  sms: { callbacks: [{ status: 'sent' }, { status: 'delivered' }] },
  call: [answersWith('will_pay_today', 'Yes, I will pay it today.')],
};

export const NUMBER_SCRIPTS = {
  SMS_UNDELIVERED_RETRYABLE: {
    number: '+15005550001',
    sms: { callbacks: [{ status: 'sent' }, { status: 'undelivered', errorCode: '30003' }] },
    expected: 'retried',
  },
  SMS_FAILED_PERMANENT: {
    number: '+15005550002',
    sms: { callbacks: [{ status: 'sent' }, { status: 'failed', errorCode: '30005' }] },
    expected: 'permanent',
  },
  SMS_NO_CALLBACK: { number: '+15005550003', sms: { callbacks: [] }, expected: 'times out' },
  SMS_OPTED_OUT: {
    number: '+15005550009',
    sms: { callbacks: [], reject: { status: 400, code: 21610, message: 'Attempt to send to unsubscribed recipient' } },
    expected: 'opted out',
  },
  CALL_NO_ANSWER: { number: '+15005550101', call: [{ callee: 'never_answers' }], expected: 'retried' },
  CALL_FAILED: { number: '+15005550102', call: [{ callee: 'never_answers' }] },
  CALL_NO_AGENT_REPORT: { number: '+15005550103', call: [{ callee: 'no_agent' }], expected: 'times out' },
  CALL_RETRIED_THEN_COMPLETED: {
    number: '+15005550104',
    call: [answersWith('voicemail', 'Please leave a message after the tone.'), answersWith('will_pay_today', 'Yes, I will pay it today.')],
    expected: 'retried, then completed',
  },
  CALL_PROMISE_TO_PAY: {
    number: '+15005550105',
    call: [answersWith('promise_to_pay', 'I can pay it five days after the due date.', {}, { promisedDaysAfterDue: 5 })],
    expected: 'a promise to pay 5 days after the due date',
  },
  CALL_BUSY: { number: '+15005550106', call: [{ callee: 'busy' }], expected: 'retried' },
  CALL_HANGS_UP_EARLY: { number: '+15005550107', call: [{ callee: 'answers', hangsUpAfterMs: 200 }], expected: 'retried' },
  CALL_OPTS_OUT: {
    number: '+15005550108',
    call: [
      {
        callee: 'answers',
        says: 'Please stop calling me.',
        tools: [{ name: 'record_opt_out', arguments: { notes: 'Please stop calling me.' } }, { name: 'end_call' }],
      },
    ],
    expected: 'number opted out',
  },
} satisfies Record<string, ScriptedNumber>;

export type ScriptedNumberName = keyof typeof NUMBER_SCRIPTS;

/** The numbers by name, for tests and the demo: `phone: SCRIPTED_NUMBERS.SMS_OPTED_OUT`. */
export const SCRIPTED_NUMBERS = Object.fromEntries(Object.entries(NUMBER_SCRIPTS).map(([name, script]) => [name, script.number])) as Record<
  ScriptedNumberName,
  string
>;

/** Every scripted number, in the order above (which is the README's). */
export const scriptedNumbers = (): (ScriptedNumber & { name: ScriptedNumberName })[] =>
  Object.entries(NUMBER_SCRIPTS).map(([name, script]) => ({ name: name as ScriptedNumberName, ...script }));
