// Fault injection on a real system (the dev system or the cluster, system-under-test.ts): load
// it with reminders of both channels, inject a fault while they are in flight, then check that
// every reminder settles and that the invariants hold. Used by `npm run chaos` and, small, by
// the test suite.
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { MongoClient } from 'mongodb';
import { COLLECTIONS } from '../../src/store/collections';
import { ReminderStore, type ReminderDocument } from '../../src/store/reminder-store';
import { reminderWorkflowId } from '../../src/workflows/definitions';
import type { reminderWorkflow } from '../../src/workflows';
import { isTerminal } from '../../src/domain/status-machine';
import type { StandInMessage } from '../standins/twilio-standin';
import { backwardStep, countSends, projectionMismatch } from './invariants';
import { SCRIPTED_NUMBERS } from '../standins/scripted-numbers';
import type { StartSystemUnderTest, SystemUnderTest } from './system-under-test';

export interface ChaosOptions {
  /** Starts the system under test (local-system-target.ts, cluster-target.ts). */
  system: StartSystemUnderTest;
  remindersPerFault: number;
  /** The system's faults by name, one batch of reminders each, in this order. */
  faults: string[];
  /** How long to wait for every reminder to settle after a fault. */
  settleTimeoutMs: number;
  /**
   * Reminders created per second (default 1.5): a steady load, as reminders arrive in
   * production. A burst far above what the dev server can start measures its queue instead
   * of the faults.
   */
  createPerSecond?: number;
  log?: (line: string) => void;
}

export interface FaultResult {
  fault: string;
  reminders: number;
  settled: number;
  stuck: number;
  wentBackwards: number;
  projectionMismatches: number;
  smsSends: number;
  duplicateSmsSends: number;
  /** Reminders texted again after the stand-in had reported one of their sends delivered. */
  smsResentAfterDelivered: number;
  settleSeconds: number;
  /**
   * How the settled reminders ended, by `<channel> <status> on attempt <n>`: which paths the
   * fault met (a second SMS attempt after a delivered first one is no duplicate per attempt,
   * but shows here).
   */
  outcomes: Record<string, number>;
  problems: string[];
}

const API_KEY = 'chaos-api-key';
/** Mostly happy paths, with some that retry, so faults hit every stage. */
const PHONES = {
  sms: ['+14155550701', '+14155550702', '+14155550703', SCRIPTED_NUMBERS.SMS_UNDELIVERED_RETRYABLE],
  call: ['+14155550711', '+14155550712', SCRIPTED_NUMBERS.CALL_RETRIED_THEN_COMPLETED, SCRIPTED_NUMBERS.CALL_NO_ANSWER],
};

export async function runChaos(options: ChaosOptions): Promise<FaultResult[]> {
  const log = options.log ?? (() => {});
  const system = await options.system({
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LOG_LEVEL: 'warn',
    API_KEYS: API_KEY,
    REMINDER_RESPONSE_TIMEOUT: '20 seconds',
    REMINDER_RETRY_BACKOFF: '2 seconds',
    REMINDER_MAX_CALL_DURATION: '30 seconds',
    // Faults, not contact hours, are under test: the result must not depend on the hour.
    CONTACT_PROFILE: 'development',
  });
  // Ctrl-C must not leave the servers running (they are in process groups of their own).
  const interrupted = () => void system.stop().finally(() => process.exit(130));
  process.once('SIGINT', interrupted);
  const mongo = new MongoClient(system.mongoUri, { retryWrites: false, serverSelectionTimeoutMS: 2_000 });
  const connection = await Connection.connect({ address: system.temporalAddress });
  const temporal = new Client({ connection, namespace: system.temporalNamespace });
  try {
    const unknown = options.faults.filter((fault) => !(fault in system.faults));
    if (unknown.length > 0) throw new Error(`no fault ${unknown.join(', ')} here (there are ${Object.keys(system.faults).join(', ')})`);
    // A part that dies on its own fails the run at once, with what it last wrote, rather than
    // as reminders stuck until the settle timeout.
    return await Promise.race([runFaults(), system.failed]);
  } finally {
    process.off('SIGINT', interrupted);
    await connection.close();
    await mongo.close();
    await system.stop();
  }

  async function runFaults(): Promise<FaultResult[]> {
    const results: FaultResult[] = [];
    for (const fault of options.faults) {
      log(`chaos: ${fault}: creating ${options.remindersPerFault} reminders and injecting the fault in flight`);
      const startedAt = Date.now();
      // The fault hits when half the reminders exist: they are in flight at every stage, and
      // the other half is created against the faulty system.
      let halfCreated!: () => void;
      const half = new Promise<void>((resolve) => (halfCreated = resolve));
      const created = createReminders(
        system,
        options.remindersPerFault,
        options.createPerSecond ?? 1.5,
        Math.ceil(options.remindersPerFault / 2),
        halfCreated,
      );
      await Promise.race([half, created]);
      log(`chaos: ${fault}: injecting the fault with ${Math.ceil(options.remindersPerFault / 2)} reminders in flight`);
      const injectedAt = Date.now();
      await system.faults[fault]!();
      log(`chaos: ${fault}: the part it hit is back after ${((Date.now() - injectedAt) / 1000).toFixed(1)} s`);
      const ids = await created;
      log(`chaos: ${fault}: waiting for ${ids.length} reminders to settle`);
      const documents = await waitForSettled(temporal, mongo, ids, options.settleTimeoutMs);
      results.push(await check(fault, ids, documents, temporal, system.smsMessages(), (Date.now() - startedAt) / 1000));
      log(`chaos: ${fault}: checked; removing its reminders so the next fault meets the same store size`);
      await forget(mongo, ids);
    }
    return results;
  }
}

/**
 * Creates reminders as a well-behaved client does: same Idempotency-Key until it gets an
 * answer, each through the next API instance (a retry stays with its instance).
 */
async function createReminders(
  system: SystemUnderTest,
  count: number,
  perSecond: number,
  milestone: number,
  onMilestone: () => void,
): Promise<string[]> {
  const ids: string[] = [];
  let next = 0;
  const startedAt = Date.now();
  const worker = async () => {
    while (next < count) {
      const index = next++;
      const due = startedAt + (index * 1000) / perSecond;
      if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
      const channel = index % 2 === 0 ? 'sms' : 'call';
      const phones = PHONES[channel];
      const body = JSON.stringify({
        channel,
        customer: { id: `chaos-${index % 50}`, name: 'Chaos Monkey', phone: phones[Math.floor(index / 2) % phones.length] },
        payment: { amount: 10 + index, currency: 'USD', dueDate: '2026-12-01', reference: `CH-${index}` },
      });
      const key = randomUUID();
      for (let attempt = 0; ; attempt++) {
        const apiUrl = system.apiUrls[index % system.apiUrls.length]!;
        const response = await fetch(`${apiUrl}/api/reminders`, {
          method: 'POST',
          headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json', 'idempotency-key': key },
          body,
        }).catch(() => undefined);
        if (response && (response.status === 201 || response.status === 200)) {
          ids.push(((await response.json()) as { reminderId: string }).reminderId);
          if (ids.length === milestone) onMilestone();
          break;
        }
        if (attempt > 120) throw new Error(`could not create reminder ${index}: ${response?.status ?? 'no answer'}`);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return ids;
}

/** Removes a checked fault's reminders and send records (one scan each). */
async function forget(mongo: MongoClient, ids: string[]): Promise<void> {
  await mongo
    .db()
    .collection<{ _id: string }>(COLLECTIONS.reminders)
    .deleteMany({ _id: { $in: ids } });
  await mongo
    .db()
    .collection(COLLECTIONS.smsSends)
    .deleteMany({ reminderId: { $in: ids } });
}

/**
 * Waits until no reminder workflow is running (each fault's batch runs alone), asking
 * Temporal's visibility rather than MongoDB: FerretDB answers `{_id: {$in: ids}}` with a
 * collection scan, and polling it would load the store the system under test writes to.
 * Then reads the projections once (a closed workflow has written its last one).
 */
async function waitForSettled(
  temporal: Client,
  mongo: MongoClient,
  ids: string[],
  timeoutMs: number,
): Promise<Map<string, ReminderDocument>> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const running = await temporal.workflow
      .count(`WorkflowType = 'reminderWorkflow' AND ExecutionStatus = 'Running'`)
      .catch(() => undefined);
    if (running?.count === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
  for (;;) {
    const found = await new ReminderStore(mongo.db()).findByIds(ids).catch(() => undefined);
    if (found) return new Map(found.map((document) => [document._id, document]));
    if (Date.now() > deadline + 60_000) return new Map();
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
}

async function check(
  fault: string,
  ids: string[],
  documents: Map<string, ReminderDocument>,
  temporal: Client,
  smsMessages: StandInMessage[],
  settleSeconds: number,
): Promise<FaultResult> {
  const problems: string[] = [];
  let stuck = 0;
  let wentBackwards = 0;
  let projectionMismatches = 0;
  const outcomes: Record<string, number> = {};
  for (const id of ids) {
    const document = documents.get(id);
    if (!document || !isTerminal(document)) {
      stuck++;
      problems.push(`${id}: stuck at ${document?.status ?? 'no projection'}`);
      continue;
    }
    const backwards = backwardStep(document.history);
    if (backwards) {
      wentBackwards++;
      problems.push(`${id}: went ${backwards}`);
    }
    const state = await temporal.workflow.getHandle<typeof reminderWorkflow>(reminderWorkflowId(id)).result();
    const outcome = `${state.channel} ${state.status} on attempt ${state.attempt}`;
    outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    const mismatch = projectionMismatch(document, state);
    if (mismatch) {
      projectionMismatches++;
      problems.push(`${id}: projection differs from the workflow (${mismatch})`);
    }
  }
  const { sends, duplicates, resentAfterDelivered } = countSends(smsMessages, new Set(ids));
  return {
    fault,
    reminders: ids.length,
    settled: ids.length - stuck,
    stuck,
    wentBackwards,
    projectionMismatches,
    smsSends: sends,
    duplicateSmsSends: duplicates,
    smsResentAfterDelivered: resentAfterDelivered,
    settleSeconds: Math.round(settleSeconds),
    outcomes,
    problems,
  };
}
