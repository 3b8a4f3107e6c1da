/**
 * The V8 flags the worker runs with: docker-compose's worker command and the local stacks
 * (`npm start`, chaos, the bench) all use these.
 *
 * `--max-semi-space-size=4` (MiB). Under a burst of workflow tasks, V8 grows the young
 * generation of each isolate to several times that and keeps it; the worker has two busy
 * isolates (the main thread and the SDK's workflow thread). The smaller young generation
 * lowers the worker's memory after a burst and its peak; its scavenges are more frequent but
 * small, and cost no CPU per reminder that the bench can see (bench/RESULTS.md has the
 * side-by-side figures; `BENCH_WORKER_NODE_OPTIONS=` measures V8's default).
 */
export const WORKER_NODE_OPTIONS = '--max-semi-space-size=4';

/** The environment's NODE_OPTIONS with the worker's flags added. */
export function withWorkerNodeOptions(env: NodeJS.ProcessEnv, flags = WORKER_NODE_OPTIONS): NodeJS.ProcessEnv {
  const options = [env.NODE_OPTIONS, flags].filter(Boolean).join(' ');
  return options ? { ...env, NODE_OPTIONS: options } : env;
}
