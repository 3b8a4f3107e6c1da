// Fault injection on the real local system: load it with reminders of both channels, inject a
// fault while they are in flight, then check that every reminder settles and that the
// invariants hold. Used by `npm run chaos` and, small, by the test suite.
import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { MongoClient } from 'mongodb';
import { COLLECTIONS } from '../../src/store/collections';
import { ReminderStore, type ReminderDocument } from '../../src/store/reminder-store';
import { reminderWorkflowId } from '../../src/workflows/definitions';
import type { reminderWorkflow } from '../../src/workflows';
import { startLocalSystem, type LocalSystem, type LocalSystemPorts } from '../stack/local-system';
import { endedUnexpectedly } from '../stack/processes';
import { isTerminal } from '../../src/domain/status-machine';
import { backwardStep, countSends, projectionMismatch } from './invariants';
import { SCRIPTED_NUMBERS } from '../standins/scripted-numbers';

export type Fault = 'kill-worker' | 'stop-mongodb' | 'restart-temporal';

export interface ChaosOptions {
  remindersPerFault: number;
  faults: Fault[];
  ports: LocalSystemPorts;
  dataDir: string;
  /** How long MongoDB stays down for `stop-mongodb`. */
  mongoDownMs: number;
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
  fault: Fault;
  reminders: number;
  settled: number;
  stuck: number;
  wentBackwards: number;
  projectionMismatches: number;
  smsSends: number;
  duplicateSmsSends: number;
  settleSeconds: number;
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
  rmSync(options.dataDir, { recursive: true, force: true });
  mkdirSync(options.dataDir, { recursive: true });
  const system = await startLocalSystem({
    dataDir: options.dataDir,
    ports: options.ports,
    logDir: options.dataDir,
    quietStandIns: true,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      LOG_LEVEL: 'warn',
      API_KEYS: API_KEY,
      REMINDER_RESPONSE_TIMEOUT: '20 seconds',
      REMINDER_RETRY_BACKOFF: '2 seconds',
      REMINDER_MAX_CALL_DURATION: '30 seconds',
      // Faults, not contact hours, are under test: the result must not depend on the hour.
      CONTACT_PROFILE: 'development',
    },
  });
  // Ctrl-C must not leave the servers running (they are in process groups of their own).
  const interrupted = () => void system.stop().finally(() => process.exit(130));
  process.once('SIGINT', interrupted);
  const mongo = new MongoClient(system.env.MONGODB_URI!, { retryWrites: false, serverSelectionTimeoutMS: 2_000 });
  const connection = await Connection.connect({ address: system.env.TEMPORAL_ADDRESS! });
  const temporal = new Client({ connection });
  // A worker or API that dies on its own fails the run at once, with what it last wrote,
  // rather than as reminders stuck until the settle timeout.
  const diedOnItsOwn = system.exited.then(async (ended) =>
    Promise.reject(await endedUnexpectedly(ended, 'during the chaos run, not by a fault')),
  );
  diedOnItsOwn.catch(() => {}); // observed below; never an unhandled rejection
  try {
    return await Promise.race([runFaults(), diedOnItsOwn]);
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
      await inject(system, fault, options);
      const ids = await created;
      log(`chaos: ${fault}: waiting for ${ids.length} reminders to settle`);
      const documents = await waitForSettled(temporal, mongo, ids, options.settleTimeoutMs);
      results.push(await check(fault, ids, documents, temporal, system, (Date.now() - startedAt) / 1000));
      log(`chaos: ${fault}: checked; removing its reminders so the next fault meets the same store size`);
      await forget(mongo, ids);
    }
    return results;
  }
}

async function inject(system: LocalSystem, fault: Fault, options: ChaosOptions): Promise<void> {
  if (fault === 'kill-worker') await system.restart('worker', { signal: 'SIGKILL' });
  if (fault === 'stop-mongodb') await system.restart('ferretdb', { downMs: options.mongoDownMs });
  if (fault === 'restart-temporal') await system.restart('temporal');
}

/** Creates reminders as a well-behaved client does: same Idempotency-Key until it gets an answer. */
async function createReminders(
  system: LocalSystem,
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
        const response = await fetch(`${system.apiUrl}/api/reminders`, {
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
  fault: Fault,
  ids: string[],
  documents: Map<string, ReminderDocument>,
  temporal: Client,
  system: LocalSystem,
  settleSeconds: number,
): Promise<FaultResult> {
  const problems: string[] = [];
  let stuck = 0;
  let wentBackwards = 0;
  let projectionMismatches = 0;
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
    const mismatch = projectionMismatch(document, state);
    if (mismatch) {
      projectionMismatches++;
      problems.push(`${id}: projection differs from the workflow (${mismatch})`);
    }
  }
  const { sends, duplicates } = countSends(system.twilioStandIn?.messages ?? [], new Set(ids));
  return {
    fault,
    reminders: ids.length,
    settled: ids.length - stuck,
    stuck,
    wentBackwards,
    projectionMismatches,
    smsSends: sends,
    duplicateSmsSends: duplicates,
    settleSeconds: Math.round(settleSeconds),
    problems,
  };
}
