// The bare workflow's worker, as its own process (like the real worker): no-op activities,
// and a plain Temporal client that signals 'delivered' when the Twilio stand-in would call
// back with it (after its 'sent' and 'delivered' delays; 'sent' itself wakes no workflow). Started and stopped by bench/run.ts.
import { writeFileSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { BARE_TASK_QUEUE, bareStatusSignal, type BareActivities } from './bare-definitions';

async function main(): Promise<void> {
  const address = process.env.TEMPORAL_ADDRESS!;
  const metricsPort = process.env.BENCH_BARE_METRICS_PORT;
  Runtime.install({
    logger: new DefaultLogger('WARN'),
    // The same SDK metrics as the real worker, so the bench can say where the time went.
    ...(metricsPort ? { telemetryOptions: { metrics: { prometheus: { bindAddress: `127.0.0.1:${metricsPort}` } } } } : {}),
  });
  const connection = await NativeConnection.connect({ address });
  const clientConnection = await Connection.connect({ address });
  const client = new Client({ connection: clientConnection });
  const pending = new Set<Promise<void>>();
  const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  const activities: BareActivities = {
    record() {
      return Promise.resolve(Date.now());
    },
    send({ workflowId, callbackDelayMs }) {
      const handle = client.workflow.getHandle(workflowId);
      const callbacks = (async () => {
        await delay(2 * callbackDelayMs);
        await handle.signal(bareStatusSignal, { status: 'delivered', sentAt: Date.now() });
      })().catch((error: unknown) => console.error(`bare signal failed: ${(error as Error).message}`));
      pending.add(callbacks);
      void callbacks.finally(() => pending.delete(callbacks));
      return Promise.resolve({ messageSid: `SMbare-${workflowId}` });
    },
  };

  const worker = await Worker.create({
    connection,
    namespace: 'default',
    taskQueue: BARE_TASK_QUEUE,
    workflowsPath: require.resolve('./workflows'),
    activities,
    // The same sticky cache as the real worker (bench/lib/stack.ts sets both).
    maxCachedWorkflows: Number(process.env.WORKER_MAX_CACHED_WORKFLOWS),
  });
  if (process.env.BENCH_WORKER_INFO_FILE) {
    writeFileSync(process.env.BENCH_WORKER_INFO_FILE, JSON.stringify({ maxCachedWorkflows: worker.options.maxCachedWorkflows }));
  }
  await worker.run(); // until SIGTERM
  await Promise.allSettled([...pending]);
  await clientConnection.close();
  await connection.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
