// The cluster under test as its tests use it: the two API instances in turn, its MongoDB
// projection read through the stores, the workflows' own state, and the messages its Twilio
// stand-in was asked to send.
import { Client, Connection } from '@temporalio/client';
import { MongoClient } from 'mongodb';
import { DEV_TWILIO } from '../../dev/standins/edge-stand-ins';
import { ConsentStore } from '../../src/store/consents';
import { InvoiceStore } from '../../src/store/invoices';
import { ReminderStore } from '../../src/store/reminder-store';
import type { ReminderState } from '../../src/domain/reminder';
import { reminderQuery, reminderWorkflowId } from '../../src/workflows/definitions';
import type { ReminderView } from './api-bodies';
import { CLUSTER_TEST_API_KEY, clusterMongoUri, clusterTestPorts } from './cluster-under-test';
import type { InvoiceView } from './invoice-bodies';

/** A message as the Twilio stand-in lists it (GET Messages.json, Twilio's own resource fields). */
export interface SentMessage {
  sid: string;
  to: string;
  body: string;
}

export class ClusterClient {
  readonly apiUrls = clusterTestPorts().apis.map((port) => `http://127.0.0.1:${port}`);
  private turn = 0;

  private constructor(
    private readonly mongo: MongoClient,
    private readonly temporal: Client,
    readonly reminders: ReminderStore,
    readonly invoices: InvoiceStore,
    readonly consents: ConsentStore,
  ) {}

  static async connect(): Promise<ClusterClient> {
    const mongo = await MongoClient.connect(clusterMongoUri(), { retryWrites: false });
    const connection = await Connection.connect({ address: `127.0.0.1:${clusterTestPorts().services.frontend.grpc}` });
    const db = mongo.db();
    return new ClusterClient(mongo, new Client({ connection }), new ReminderStore(db), new InvoiceStore(db), new ConsentStore(db));
  }

  /**
   * The reminder's MongoDB projection once it holds the workflow's latest version (asked by
   * query): a projection that never catches up with its workflow fails here.
   */
  async projectedReminder(reminderId: string) {
    const workflow: ReminderState = await this.temporal.workflow.getHandle(reminderWorkflowId(reminderId)).query(reminderQuery);
    const projected = await this.eventually(
      () => this.reminders.findById(reminderId),
      (document) => document?.version === workflow.version,
    );
    return { ...projected!, workflowStatus: workflow.status };
  }

  /**
   * Calls the next API instance in turn, as a load balancer would, so each path's requests
   * (its create, its polls, its action) are served by both instances.
   */
  api<Body = ReminderView>(method: string, path: string, body?: unknown): Promise<{ status: number; body: Body }> {
    return this.apiOn<Body>(this.nextInstance(), method, path, body);
  }

  /** The next instance's base URL, for a request the test makes itself (a signed webhook). */
  nextApiUrl(): string {
    return this.apiUrls[this.nextInstance()]!;
  }

  private async apiOn<Body = ReminderView>(
    instance: number,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: Body }> {
    const response = await fetch(this.apiUrls[instance] + path, {
      method,
      headers: {
        authorization: `Bearer ${CLUSTER_TEST_API_KEY}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as Body };
  }

  waitForReminder(reminderId: string, predicate: (reminder: ReminderView) => boolean, timeoutMs = 60_000): Promise<ReminderView> {
    return this.waitFor<ReminderView>(`/api/reminders/${reminderId}`, predicate, timeoutMs);
  }

  waitForInvoice(reference: string, predicate: (invoice: InvoiceView) => boolean, timeoutMs = 60_000): Promise<InvoiceView> {
    return this.waitFor<InvoiceView>(`/api/invoices/${reference}`, predicate, timeoutMs);
  }

  /** Every message the Twilio stand-in accepted for `to`, oldest first. */
  async sentTo(to: string): Promise<SentMessage[]> {
    const url = `http://127.0.0.1:${clusterTestPorts().twilioStandIn}/2010-04-01/Accounts/${DEV_TWILIO.accountSid}/Messages.json?To=${encodeURIComponent(to)}`;
    const response = await fetch(url, {
      headers: { authorization: `Basic ${Buffer.from(`${DEV_TWILIO.accountSid}:${DEV_TWILIO.authToken}`).toString('base64')}` },
    });
    if (!response.ok) throw new Error(`the Twilio stand-in answered ${response.status} to its message list`);
    const { messages } = (await response.json()) as { messages: SentMessage[] };
    return messages.reverse();
  }

  private nextInstance(): number {
    return this.turn++ % this.apiUrls.length;
  }

  /** Polls `read` until `predicate` holds, for what is written after the API already answers (a plan's last projection). */
  async eventually<T>(read: () => Promise<T>, predicate: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await read();
      if (predicate(value)) return value;
      if (Date.now() > deadline) throw new Error(`not there within ${timeoutMs / 1000} s; last: ${JSON.stringify(value)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  async close(): Promise<void> {
    await this.temporal.connection.close();
    await this.mongo.close();
  }

  /** Polls the API (both instances in turn) until `predicate` holds: the workflow writes its projection asynchronously. */
  private async waitFor<Body>(path: string, predicate: (body: Body) => boolean, timeoutMs: number): Promise<Body> {
    const deadline = Date.now() + timeoutMs;
    let last: Body | undefined;
    while (Date.now() < deadline) {
      const { status, body } = await this.api<Body>('GET', path);
      if (status === 200) {
        last = body;
        if (predicate(body)) return body;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`${path} did not reach the expected state in ${timeoutMs / 1000} s; last: ${JSON.stringify(last)}`);
  }
}
