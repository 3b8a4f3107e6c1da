// Where sections 1 and 2 run: the Temporal dev server the bench starts with each stack
// (SQLite), or the Temporal server as deployed (dev/cluster/temporal-cluster.ts: four service
// processes on PostgreSQL persistence and SQL visibility), started once per run on ports and
// data of its own. Either way the app under test is the bench's own single API and worker, and
// each bare baseline runs on the same server in the same run, so only the server differs.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { clusterPorts } from '../../dev/cluster/cluster';
import { startTemporalCluster } from '../../dev/cluster/temporal-cluster';
import { projectRoot } from '../../dev/stack/tools';

export const BENCH_TARGETS = ['dev', 'cluster'] as const;
export type BenchTarget = (typeof BENCH_TARGETS)[number];

export const TARGET_LABELS: Record<BenchTarget, string> = {
  dev: 'the Temporal dev server (SQLite)',
  cluster: 'the Temporal cluster (4 services, PostgreSQL persistence and visibility)',
};

/** Clear of the other clusters engineers run here (offsets 10000, 12000, 12500). */
export const BENCH_CLUSTER_PORT_OFFSET = 14_000;
export const BENCH_CLUSTER_DATA_DIR = path.join(projectRoot, '.data', 'bench-cluster');

/** A Temporal server the stack does not start: its address and the processes that are the engine. */
export interface ExternalTemporal {
  address: string;
  /** Process groups counted as 'temporal': the services and PostgreSQL (the Web UI is not the engine). */
  engineGroups(): number[];
}

export function parseTargets(raw: string): BenchTarget[] {
  const names = raw.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !(BENCH_TARGETS as readonly string[]).includes(name));
  if (unknown.length > 0 || names.length === 0) throw new Error(`BENCH_TARGET must list ${BENCH_TARGETS.join(' and/or ')} (got "${raw}")`);
  return [...new Set(names as BenchTarget[])];
}

export interface BenchCluster extends ExternalTemporal {
  describe: string[];
  /** Stops every process of the cluster, and removes its data unless BENCH_KEEP_DATA=1. */
  stop(): Promise<void>;
}

/** A fresh database each run, as the dev server's SQLite file is: counts by search attribute see this run only. */
export async function startBenchCluster(keepData: boolean): Promise<BenchCluster> {
  rmSync(BENCH_CLUSTER_DATA_DIR, { recursive: true, force: true });
  const cluster = await startTemporalCluster({ dataDir: BENCH_CLUSTER_DATA_DIR, ports: clusterPorts(BENCH_CLUSTER_PORT_OFFSET) });
  return {
    address: cluster.address,
    describe: cluster.describe,
    engineGroups: () => [...cluster.processes].filter(([name]) => name !== 'temporal-ui').map(([, process]) => process.child.pid!),
    async stop() {
      await cluster.stop();
      if (!keepData) rmSync(BENCH_CLUSTER_DATA_DIR, { recursive: true, force: true });
    },
  };
}
