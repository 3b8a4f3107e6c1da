// The production topology as the chaos run's target (dev/cluster): the Temporal services on
// PostgreSQL, FerretDB, two workers and two APIs. Its faults hit one part each while the
// others run, and the part comes back as a deployment's supervisor brings it back.
import { startCluster, type ClusterPorts } from '../cluster/cluster';
import { NAMESPACE } from '../cluster/temporal-cluster';
import { endedUnexpectedly, type ManagedProcess } from '../stack/processes';
import { FERRETDB_URI_OPTIONS } from '../stack/servers';
import { freshDataDir, type StartSystemUnderTest, type TargetOptions } from './system-under-test';

export const CLUSTER_FAULTS = ['kill-worker', 'kill-history', 'restart-postgres', 'stop-mongodb'] as const;

export function clusterTarget(options: TargetOptions<ClusterPorts>): StartSystemUnderTest {
  return async (env) => {
    freshDataDir(options.dataDir);
    let exitedOnItsOwn!: (process: ManagedProcess) => void;
    const exited = new Promise<ManagedProcess>((resolve) => (exitedOnItsOwn = resolve));
    const cluster = await startCluster({
      dataDir: options.dataDir,
      ports: options.ports,
      env,
      edge: { quiet: true },
      onAppExit: exitedOnItsOwn,
    });
    const failed = exited.then(async (ended) => Promise.reject(await endedUnexpectedly(ended, 'during the chaos run, not by a fault')));
    failed.catch(() => {}); // the chaos run observes it; never an unhandled rejection
    return {
      apiUrls: cluster.apiUrls,
      temporalAddress: cluster.temporal.address,
      temporalNamespace: NAMESPACE,
      mongoUri: `mongodb://127.0.0.1:${options.ports.ferretdb}/payment_reminders?${FERRETDB_URI_OPTIONS}`,
      smsMessages: () => cluster.twilioStandIn?.messages ?? [],
      faults: {
        // Worker 2 keeps serving; worker 1 is started again at once, as the compose file's
        // `restart: unless-stopped` does (until it polls, worker 2 serves alone).
        'kill-worker': () => cluster.restart('worker-1', { signal: 'SIGKILL' }),
        // A crash of the only history host: its shards are unowned until it is back.
        'kill-history': () => cluster.restart('temporal-history', { signal: 'SIGKILL' }),
        // An operator's restart (pg_ctl's fast shutdown): every service's connections drop.
        'restart-postgres': () => cluster.restart('postgres', { signal: 'SIGINT' }),
        'stop-mongodb': () => cluster.restart('ferretdb', { downMs: options.mongoDownMs }),
      },
      failed,
      stop: () => cluster.stop(),
    };
  };
}
