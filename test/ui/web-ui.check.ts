import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { freePort, type ManagedProcess } from '../../dev/stack/processes';
import { startTemporalDevServer } from '../../dev/stack/servers';
import { ReminderHarness, reminderRequest } from '../support/reminder-harness';
import { SCRIPTED_NUMBERS } from '../../dev/standins/scripted-numbers';

/**
 * `npm run check:ui`: what an operator sees of reminders in the Temporal Web UI (2.54.1, shipped
 * with Temporal CLI 1.9.1), driven in headless Chromium. The shared test stack's Temporal server
 * is headless, so this check starts its own dev server with the UI; FerretDB and LiveKit are the
 * shared ones.
 */

const CHROMIUM = '/usr/bin/chromium';
// Needed on an offline machine: no sandbox in the container, no GPU, no background network calls.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const ARTIFACTS = path.resolve(__dirname, '..', 'artifacts');
const UI_TIMEOUT = 30_000;

/** The rows of the workflow list table (UI 2.54.1 marks them with this test id). */
const listRows = (page: Page): Locator => page.locator('[data-testid="workflows-summary-configurable-table-row"]');

/** Waits until `locator` is visible; a workflow list may lag behind visibility, so the page is reloaded between tries. */
async function waitVisible(page: Page, locator: Locator, tries = 3): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await locator.first().waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      return;
    } catch (error) {
      if (attempt >= tries) throw error;
      await page.reload({ waitUntil: 'domcontentloaded' });
    }
  }
}

describe('Temporal Web UI: what an operator sees of reminders', () => {
  let workDir: string;
  let server: ManagedProcess | undefined;
  let uiUrl: string;
  let connection: Connection | undefined;
  let nativeConnection: NativeConnection | undefined;
  let harness: ReminderHarness | undefined;
  let browser: Browser | undefined;
  let openReminderId: string | undefined;

  beforeAll(async () => {
    workDir = mkdtempSync(path.join(os.tmpdir(), 'payment-reminders-web-ui-'));
    const [port, uiPort] = [await freePort(), await freePort()];
    server = await startTemporalDevServer({
      port,
      uiPort,
      dbFile: path.join(workDir, 'temporal.db'),
      headless: false,
      output: { logFile: path.join(workDir, 'temporal.log') },
    });
    uiUrl = `http://127.0.0.1:${uiPort}`;
    connection = await Connection.connect({ address: `127.0.0.1:${port}` });
    nativeConnection = await NativeConnection.connect({ address: `127.0.0.1:${port}` });
    harness = await ReminderHarness.start({ temporal: { client: new Client({ connection }), nativeConnection }, simulatedAgent: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    if (openReminderId)
      await harness?.api('POST', `/api/reminders/${openReminderId}/cancel`, { reason: 'web UI check cleanup' }).catch(() => undefined);
    await harness?.stop();
    await nativeConnection?.close();
    await connection?.close();
    await server?.stop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  }, 60_000);

  it("lists reminders by custom search attributes and shows a reminder's summary, details, current details and timer", async () => {
    const api = harness!;
    const suffix = randomUUID().slice(0, 8);
    const smsCustomer = `ui-sms-${suffix}`;
    const callCustomer = `ui-call-${suffix}`;

    // One SMS reminder that completes (default phone), one call the agent never reports on.
    const sms = await api.api(
      'POST',
      '/api/reminders',
      reminderRequest({ customer: { id: smsCustomer, name: 'Ada Lovelace', phone: '+14155550123' } }),
    );
    expect(sms.status).toBe(201);
    const call = await api.api(
      'POST',
      '/api/reminders',
      reminderRequest({
        channel: 'call',
        customer: { id: callCustomer, name: 'Grace Hopper', phone: SCRIPTED_NUMBERS.CALL_NO_AGENT_REPORT },
      }),
    );
    expect(call.status).toBe(201);
    openReminderId = call.body.reminderId;
    const smsWorkflowId = `reminder-${sms.body.reminderId}`;
    const callWorkflowId = `reminder-${call.body.reminderId}`;
    await api.waitForReminder(sms.body.reminderId, (r) => r.status === 'completed');
    await api.waitForReminder(openReminderId, (r) => r.status === 'in_progress');

    mkdirSync(ARTIFACTS, { recursive: true });
    const page = await browser!.newPage({ viewport: { width: 1400, height: 1000 } });
    page.setDefaultTimeout(UI_TIMEOUT);
    page.setDefaultNavigationTimeout(60_000);
    const listUrl = (query: string) => `${uiUrl}/namespaces/default/workflows?query=${encodeURIComponent(query)}`;
    const customers = `CustomerId IN ("${smsCustomer}", "${callCustomer}")`;

    // Control: filtered by our two customers only, the list has both reminders...
    await page.goto(listUrl(customers), { waitUntil: 'domcontentloaded' });
    await waitVisible(page, listRows(page).filter({ hasText: smsWorkflowId }));
    await waitVisible(page, listRows(page).filter({ hasText: callWorkflowId }));
    expect(await listRows(page).count()).toBe(2);

    // ...and with ReminderStatus="in_progress" only the call that is waiting for its agent.
    await page.goto(listUrl(`ReminderStatus="in_progress" AND ${customers}`), { waitUntil: 'domcontentloaded' });
    await waitVisible(page, listRows(page).filter({ hasText: callWorkflowId }));
    expect(await listRows(page).count()).toBe(1);
    expect(await listRows(page).filter({ hasText: smsWorkflowId }).count()).toBe(0);
    await page.getByText('ReminderStatus = "in_progress"').first().waitFor(); // the filter chip the UI made of the query
    await page.screenshot({ path: path.join(ARTIFACTS, 'web-ui-list.png'), fullPage: true });

    // The workflow page, reached as an operator would: by the link in the list.
    await listRows(page).getByRole('link', { name: callWorkflowId, exact: true }).first().click();
    await page.waitForURL(`**/workflows/${callWorkflowId}/**`);
    await page.getByRole('heading', { name: callWorkflowId }).waitFor();
    // The timeline (the default tab) names the activities and the response timer by their summaries.
    await page.getByText('dispatchCall • dispatch voice agent, attempt 1').first().waitFor();
    await page.getByText('waiting up to 10 minutes for the agent').first().waitFor();

    // User Metadata: static summary and details from the start, current details set by the workflow.
    // UI 2.54.1 renders each as markdown in its own iframe and shows none of them in the page header.
    await page.getByTestId('user-metadata-tab').click();
    await page.waitForURL('**/user-metadata');
    await page.frameLocator('#user-metadata-summary').getByText('Voice call reminder: 120.50 USD due 2026-12-01 (INV-1001)').waitFor();
    const details = page.frameLocator('#user-metadata-details');
    await details.getByText(`Grace Hopper (${callCustomer})`).waitFor();
    await details.getByText('call, up to 3 attempts').waitFor();
    const current = page.frameLocator('#user-metadata-current-details');
    await current.getByText('in_progress · attempt 1 of 3 · voice call').waitFor();
    await current.getByText(`LiveKit room: ${callWorkflowId}-attempt-1`).waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, 'web-ui-reminder.png'), fullPage: true });

    const cancelled = await api.api('POST', `/api/reminders/${openReminderId}/cancel`, { reason: 'web UI check done' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    openReminderId = undefined;
  }, 180_000);
});
