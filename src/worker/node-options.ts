/**
 * The V8 flags the worker runs with: docker-compose's worker command and the local stacks
 * (`npm start`, chaos, the bench) all use these.
 *
 * `--max-semi-space-size=4` (MiB). Under a burst of workflow tasks, V8 grows the young
 * generation of each isolate up to 3 × 16 MiB and keeps it; the worker has two busy isolates
 * (the main thread and the SDK's workflow thread). In `npm run bench` section 4, side by side
 * with 5,000 reminders started and waiting: the fresh worker sat at 196 against 218 MiB with
 * V8's default, ended at 282 against 299 MiB, and peaked at 282 against 363 MiB. Scavenges
 * are more frequent but small: in section 2 the worker used 0.09 CPU-seconds per reminder
 * with the flag and 0.11 without (`BENCH_WORKER_NODE_OPTIONS=` measures V8's default).
 */
export const WORKER_NODE_OPTIONS = '--max-semi-space-size=4';

/** The environment's NODE_OPTIONS with the worker's flags added. */
export function withWorkerNodeOptions(env: NodeJS.ProcessEnv, flags = WORKER_NODE_OPTIONS): NodeJS.ProcessEnv {
  const options = [env.NODE_OPTIONS, flags].filter(Boolean).join(' ');
  return options ? { ...env, NODE_OPTIONS: options } : env;
}
