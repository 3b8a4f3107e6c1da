// `npx tsx bench/diagnostics/contact-check-latency.ts`: how long the contact check takes
// against FerretDB, alone. Section 2's on/off ratio moves with whatever else the shared
// machine runs; this times only the check (zones, consent, the ledger's reservation), each
// call for a fresh debt as in section 2, one at a time and CHECK_CONCURRENCY (10) at once.
//
// CHECK_COMPARE_WITH=<another checkout> (e.g. `git archive <commit> | tar -x -C /tmp/old`,
// with node_modules linked) times that tree's check too, on the same FerretDB, in alternating
// rounds, so both see the same load. Sizes: CHECK_CALLS (200 per round), CHECK_ROUNDS (6).
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { MongoClient, type Db } from 'mongodb';
import { APP_COLLECTIONS } from '../../dev/stack/local-system';
import { freePort } from '../../dev/stack/processes';
import { FERRETDB_URI_OPTIONS, startFerretDb } from '../../dev/stack/servers';
import { projectRoot } from '../../dev/stack/tools';

type Check = (subject: unknown, attempt: unknown) => Promise<unknown>;

/** The check of the tree at `root`, built as the worker builds it (development profile: only the stores cost). */
async function checkOf(root: string, db: Db): Promise<Check> {
  const [{ createContactCheck }, { ConsentStore }, { ContactLedger }, invoices] = (await Promise.all([
    import(path.join(root, 'src/activities/contact-check')),
    import(path.join(root, 'src/store/consents')),
    import(path.join(root, 'src/store/contact-ledger')),
    import(path.join(root, 'src/store/invoices')).catch(() => undefined),
  ])) as [
    { createContactCheck: (dependencies: object) => Check },
    { ConsentStore: new (db: Db) => object },
    { ContactLedger: new (db: Db) => { ensureIndexes(): Promise<void> } },
    { InvoiceStore: new (db: Db) => object } | undefined,
  ];
  const contacts = new ContactLedger(db);
  await contacts.ensureIndexes();
  return createContactCheck({
    consents: new ConsentStore(db),
    contacts,
    ...(invoices ? { invoices: new invoices.InvoiceStore(db) } : {}),
    contactProfile: 'development',
  });
}

async function timeRound(check: Check, calls: number, concurrency: number): Promise<number> {
  let started = 0;
  let total = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (started < calls) {
        started++;
        const customer = { id: randomUUID(), name: 'Ada', phone: '+14155550123' };
        const attempt = { reminderId: randomUUID(), attempt: 1, channel: 'sms' };
        const begun = performance.now();
        await new MockActivityEnvironment().run(check, { contact: { customer, reference: 'INV-1' } }, attempt);
        total += performance.now() - begun;
      }
    }),
  );
  return total / calls;
}

async function main(): Promise<void> {
  const calls = Number(process.env.CHECK_CALLS ?? 200);
  const rounds = Number(process.env.CHECK_ROUNDS ?? 6);
  const concurrency = Number(process.env.CHECK_CONCURRENCY ?? 10);
  const port = await freePort();
  const dataDir = path.join(projectRoot, '.data', `check-latency-${process.pid}`);
  const server = await startFerretDb({
    port,
    dataDir,
    output: { logFile: path.join(dataDir, 'ferretdb.log') },
    idIndexed: { payment_reminders: APP_COLLECTIONS },
  });
  const mongo = await MongoClient.connect(`mongodb://127.0.0.1:${port}/payment_reminders?${FERRETDB_URI_OPTIONS}`);
  try {
    const trees = { this: projectRoot, ...(process.env.CHECK_COMPARE_WITH ? { other: path.resolve(process.env.CHECK_COMPARE_WITH) } : {}) };
    const checks = await Promise.all(
      Object.entries(trees).map(async ([name, root]) => ({ name, root, check: await checkOf(root, mongo.db()) })),
    );
    for (const inFlight of [1, concurrency]) {
      const means = new Map<string, number[]>(checks.map(({ name }) => [name, []]));
      for (let round = 0; round < rounds; round++) {
        for (const { name, check } of round % 2 ? [...checks].reverse() : checks)
          means.get(name)!.push(await timeRound(check, calls, inFlight));
      }
      for (const { name, root } of checks) {
        const figures = means.get(name)!;
        const mean = figures.reduce((sum, figure) => sum + figure, 0) / figures.length;
        console.log(
          `${inFlight} at a time, ${name} (${root}): ${mean.toFixed(1)} ms per check (rounds: ${figures.map((figure) => figure.toFixed(1)).join(', ')})`,
        );
      }
    }
  } finally {
    await mongo.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
