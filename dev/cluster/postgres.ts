// PostgreSQL from Debian's packages, in a data folder of ours, on one loopback port: the
// database of the local Temporal cluster (persistence and visibility).
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { spawnManaged, waitUntil, type ManagedProcess, type SpawnOptions } from '../stack/processes';
import { postgresBin, requireClusterTool } from './tools';

const run = promisify(execFile);

/** The role Temporal connects as; trust authentication on loopback, so no password matters. */
export const POSTGRES_USER = 'temporal';

export interface PostgresOptions {
  dataDir: string;
  port: number;
  output?: SpawnOptions;
}

/**
 * PostgreSQL refuses to run as root, so as root it runs as the `postgres` user the Debian
 * package creates, owning the data folder; as anyone else it runs as that user.
 */
function asServerUser(): { prefix: string[]; owner?: { uid: number; gid: number } } {
  if (process.getuid?.() !== 0) return { prefix: [] };
  return { prefix: ['setpriv', '--reuid=postgres', '--regid=postgres', '--init-groups', '--'], owner: postgresOwner() };
}

function postgresOwner(): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    throw new Error("running as root, PostgreSQL needs the `postgres` user (Debian's postgresql package creates it)");
  }
}

/** Creates the data folder on first use (initdb), then starts the server and waits until it answers. */
export async function startPostgres(options: PostgresOptions): Promise<ManagedProcess> {
  const { prefix, owner: serverOwner } = asServerUser();
  const spawnAs = (command: string, args: string[]) =>
    (prefix.length ? [prefix[0]!, [...prefix.slice(1), command, ...args]] : [command, args]) as [string, string[]];
  if (!existsSync(path.join(options.dataDir, 'PG_VERSION'))) {
    // Only the data folder itself private (initdb wants that); its parents stay traversable by the server's user.
    mkdirSync(path.dirname(options.dataDir), { recursive: true });
    mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    if (serverOwner) chownSync(options.dataDir, serverOwner.uid, serverOwner.gid);
    const [command, args] = spawnAs(requireClusterTool(postgresBin('initdb')), [
      '-D',
      options.dataDir,
      '-U',
      POSTGRES_USER,
      '--auth=trust',
      '-E',
      'UTF8',
      '--locale=C',
    ]);
    await run(command, args).catch((error: Error & { stderr?: string }) => {
      throw new Error(`initdb failed: ${error.stderr ?? error.message}`);
    });
  }
  const [command, args] = spawnAs(requireClusterTool(postgresBin('postgres')), [
    '-D',
    options.dataDir,
    '-p',
    String(options.port),
    '-c',
    'listen_addresses=127.0.0.1',
    // Its socket in the data folder, not /var/run/postgresql (which may not exist or be writable).
    '-c',
    `unix_socket_directories=${options.dataDir}`,
    // Four Temporal services with up to 20 + 10 connections each, and the tools.
    '-c',
    'max_connections=200',
  ]);
  const server = spawnManaged('postgres', command, args, options.output);
  await waitUntil(`PostgreSQL on 127.0.0.1:${options.port}`, async () => (await psql(options.port, 'SELECT 1')) === '1', {
    process: server,
  });
  return server;
}

/** Runs one statement as the Temporal role and returns its unaligned, tuples-only output. */
export async function psql(port: number, statement: string, database = 'postgres'): Promise<string> {
  const { stdout } = await run(postgresBin('psql'), [
    '-h',
    '127.0.0.1',
    '-p',
    String(port),
    '-U',
    POSTGRES_USER,
    '-d',
    database,
    '-v',
    'ON_ERROR_STOP=1',
    '-tAc',
    statement,
  ]);
  return stdout.trim();
}
