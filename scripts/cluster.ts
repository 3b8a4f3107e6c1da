// `npm run cluster`: the production topology on this machine, on loopback (dev/cluster/cluster.ts):
// the Temporal server on PostgreSQL as four service processes and its Web UI, FerretDB, the
// edge stand-ins, two reminder workers and two API instances. Data stays in .data/cluster/.
// Ctrl-C, or SIGINT or SIGTERM to npm or to this process, stops everything it started.
//
// package.json runs this as `exec node --import tsx scripts/cluster.ts`, as `npm start` runs
// start.ts, so that npm's signal reaches this process (start.ts says why).
import 'dotenv/config';
import path from 'node:path';
import { clusterPorts, startCluster, type Cluster } from '../dev/cluster/cluster';
import { stopAllManaged } from '../dev/stack/processes';
import { runUntilStopped } from '../dev/stack/run-until-stopped';
import { projectRoot } from '../dev/stack/tools';

async function main(started: (cluster: Cluster) => void): Promise<void> {
  console.log('cluster: starting PostgreSQL, the Temporal services, FerretDB, the edge stand-ins, two workers and two APIs …');
  const startedAt = Date.now();
  const cluster = await startCluster({
    dataDir: process.env.CLUSTER_DATA_DIR ? path.resolve(process.env.CLUSTER_DATA_DIR) : path.join(projectRoot, '.data', 'cluster'),
    ports: clusterPorts(portOffset()),
    env: process.env,
    // A worker or an API that dies is reported and the rest keep running: the other instance
    // serves, as in a deployment.
    onAppExit: (ended) => console.error(`cluster: ${ended.name} exited (${ended.exitDescription()}); the other instances keep running`),
  });
  started(cluster);
  console.log(
    [
      '',
      `  The cluster is running (up in ${Math.round((Date.now() - startedAt) / 1000)} s; development-only defaults, see .env.example):`,
      ...cluster.describe,
      `    API key         ${process.env.API_KEYS ? '(API_KEYS)' : 'dev-api-key'}`,
      '  Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
}

function portOffset(): number {
  const value = process.env.CLUSTER_PORT_OFFSET;
  if (!value) return 10_000;
  const offset = Number(value);
  if (!Number.isInteger(offset) || offset < 0 || offset > 50_000)
    throw new Error(`CLUSTER_PORT_OFFSET=${value} is not an offset (0 to 50000)`);
  return offset;
}

runUntilStopped('cluster', main, stopAllManaged);
