import type { Cluster } from '../../dev/cluster/cluster';

export default async function clusterGlobalTeardown(): Promise<void> {
  const cluster = (globalThis as Record<string, unknown>).__testCluster as Cluster | undefined;
  if (!cluster) return;
  const startedAt = Date.now();
  await cluster.stop();
  console.log(`cluster tests: the cluster stopped in ${Math.round((Date.now() - startedAt) / 1000)} s`);
}
