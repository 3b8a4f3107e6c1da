// `npm run bench:heap`: what the worker's workflow thread holds after N reminders start and
// wait on their timers. The worker's metrics (sdk-core's Prometheus exporter) say nothing
// about the V8 heap of the thread the SDK runs workflows in, so this takes heap snapshots of
// that thread (worker_threads' getHeapSnapshot) before and after, and prints the live heap
// and what grew, by constructor.
//
// The worker runs in this process, with the real workflow bundle and the production sticky
// cache, against its own Temporal dev server. No activity runs: every reminder is due in two
// hours, so its first task only starts the due timer. Sizes: HEAP_REMINDERS (1000),
// HEAP_MAX_CACHED_WORKFLOWS (100).
import workerThreads from 'node:worker_threads';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { freePort } from '../../dev/stack/processes';
import { startTemporalDevServer } from '../../dev/stack/servers';
import { projectRoot } from '../../dev/stack/tools';
import { writeWorkflowBundle } from '../../src/worker/bundle-workflows';
import { createReminderWorker } from '../../src/worker/create-worker';
import { REMINDER_WORKFLOW_TYPE, reminderWorkflowId, type ReminderWorkflowInput } from '../../src/workflows/definitions';
import { mapConcurrent } from '../lib/stats';
import { SILENT_SMS_NUMBER } from '../sections/scale';

// The SDK starts its workflow thread with `new Worker(…)` from node:worker_threads; keep a
// handle on it to snapshot its heap. Must run before the worker is created.
const threads: workerThreads.Worker[] = [];
const SdkThread = workerThreads.Worker;
(workerThreads as { Worker: typeof SdkThread }).Worker = class extends SdkThread {
  constructor(...args: ConstructorParameters<typeof SdkThread>) {
    super(...args);
    threads.push(this);
  }
};

const reminders = Number(process.env.HEAP_REMINDERS ?? 1000);
const maxCachedWorkflows = Number(process.env.HEAP_MAX_CACHED_WORKFLOWS ?? 100);

interface HeapSummary {
  liveBytes: number;
  /** Self size by node type, or by constructor for objects and closures. */
  byKind: Map<string, number>;
}

/** A heap snapshot (it collects garbage first), summed by kind; the snapshot itself is not kept. */
async function summarizeHeap(thread: workerThreads.Worker): Promise<HeapSummary> {
  const chunks: Buffer[] = [];
  for await (const chunk of await thread.getHeapSnapshot()) chunks.push(Buffer.from(chunk as Buffer));
  const snapshot = JSON.parse(Buffer.concat(chunks).toString()) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
    nodes: number[];
    strings: string[];
  };
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[0];
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((field) => fields.indexOf(field)) as [number, number, number];
  const byKind = new Map<string, number>();
  let liveBytes = 0;
  for (let node = 0; node < snapshot.nodes.length; node += fields.length) {
    const type = types[snapshot.nodes[node + typeAt]!]!;
    const kind = type === 'object' || type === 'closure' ? `${type} ${snapshot.strings[snapshot.nodes[node + nameAt]!]}` : `(${type})`;
    const size = snapshot.nodes[node + sizeAt]!;
    liveBytes += size;
    byKind.set(kind, (byKind.get(kind) ?? 0) + size);
  }
  return { liveBytes, byKind };
}

const mib = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MiB`;

async function main(): Promise<void> {
  const dataDir = path.join(projectRoot, '.data', `heap-${process.pid}`);
  mkdirSync(dataDir, { recursive: true });
  const port = await freePort();
  const server = await startTemporalDevServer({
    port,
    dbFile: path.join(dataDir, 'temporal.db'),
    headless: true,
    output: { logFile: path.join(dataDir, 'temporal.log') },
  });
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
    const address = `127.0.0.1:${port}`;
    const bundle = path.join(dataDir, 'workflow-bundle.js');
    await writeWorkflowBundle(bundle);
    const connection = await NativeConnection.connect({ address });
    const notCalled = () => Promise.reject(new Error('no activity runs in this diagnostic'));
    const worker = await createReminderWorker({
      connection,
      namespace: 'default',
      taskQueue: 'heap-diagnostic',
      maxCachedWorkflows,
      workflowBundle: { codePath: bundle },
      activities: { sendSms: notCalled, dispatchCall: notCalled, saveProjection: notCalled, saveInvoiceProjection: notCalled },
    });
    const running = worker.run();
    const client = new Client({ connection: await Connection.connect({ address }) });
    const idle = async () => {
      for (let quiet = 0; quiet < 3; quiet = worker.getStatus().numInFlightWorkflowActivations === 0 ? quiet + 1 : 0) {
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    };

    await idle();
    const thread = threads.at(-1);
    if (!thread) throw new Error('the SDK started no workflow thread');
    const before = await summarizeHeap(thread);
    console.log(`workflow thread before: ${mib(before.liveBytes)} live`);

    const sendAt = new Date(Date.now() + 2 * 3_600_000).toISOString();
    await mapConcurrent(
      Array.from({ length: reminders }, (_, index) => index),
      20,
      async (index) => {
        const reminderId = `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`;
        const input: ReminderWorkflowInput = {
          reminderId,
          channel: 'sms',
          customer: { id: 'heap-diagnostic', name: `Customer ${index}`, phone: SILENT_SMS_NUMBER },
          payment: { amount: 120.5, currency: 'USD', dueDate: '2026-12-01', reference: `INV-H${index}` },
          message: 'Your payment of 120.50 USD is due on 2026-12-01.',
          sendAt,
          createdAt: new Date().toISOString(),
          requestFingerprint: 'heap-diagnostic',
          maxAttempts: 3,
          timings: { responseTimeout: '10 minutes', maxCallDuration: '30 minutes', retryBackoff: '15 minutes' },
        };
        await client.workflow.start(REMINDER_WORKFLOW_TYPE, {
          workflowId: reminderWorkflowId(reminderId),
          taskQueue: 'heap-diagnostic',
          args: [input],
        });
      },
    );
    await idle();
    const cached = worker.getStatus().numCachedWorkflows;
    const after = await summarizeHeap(thread);
    console.log(
      `workflow thread after ${reminders} reminders (${cached} cached): ${mib(after.liveBytes)} live, ` +
        `+${mib(after.liveBytes - before.liveBytes)}; ${((after.liveBytes - before.liveBytes) / 1024 / Math.max(cached, 1)).toFixed(0)} KiB per cached workflow`,
    );
    console.log('grew most, by kind:');
    const growth = [...after.byKind].map(([kind, bytes]) => [kind, bytes - (before.byKind.get(kind) ?? 0)] as const);
    for (const [kind, bytes] of growth.sort((a, b) => b[1] - a[1]).slice(0, 15))
      console.log(`  +${(bytes / 1024).toFixed(0).padStart(6)} KiB  ${kind}`);

    worker.shutdown();
    await running;
    await connection.close();
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
