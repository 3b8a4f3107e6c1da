// The README's table of scripted numbers, written from scripted-numbers.ts so the two cannot
// drift apart (a unit test compares them). After changing a script, paste the output of
// `npx tsx dev/standins/scripted-numbers-table.ts` over the table in README.md.
import type { MessageScript } from './twilio-standin';
import { scriptedNumbers, UNSCRIPTED, type CallScript, type ScriptedToolCall } from './scripted-numbers';

const withExpected = (behaviour: string, expected?: string) => (expected ? `${behaviour} (${expected})` : behaviour);

function describeSms(script: MessageScript): string {
  if (script.reject) return `rejected, ${script.reject.code}`;
  if (script.callbacks.length === 0) return 'no callback';
  return script.callbacks.map(({ status, errorCode }) => (errorCode ? `${status}, ${errorCode}` : status)).join(' → ');
}

function describeTool({ name, arguments: args = {} }: ScriptedToolCall): string {
  if (name === 'end_call') return 'ends the call';
  if (name === 'record_opt_out') return 'records an opt-out';
  return `records \`${args.customer_response}\``;
}

function describeAttempt(script: CallScript): string {
  if (script.callee === 'never_answers') return 'never answers: `call_failed`, `no_answer` at the ring timeout';
  if (script.callee === 'busy') return 'busy (SIP 486): `call_failed`, `busy`';
  if (script.callee === 'no_agent') return 'no agent takes the call: never reports';
  if (script.hangsUpAfterMs !== undefined)
    return `answers, hangs up ${script.hangsUpAfterMs} ms after the greeting: completed, \`line_dropped\``;
  return ['answers', ...(script.tools ?? []).map(describeTool)].join(' → ');
}

function describeCall(attempts: CallScript[]): string {
  if (attempts.length === 1) return describeAttempt(attempts[0]!);
  const label = (index: number) => `attempt ${index + 1}${index === attempts.length - 1 ? ' and later' : ''}`;
  return attempts.map((script, index) => `${label(index)}: ${describeAttempt(script)}`).join('; ');
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
  return [['number', 'name', 'SMS (Twilio stand-in)', 'call (the Python agent; callee and model stood in)'], ...rows];
}

export function scriptedNumbersTable(): string {
  const [header, ...rows] = scriptedNumbersRows();
  return [header!, header!.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`.replace(/ {2}\|/g, ' |')).join('\n');
}

if (require.main === module) console.log(scriptedNumbersTable());
