// The cluster `npm run test:cluster` runs against (dev/cluster): where it listens and what its
// workers and APIs are configured with, in one place for the jest global setup that starts it
// and the test files that talk to it.
import path from 'node:path';
import { clusterPorts } from '../../dev/cluster/cluster';
import { FERRETDB_URI_OPTIONS } from '../../dev/stack/servers';
import { projectRoot } from '../../dev/stack/tools';

/** `npm run cluster` uses 10000; the chaos and bench clusters 12500 and 14000. */
export const CLUSTER_TEST_PORT_OFFSET = 12_000;
export const clusterTestPorts = () => clusterPorts(CLUSTER_TEST_PORT_OFFSET);
/** Emptied when the suite starts; kept afterwards, so a failure's logs (*.log) can be read. */
export const CLUSTER_TEST_DATA_DIR = path.join(projectRoot, '.data', 'cluster-test');
export const CLUSTER_TEST_API_KEY = 'cluster-test-api-key';

/** What the cluster's FerretDB holds the projection in (the database startCluster configures). */
export const clusterMongoUri = () => `mongodb://127.0.0.1:${clusterTestPorts().ferretdb}/payment_reminders?${FERRETDB_URI_OPTIONS}`;

/** Variables of the test process the apps may see: nothing that configures them. */
const INHERITED = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'LC_ALL', 'TZ'];

/**
 * The workers' and APIs' environment. Contact at any hour (the paths must not wait for a
 * contact window, which the US profile would at night); opt-outs are honoured all the same.
 * No Twilio or LiveKit credentials, so the cluster runs its stand-ins at the edge.
 */
export function clusterTestEnv(): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(INHERITED.flatMap((name) => (process.env[name] ? [[name, process.env[name]]] : [])));
  return {
    ...inherited,
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    API_KEYS: CLUSTER_TEST_API_KEY,
    CONTACT_PROFILE: 'development',
  };
}
