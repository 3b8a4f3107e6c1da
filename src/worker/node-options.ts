/**
 * The V8 flags the worker runs with: docker-compose's worker command and the local stacks
 * (`npm start`, chaos, the bench) all use these.
 *
 * `--max-semi-space-size=4` (MiB). Under a burst of workflow tasks, V8 grows the young
 * generation of each isolate up to 3 × 16 MiB, and it keeps that size afterwards. The worker
 * has two isolates: the main thread and the workflow thread. With 4,000 reminders started and
 * waiting (cache of 100), the worker's RSS grew 83 MiB with V8's default and 48 MiB with this
 * flag. The process also starts about 30 MiB lower. Scavenges are more frequent, but each one
 * is small; `npm run bench` reports the throughput cost beside the memory gain
 * (`BENCH_WORKER_NODE_OPTIONS=` measures V8's default).
 */
export const WORKER_NODE_OPTIONS = '--max-semi-space-size=4';

/** The environment's NODE_OPTIONS with the worker's flags added. */
export function withWorkerNodeOptions(env: NodeJS.ProcessEnv, flags = WORKER_NODE_OPTIONS): NodeJS.ProcessEnv {
  const options = [env.NODE_OPTIONS, flags].filter(Boolean).join(' ');
  return options ? { ...env, NODE_OPTIONS: options } : env;
}
