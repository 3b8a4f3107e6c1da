import { rmSync } from 'node:fs';
import { startCluster, type Cluster } from '../../dev/cluster/cluster';
import { endedUnexpectedly } from '../../dev/stack/processes';
import { CLUSTER_TEST_DATA_DIR, CLUSTER_TEST_PORT_OFFSET, clusterTestEnv, clusterTestPorts } from '../support/cluster-under-test';

/**
 * `npm run test:cluster`: one production-shaped cluster for the whole run (the Temporal
 * services on PostgreSQL, FerretDB, the edge stand-ins, two workers, two APIs), on fresh data.
 * The test files reach it by its fixed ports (test/support/cluster-under-test.ts).
 */
export default async function clusterGlobalSetup(): Promise<void> {
  rmSync(CLUSTER_TEST_DATA_DIR, { recursive: true, force: true });
  const startedAt = Date.now();
  let cluster: Cluster;
  try {
    cluster = await startCluster({
      dataDir: CLUSTER_TEST_DATA_DIR,
      ports: clusterTestPorts(),
      env: clusterTestEnv(),
      // The stand-ins and the voice agent write to the data dir's logs, not between jest's lines.
      edge: { quiet: true },
      // An instance that dies mid-run would show up as a puzzling test failure: say so at once.
      onAppExit: (ended) => void endedUnexpectedly(ended, 'during the cluster tests').then((error) => console.error(error.message)),
    });
  } catch (error) {
    throw new Error(
      `the cluster for the cluster tests (port offset ${CLUSTER_TEST_PORT_OFFSET}, data in ${CLUSTER_TEST_DATA_DIR}) did not start: ${(error as Error).message}`,
    );
  }
  console.log(`\ncluster tests: the cluster is up in ${Math.round((Date.now() - startedAt) / 1000)} s (logs in ${CLUSTER_TEST_DATA_DIR})`);
  (globalThis as Record<string, unknown>).__testCluster = cluster;
}
