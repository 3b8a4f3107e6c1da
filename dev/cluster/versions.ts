import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../stack/tools';

/** The file that pins the cluster's versions (read by scripts/install-cluster.sh too). */
export const VERSIONS_FILE = path.join(projectRoot, 'dev', 'cluster', 'versions.env');

export interface ClusterVersions {
  /** The Go module version, with its "v" (`v1.32.2`); images are tagged without it. */
  temporalServer: string;
  temporalServerGoToolchain: string;
  temporalUi: string;
  postgresMajor: string;
}

/** Reads `KEY=VALUE` lines; comments and blank lines are skipped. */
export function parseVersionsFile(text: string): Record<string, string> {
  const entries = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const equals = line.indexOf('=');
      if (equals < 1) throw new Error(`${VERSIONS_FILE}: not KEY=VALUE: ${line}`);
      return [line.slice(0, equals), line.slice(equals + 1)] as const;
    });
  return Object.fromEntries(entries);
}

export function clusterVersions(text = readFileSync(VERSIONS_FILE, 'utf8')): ClusterVersions {
  const values = parseVersionsFile(text);
  const value = (key: string) => {
    const found = values[key];
    if (!found) throw new Error(`${VERSIONS_FILE} does not set ${key}`);
    return found;
  };
  return {
    temporalServer: value('TEMPORAL_SERVER_VERSION'),
    temporalServerGoToolchain: value('TEMPORAL_SERVER_GOTOOLCHAIN'),
    temporalUi: value('TEMPORAL_UI_VERSION'),
    postgresMajor: value('POSTGRES_MAJOR'),
  };
}
