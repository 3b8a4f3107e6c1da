// The README's table of scripted numbers, written from scripted-numbers.ts so the two cannot
// drift apart (a unit test compares them). After changing a script, paste the output of
// `npx tsx dev/standins/scripted-numbers-table.ts` over the table in README.md.
import type { MessageScript } from './twilio-standin';
import type { AgentReport } from './simulated-agent';
import { scriptedNumbers, UNSCRIPTED } from './scripted-numbers';

const withExpected = (behaviour: string, expected?: string) => (expected ? `${behaviour} (${expected})` : behaviour);

function describeSms(script: MessageScript): string {
  if (script.reject) return `rejected, ${script.reject.code}`;
  if (script.callbacks.length === 0) return 'no callback';
  return script.callbacks.map(({ status, errorCode }) => (errorCode ? `${status}, ${errorCode}` : status)).join(' → ');
}

function describeReport(report: AgentReport): string {
  if (report.event === 'call_answered') return 'answered';
  if (report.event === 'call_failed') return '`call_failed`';
  return `completed, \`${report.customerResponse}\`${report.connected ? '' : ', not connected'}`;
}

function describeCall(attempts: AgentReport[][]): string {
  const describeAttempt = (reports: AgentReport[]) => (reports.length === 0 ? 'never reports' : reports.map(describeReport).join(' → '));
  if (attempts.length === 1) return describeAttempt(attempts[0]!);
  const label = (index: number) => `attempt ${index + 1}${index === attempts.length - 1 ? ' and later' : ''}`;
  return attempts.map((reports, index) => `${label(index)}: ${describeAttempt(reports)}`).join('; ');
}

/** The table's header and rows, as cells (no separator line, so a formatter's padding does not matter). */
export function scriptedNumbersRows(): string[][] {
  const rows = [
    ['any other', '', describeSms(UNSCRIPTED.sms), describeCall(UNSCRIPTED.call)],
    ...scriptedNumbers().map(({ name, number, sms, call, expected }) => [
      number,
      `\`${name}\``,
      sms ? withExpected(describeSms(sms), expected) : '',
      call ? withExpected(describeCall(call), expected) : '',
    ]),
  ];
  return [['number', 'name', 'SMS (Twilio stand-in)', 'call (simulated agent)'], ...rows];
}

export function scriptedNumbersTable(): string {
  const [header, ...rows] = scriptedNumbersRows();
  return [header!, header!.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`.replace(/ {2}\|/g, ' |')).join('\n');
}

if (require.main === module) console.log(scriptedNumbersTable());
