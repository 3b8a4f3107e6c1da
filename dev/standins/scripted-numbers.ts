// The phone numbers the stand-ins answer with a script, defined once: the Twilio stand-in
// and the simulated agent take their scripts from here, tests and the demo use the names,
// and the README table is checked against this file (test/unit/standins).
// All of them sit in Twilio's +1 500 555 test range, so the +1 415 555 numbers that tests
// use for the happy path ("any other number") never run into a script by accident.
import type { AgentReport } from './simulated-agent';
import type { MessageScript } from './twilio-standin';

export interface ScriptedNumber {
  number: string;
  /** What the Twilio stand-in does with a message to this number. */
  sms?: MessageScript;
  /** What the simulated agent reports, per attempt; the last list repeats for later attempts. */
  call?: AgentReport[][];
  /** What the service should make of it: the path this number exists to show. */
  expected?: string;
}

/** What happens on any number not scripted below. */
export const UNSCRIPTED: { sms: MessageScript; call: AgentReport[][] } = {
  sms: { callbacks: [{ status: 'sent' }, { status: 'delivered' }] },
  call: [[{ event: 'call_answered' }, { event: 'call_completed', connected: true, customerResponse: 'will_pay_today' }]],
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
  CALL_NO_ANSWER: {
    number: '+15005550101',
    call: [[{ event: 'call_completed', connected: false, customerResponse: 'no_answer' }]],
    expected: 'retried',
  },
  CALL_FAILED: {
    number: '+15005550102',
    call: [[{ event: 'call_failed', customerResponse: 'no_answer', notes: 'Timeout waiting for participant to join' }]],
  },
  CALL_NO_AGENT_REPORT: { number: '+15005550103', call: [[]], expected: 'times out' },
  CALL_RETRIED_THEN_COMPLETED: {
    number: '+15005550104',
    call: [
      [{ event: 'call_answered' }, { event: 'call_completed', connected: false, customerResponse: 'voicemail' }],
      [{ event: 'call_answered' }, { event: 'call_completed', connected: true, customerResponse: 'will_pay_today' }],
    ],
    expected: 'retried, then completed',
  },
  CALL_PROMISE_TO_PAY: {
    number: '+15005550105',
    call: [
      [
        { event: 'call_answered' },
        { event: 'call_completed', connected: true, customerResponse: 'promise_to_pay', promisedDaysAfterDue: 5 },
      ],
    ],
    expected: 'a promise to pay 5 days after the due date',
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
