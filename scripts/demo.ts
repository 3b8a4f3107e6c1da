// `npm run demo`: starts its own copy of the system (separate ports and data, short timings),
// creates reminders of each kind, and prints how each ended with its Temporal Web UI link;
// then runs one invoice plan to `paid`, and shows one reminder waiting for its contact
// window, and cancels it.
// The system stays up for browsing until Ctrl-C (or pass --exit).
import { rmSync } from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import { startLocalSystem, type LocalSystem } from '../dev/stack/local-system';
import { projectRoot } from '../dev/stack/tools';
import type { InvoiceView } from '../src/api/invoice-view';
import type { PaymentReceipt } from '../src/api/invoice-service';
import type { ReminderView } from '../src/api/reminder-view';
import { INVOICE_PAID_REASON } from '../src/domain/invoice';
import { isTerminal } from '../src/domain/status-machine';
import { SCRIPTED_NUMBERS } from '../dev/standins/scripted-numbers';

const ports = {
  temporal: 17233,
  temporalUi: 18233,
  ferretdb: 27117,
  api: 13000,
  workerMetrics: 19464,
  twilioStandIn: 13100,
  livekit: 17880,
};
const API_KEY = 'demo-api-key';
const customer = (id: string, name: string, phone: string) => ({ id, name, phone });
const payment = (reference: string, amount: number) => ({ amount, currency: 'USD', dueDate: '2026-12-01', reference });

const SCENARIOS = [
  {
    kind: 'SMS delivered',
    body: { channel: 'sms', customer: customer('demo-1', 'Ada Lovelace', '+14155550123'), payment: payment('INV-101', 120.5) },
  },
  {
    kind: 'SMS failed (Twilio 30005)',
    body: {
      channel: 'sms',
      customer: customer('demo-2', 'Bob Stone', SCRIPTED_NUMBERS.SMS_FAILED_PERMANENT),
      payment: payment('INV-102', 80),
    },
  },
  {
    kind: 'SMS refused: the number opted out',
    body: {
      channel: 'sms',
      customer: customer('demo-6', 'Cy Stop', SCRIPTED_NUMBERS.SMS_OPTED_OUT),
      payment: payment('INV-106', 55),
    },
  },
  {
    kind: 'call answered and completed',
    body: { channel: 'call', customer: customer('demo-3', 'Grace Hopper', '+14155550124'), payment: payment('INV-103', 42) },
  },
  {
    kind: 'call retried, then completed',
    body: {
      channel: 'call',
      customer: customer('demo-4', 'Alan Turing', SCRIPTED_NUMBERS.CALL_RETRIED_THEN_COMPLETED),
      payment: payment('INV-104', 310),
    },
  },
  {
    kind: 'call timed out (no agent report)',
    body: {
      channel: 'call',
      customer: customer('demo-5', 'Nobody Home', SCRIPTED_NUMBERS.CALL_NO_AGENT_REPORT),
      payment: payment('INV-105', 15),
      maxAttempts: 1,
    },
  },
];

/** The reminder that waits: a customer in New York, whose local dates the operator closes. */
const WAITING = {
  kind: 'SMS waiting for its window',
  zone: 'America/New_York',
  body: {
    channel: 'sms',
    customer: { ...customer('demo-7', 'Dana Later', '+12125550125'), timezone: 'America/New_York' },
    payment: payment('INV-107', 64),
  },
};

/**
 * The invoice plan: an SMS on the due date (the customer's local today, so it is already due
 * and caught up at once), then a call three days later with an SMS to fall back to. The demo
 * pays the invoice once the first step has ended, while the second step's reminder waits.
 */
const INVOICE = {
  kind: 'invoice plan, paid after step 1',
  zone: 'America/New_York',
  body: {
    reference: 'INV-108',
    customer: { ...customer('demo-8', 'Eve Owens', '+14155550126'), timezone: 'America/New_York' },
    amount: 240,
    currency: 'USD',
    plan: [
      { at: '0d', channel: 'sms' },
      { at: '+3d', channel: 'call', fallback: 'sms' },
    ],
  },
};

/** The API as the demo calls it; most routes answer with a reminder. */
type Api = <T = ReminderView>(method: string, route: string, body?: unknown) => Promise<T>;

let system: LocalSystem | undefined;

async function main(): Promise<void> {
  const dataDir = path.join(projectRoot, '.data', 'demo');
  rmSync(dataDir, { recursive: true, force: true });
  console.log('demo: starting a separate system with a 15-second response timeout and a 3-second retry backoff …');
  system = await startLocalSystem({
    dataDir,
    ports,
    logDir: dataDir,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      LOG_LEVEL: 'info',
      API_KEYS: API_KEY,
      REMINDER_RESPONSE_TIMEOUT: '15 seconds',
      REMINDER_RETRY_BACKOFF: '3 seconds',
      // The demo shows every path at any hour.
      CONTACT_PROFILE: 'development',
      // A plan step due "today" is due from the customer's local midnight, so it is already
      // due (and runs at once) at any hour the demo runs; the default is 10:00.
      PLAN_STEP_TIME: '00:00',
    },
  });
  const api: Api = async <T = ReminderView>(method: string, route: string, body?: unknown) => {
    const response = await fetch(system!.apiUrl + route, {
      method,
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return (await response.json()) as T;
  };

  const created = [];
  for (const scenario of SCENARIOS)
    created.push({ ...scenario, reminderId: (await api('POST', '/api/reminders', scenario.body)).reminderId });
  console.log(`demo: created ${created.length} reminders; waiting for each to end (up to a minute) …`);

  const deadline = Date.now() + 90_000;
  const finals = new Map<string, ReminderView>();
  while (finals.size < created.length && Date.now() < deadline) {
    for (const { reminderId } of created) {
      if (finals.has(reminderId)) continue;
      const reminder = await api('GET', `/api/reminders/${reminderId}`);
      // A failed attempt with a retry left is not the end: wait for the reminder's last word.
      if (isTerminal(reminder)) finals.set(reminderId, reminder);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }

  console.log('');
  for (const { kind, reminderId } of created) {
    const reminder = finals.get(reminderId) ?? (await api<ReminderView>('GET', `/api/reminders/${reminderId}`));
    const detail = reminder.skipReason ?? reminder.callOutcome?.customer_response ?? reminder.deliveryStatus ?? '';
    console.log(`  ${kind.padEnd(34)} ${reminder.status.padEnd(10)} attempt ${reminder.attempt}/${reminder.maxAttempts}  ${detail}`);
    console.log(`  ${''.padEnd(34)} ${system.webUiUrl}/namespaces/default/workflows/reminder-${reminderId}`);
  }
  if (finals.size < created.length) process.exitCode = 1;

  await showInvoicePlanPaid(api);
  await showWaitingForWindow(api);

  console.log(`\n  Web UI: ${system.webUiUrl}/namespaces/default/workflows   API: ${system.apiUrl} (key ${API_KEY})`);
  if (process.argv.includes('--exit')) return stop();
  console.log('demo: restarting the worker without the closed dates, so what you create now goes out at once …');
  await restartWorker({ CONTACT_CLOSED_DATES: undefined });
  console.log('  The demo system stays up for browsing; Ctrl-C stops it.\n');
}

/**
 * One invoice plan from creation to `paid`: its first step (due now, so caught up at once)
 * sends its SMS as a child reminder; the plan then waits on its own timer for the second
 * step's instant three days on; a payment through the API ends the plan `paid`, and the
 * waiting step is stopped, `Invoice paid`, without a reminder ever starting for it.
 */
async function showInvoicePlanPaid(api: Api): Promise<void> {
  const { reference } = INVOICE.body;
  const dueDate = DateTime.now().setZone(INVOICE.zone).toISODate()!;
  const url = `/api/invoices/${reference}`;
  const created = await api<InvoiceView>('POST', '/api/invoices', { ...INVOICE.body, dueDate });
  const money = (amount: number) => `${amount.toFixed(2)} ${created.currency}`;
  console.log(`\ndemo: ${INVOICE.kind}: invoice ${reference}, ${money(created.amount)} due ${dueDate} (${INVOICE.zone})`);
  for (const step of created.plan) {
    const channel = `${step.channel}${step.fallback ? ` (else ${step.fallback})` : ''}`;
    console.log(`  step ${step.number}  ${step.at.padEnd(4)} ${channel.padEnd(25)} due ${step.scheduledAt}`);
  }
  console.log(`  ${''.padEnd(34)} ${system!.webUiUrl}/namespaces/default/workflows/${created.workflowId}`);

  // Step 1's reminder ends, and the plan waits for step 2's instant.
  const waiting = await waitForInvoice(
    api,
    url,
    (invoice) => invoice.steps[0]?.status === 'done' && invoice.waitingFor.startsWith('step 2 '),
  );
  const first = waiting?.steps[0]?.contacts[0];
  const firstReminder = first && (await api('GET', `/api/reminders/${first.reminderId}`));
  if (!waiting || !firstReminder) {
    console.log(`  the plan did not get to step 2 in time: ${JSON.stringify(await api<InvoiceView>('GET', url))}`);
    process.exitCode = 1;
    return;
  }
  const detail = firstReminder.skipReason ?? firstReminder.deliveryStatus ?? '';
  console.log(
    `  ${'step 1, sms reminder'.padEnd(34)} ${firstReminder.status.padEnd(10)} attempt ${firstReminder.attempt}/${firstReminder.maxAttempts}  ${detail}`,
  );
  console.log(`  ${''.padEnd(34)} ${system!.webUiUrl}/namespaces/default/workflows/reminder-${firstReminder.reminderId}`);
  const second = waiting.steps[1]!;
  console.log(`  ${'step 2, call'.padEnd(34)} ${second.status.padEnd(10)} the plan waits until ${second.scheduledAt}`);
  console.log(`  ${'plan'.padEnd(34)} ${waiting.status.padEnd(10)} ${money(waiting.outstanding)} owed`);

  const receipt = await api<PaymentReceipt>('POST', `${url}/payments`, { id: 'demo-payment-1', amount: created.amount });
  console.log(`  ${'payment recorded through the API'.padEnd(34)} ${money(receipt.payment.amount)}, ${money(receipt.outstanding)} owed`);

  const paid = await waitForInvoice(api, url, (invoice) => invoice.status === 'paid' && invoice.steps[1]?.status === 'stopped');
  const ended = paid ?? (await api<InvoiceView>('GET', url));
  console.log(`  ${'plan'.padEnd(34)} ${ended.status.padEnd(10)} ${money(ended.outstanding)} owed; waiting for ${ended.waitingFor}`);
  for (const step of ended.steps) {
    const contacts = step.contacts.map(
      (contact) => `${contact.channel} ${contact.status}${contact.skipReason ? `, ${contact.skipReason}` : ''}`,
    );
    const what = contacts.length > 0 ? `reminder: ${contacts.join('; ')}` : (step.note ?? '');
    console.log(`  ${`step ${step.number} (${step.at} ${step.channel})`.padEnd(34)} ${step.status.padEnd(10)} ${what}`);
  }
  console.log(`  ${''.padEnd(34)} ${system!.webUiUrl}/namespaces/default/workflows/${ended.workflowId}`);
  const stopped = ended.steps[1];
  if (ended.status !== 'paid' || stopped?.note !== INVOICE_PAID_REASON || stopped.contacts.length > 0) process.exitCode = 1;
}

/** Reads the invoice until `done` holds (up to a minute); undefined if it never does. */
async function waitForInvoice(api: Api, url: string, done: (invoice: InvoiceView) => boolean): Promise<InvoiceView | undefined> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const invoice = await api<InvoiceView>('GET', url);
    if (done(invoice)) return invoice;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return undefined;
}

/**
 * A reminder that must wait for its window, at whatever hour the demo runs. The window is local
 * time in each of the customer's zones, so no override can close it now for one customer and
 * keep it open for the others through the minutes the demo takes, at every hour (near the
 * others' local midnight, both their dates and both ends of the day must stay open). So the
 * demo does what an operator would: once the other reminders have ended, it declares the
 * customer's local today and tomorrow days with no contact (CONTACT_CLOSED_DATES, read at
 * start, so the worker restarts), creates the reminder, shows it `pending` with the API's
 * `nextAttemptAt` and `waitingReason`, and cancels it.
 */
async function showWaitingForWindow(api: Api): Promise<void> {
  const today = DateTime.now().setZone(WAITING.zone);
  const closedDates = [today, today.plus({ days: 1 })].map((day) => day.toISODate()).join(',');
  console.log(
    `\ndemo: the operator closes ${closedDates} (${WAITING.zone}) to contact: CONTACT_CLOSED_DATES=${closedDates}; restarting the worker …`,
  );
  await restartWorker({ CONTACT_CLOSED_DATES: closedDates });
  const { reminderId } = await api('POST', '/api/reminders', WAITING.body);
  const deadline = Date.now() + 30_000;
  let reminder = await api('GET', `/api/reminders/${reminderId}`);
  while (!reminder.waitingReason && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    reminder = await api('GET', `/api/reminders/${reminderId}`);
  }
  console.log(`  ${WAITING.kind.padEnd(34)} ${reminder.status.padEnd(10)} attempt ${reminder.attempt}/${reminder.maxAttempts}`);
  console.log(`  ${''.padEnd(34)} nextAttemptAt ${reminder.nextAttemptAt ?? '(none)'}`);
  console.log(`  ${''.padEnd(34)} waitingReason ${reminder.waitingReason ?? '(none)'}`);
  if (reminder.status !== 'pending' || !reminder.waitingReason || !reminder.nextAttemptAt) process.exitCode = 1;
  const cancelled = await api('POST', `/api/reminders/${reminderId}/cancel`, { reason: 'demo: shown waiting, no longer needed' });
  let final = cancelled;
  for (let tries = 0; !isTerminal(final) && tries < 20; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    final = await api('GET', `/api/reminders/${reminderId}`);
  }
  console.log(`  ${'then cancelled through the API'.padEnd(34)} ${final.status.padEnd(10)} ${final.skipReason ?? ''}`);
  console.log(`  ${''.padEnd(34)} ${system!.webUiUrl}/namespaces/default/workflows/reminder-${reminderId}`);
  if (final.status !== 'cancelled') process.exitCode = 1;
}

/** Restarts the worker with these variables over the demo's environment (undefined: unset). */
async function restartWorker(variables: Record<string, string | undefined>): Promise<void> {
  for (const [name, value] of Object.entries(variables)) {
    if (value === undefined) Reflect.deleteProperty(system!.env, name);
    else system!.env[name] = value;
  }
  await system!.restart('worker');
}

async function stop(): Promise<void> {
  await system?.stop();
  process.exit(process.exitCode ?? 0);
}

process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
main().catch(async (error: unknown) => {
  console.error(`demo: ${(error as Error).message}`);
  process.exitCode = 1;
  await stop();
});
