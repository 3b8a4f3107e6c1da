import { readFileSync } from 'node:fs';
import path from 'node:path';
import { NUMBER_SCRIPTS, SCRIPTED_NUMBERS, scriptedNumbers } from '../../../dev/standins/scripted-numbers';
import { scriptedNumbersRows } from '../../../dev/standins/scripted-numbers-table';
import { agentReportsFor } from '../../../dev/standins/simulated-agent';
import { DEFAULT_SCRIPTS } from '../../../dev/standins/twilio-standin';

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

  it('the simulated agent reports per attempt, the last scripted attempt repeating', () => {
    const responses = (phone: string, attempt: number) =>
      agentReportsFor(phone, attempt).map((report) =>
        report.event === 'call_answered' ? report.event : `${report.event}:${report.customerResponse}`,
      );
    const retried = SCRIPTED_NUMBERS.CALL_RETRIED_THEN_COMPLETED;
    expect(responses(retried, 1)).toEqual(['call_answered', 'call_completed:voicemail']);
    expect(responses(retried, 2)).toEqual(['call_answered', 'call_completed:will_pay_today']);
    expect(responses(retried, 3)).toEqual(['call_answered', 'call_completed:will_pay_today']);
    expect(responses(SCRIPTED_NUMBERS.CALL_NO_ANSWER, 2)).toEqual(['call_completed:no_answer']);
    expect(responses(SCRIPTED_NUMBERS.CALL_FAILED, 1)).toEqual(['call_failed:no_answer']);
    expect(responses(SCRIPTED_NUMBERS.CALL_NO_AGENT_REPORT, 1)).toEqual([]);
  });

  it('any number not scripted is answered and pays today, SMS-scripted numbers included', () => {
    for (const phone of ['+14155550123', SCRIPTED_NUMBERS.SMS_FAILED_PERMANENT]) {
      expect(agentReportsFor(phone, 1)).toEqual([
        { event: 'call_answered' },
        { event: 'call_completed', connected: true, customerResponse: 'will_pay_today' },
      ]);
    }
  });
});
