// The dev system as the chaos run's target: one worker, one API, the Temporal dev server and
// FerretDB, as `npm start` runs them on the ports given.
import { startLocalSystem, type LocalSystemPorts } from '../stack/local-system';
import { endedUnexpectedly } from '../stack/processes';
import { freshDataDir, type StartSystemUnderTest, type TargetOptions } from './system-under-test';

export const LOCAL_SYSTEM_FAULTS = ['kill-worker', 'stop-mongodb', 'restart-temporal'] as const;

export function localSystemTarget(options: TargetOptions<LocalSystemPorts>): StartSystemUnderTest {
  return async (env) => {
    freshDataDir(options.dataDir);
    const system = await startLocalSystem({
      dataDir: options.dataDir,
      ports: options.ports,
      logDir: options.dataDir,
      quietStandIns: true,
      env,
    });
    const failed = system.exited.then(async (ended) =>
      Promise.reject(await endedUnexpectedly(ended, 'during the chaos run, not by a fault')),
    );
    failed.catch(() => {}); // the chaos run observes it; never an unhandled rejection
    return {
      apiUrls: [system.apiUrl],
      temporalAddress: system.env.TEMPORAL_ADDRESS!,
      temporalNamespace: system.env.TEMPORAL_NAMESPACE ?? 'default',
      mongoUri: system.env.MONGODB_URI!,
      smsMessages: () => system.twilioStandIn?.messages ?? [],
      faults: {
        'kill-worker': () => system.restart('worker', { signal: 'SIGKILL' }),
        'stop-mongodb': () => system.restart('ferretdb', { downMs: options.mongoDownMs }),
        'restart-temporal': () => system.restart('temporal'),
      },
      failed,
      stop: () => system.stop(),
    };
  };
}
