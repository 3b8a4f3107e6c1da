import { readFileSync } from 'node:fs';
import path from 'node:path';
import { NUMBER_SCRIPTS, SCRIPTED_NUMBERS, scriptedNumbers, UNSCRIPTED } from '../../../dev/standins/scripted-numbers';
import { scriptedNumbersRows } from '../../../dev/standins/scripted-numbers-table';
import { DEFAULT_SCRIPTS } from '../../../dev/standins/twilio-standin';
import { callScriptsForAgent } from '../../../dev/standins/voice-agent';

const README_INTRO = 'The stand-ins follow scripts by phone number';

/** The README table after the intro line, as cells, without its separator line. */
function readmeTableRows(): string[][] {
  const readme = readFileSync(path.join(__dirname, '../../../README.md'), 'utf8').split('\n');
  const intro = readme.findIndex((line) => line.startsWith(README_INTRO));
  expect(intro).toBeGreaterThanOrEqual(0);
  const start = readme.findIndex((line, index) => index > intro && line.startsWith('|'));
  const end = readme.findIndex((line, index) => index > start && !line.startsWith('|'));
  return readme
    .slice(start, end === -1 ? undefined : end)
    .map((line) =>
      line
        .trim()
        .replace(/^\||\|$/g, '')
        .split('|')
        .map((cell) => cell.trim()),
    )
    .filter((cells) => !cells.every((cell) => /^:?-+:?$/.test(cell)));
}

describe('scripted numbers', () => {
  it('the README table says what the definition scripts (regenerate it with npx tsx dev/standins/scripted-numbers-table.ts)', () => {
    expect(readmeTableRows()).toEqual(scriptedNumbersRows());
  });

  it('are distinct and sit in the +1 500 555 test range, apart from the happy-path numbers tests use', () => {
    const numbers = Object.values(SCRIPTED_NUMBERS);
    expect(new Set(numbers).size).toBe(numbers.length);
    for (const number of numbers) expect(number).toMatch(/^\+1500555\d{4}$/);
  });

  it('each script one channel, so a number shows one path', () => {
    for (const script of scriptedNumbers()) expect([script.sms, script.call].filter(Boolean)).toHaveLength(1);
  });

  it('the Twilio stand-in takes its scripts from the definition, and only the SMS ones', () => {
    expect(DEFAULT_SCRIPTS).toEqual({
      [SCRIPTED_NUMBERS.SMS_UNDELIVERED_RETRYABLE]: NUMBER_SCRIPTS.SMS_UNDELIVERED_RETRYABLE.sms,
      [SCRIPTED_NUMBERS.SMS_FAILED_PERMANENT]: NUMBER_SCRIPTS.SMS_FAILED_PERMANENT.sms,
      [SCRIPTED_NUMBERS.SMS_NO_CALLBACK]: NUMBER_SCRIPTS.SMS_NO_CALLBACK.sms,
      [SCRIPTED_NUMBERS.SMS_OPTED_OUT]: NUMBER_SCRIPTS.SMS_OPTED_OUT.sms,
    });
    expect(DEFAULT_SCRIPTS[SCRIPTED_NUMBERS.SMS_OPTED_OUT]?.reject?.code).toBe(21610);
  });

  it("the voice agent's stand-ins get every call script, and only the call ones, by number", () => {
    const { unscripted, numbers } = callScriptsForAgent();
    expect(unscripted).toEqual(UNSCRIPTED.call);
    const callNumbers = scriptedNumbers().filter((script) => script.call);
    expect(Object.keys(numbers).sort()).toEqual(callNumbers.map((script) => script.number).sort());
    for (const script of callNumbers) expect(numbers[script.number]).toEqual(script.call);
    expect(numbers[SCRIPTED_NUMBERS.SMS_FAILED_PERMANENT]).toBeUndefined();
  });

  it('the call scripts play each path: an answer, no answer, busy, no agent, a retry, a promise, a hang-up, an opt-out', () => {
    const { numbers } = callScriptsForAgent();
    const callees = (name: keyof typeof SCRIPTED_NUMBERS) => numbers[SCRIPTED_NUMBERS[name]]!.map((script) => script.callee);
    expect(callees('CALL_NO_ANSWER')).toEqual(['never_answers']);
    expect(callees('CALL_BUSY')).toEqual(['busy']);
    expect(callees('CALL_NO_AGENT_REPORT')).toEqual(['no_agent']);
    const recorded = (name: keyof typeof SCRIPTED_NUMBERS) =>
      numbers[SCRIPTED_NUMBERS[name]]!.map((script) =>
        script.callee === 'answers' ? (script.tools ?? []).map((tool) => tool.arguments?.customer_response ?? tool.name) : [],
      );
    expect(recorded('CALL_RETRIED_THEN_COMPLETED')).toEqual([
      ['voicemail', 'end_call'],
      ['will_pay_today', 'end_call'],
    ]);
    expect(recorded('CALL_OPTS_OUT')).toEqual([['record_opt_out', 'end_call']]);
    expect(numbers[SCRIPTED_NUMBERS.CALL_PROMISE_TO_PAY]![0]).toMatchObject({
      tools: [
        { name: 'record_outcome', arguments: { customer_response: 'promise_to_pay' }, promisedDaysAfterDue: 5 },
        { name: 'end_call' },
      ],
    });
  });
});
