import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { SCRIPTED_NUMBERS } from '../../dev/standins/scripted-numbers';
import type { ReminderView } from '../support/api-bodies';
import { reminderRequest } from '../support/reminder-harness';

/**
 * What an operator sees of reminders in the Temporal Web UI (2.54.1: the one Temporal CLI 1.9.1
 * embeds, and the cluster's standalone UI server), driven in headless Chromium. The same
 * checks run on each target that serves the UI: the dev server (test/ui) and the cluster
 * (test/cluster).
 */

/** The reminders API of the target, as the test harness and the cluster client both offer it. */
export interface ReminderApi {
  api<Body = ReminderView>(method: string, path: string, body?: unknown): Promise<{ status: number; body: Body }>;
  waitForReminder(reminderId: string, predicate: (reminder: ReminderView) => boolean, timeoutMs?: number): Promise<ReminderView>;
}

export interface WebUiTarget {
  uiUrl: string;
  /** Whose reminders the UI shows: workflows started through this API. */
  reminders: ReminderApi;
  stop(): Promise<void>;
}

export const CHROMIUM = '/usr/bin/chromium';
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

/** Fails (never skips) without the browser: a check that quietly did not run would read as passed. */
function requireChromium(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `the Web UI check drives Debian's Chromium at ${CHROMIUM}, which is not installed: run \`bash scripts/install-chromium.sh\` (as root or with sudo; .ci/run does it before npm test)`,
    );
  }
}

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

/** The operator checks against one target; `name` labels the suite and its screenshots (test/artifacts). */
export function describeWebUiChecks(name: string, startTarget: () => Promise<WebUiTarget>): void {
  describe(`Temporal Web UI on ${name}: what an operator sees of reminders`, () => {
    let target: WebUiTarget | undefined;
    let browser: Browser | undefined;
    let openReminderId: string | undefined;
    const screenshot = (what: string) => path.join(ARTIFACTS, `web-ui-${name.replace(/\W+/g, '-')}-${what}.png`);

    beforeAll(async () => {
      requireChromium();
      target = await startTarget();
      browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    }, 180_000);

    afterAll(async () => {
      await browser?.close();
      if (openReminderId)
        await target?.reminders
          .api('POST', `/api/reminders/${openReminderId}/cancel`, { reason: 'web UI check cleanup' })
          .catch(() => undefined);
      await target?.stop();
    }, 60_000);

    it("lists reminders by custom search attributes and shows a reminder's summary, details, current details and timer", async () => {
      const { uiUrl, reminders } = target!;
      const suffix = randomUUID().slice(0, 8);
      const smsCustomer = `ui-sms-${suffix}`;
      const callCustomer = `ui-call-${suffix}`;

      // One SMS reminder that completes (default phone), one call the agent never reports on.
      const sms = await reminders.api(
        'POST',
        '/api/reminders',
        reminderRequest({ customer: { id: smsCustomer, name: 'Ada Lovelace', phone: '+14155550123' } }),
      );
      expect(sms.status).toBe(201);
      const call = await reminders.api(
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
      await reminders.waitForReminder(sms.body.reminderId, (r) => r.status === 'completed');
      await reminders.waitForReminder(openReminderId, (r) => r.status === 'in_progress');

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
      await page.screenshot({ path: screenshot('list'), fullPage: true });

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
      await page.screenshot({ path: screenshot('reminder'), fullPage: true });

      const cancelled = await reminders.api('POST', `/api/reminders/${openReminderId}/cancel`, { reason: 'web UI check done' });
      expect(cancelled.status).toBe(200);
      expect(cancelled.body.status).toBe('cancelled');
      openReminderId = undefined;
    }, 180_000);
  });
}
