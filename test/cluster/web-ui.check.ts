import { describeWebUiChecks } from '../ui/operator-checks';
import { ClusterClient } from '../support/cluster-client';
import { clusterTestPorts } from '../support/cluster-under-test';

/** The operator checks (test/ui/operator-checks.ts) on the cluster's standalone Web UI server, reminders started through both APIs. */
describeWebUiChecks('the cluster', async () => {
  const cluster = await ClusterClient.connect();
  return { uiUrl: `http://127.0.0.1:${clusterTestPorts().ui}`, reminders: cluster, stop: () => cluster.close() };
});
