// What the chaos run needs from the system it loads and breaks: the dev system (`npm start`'s
// shape) and the production topology (`npm run cluster`) each provide one
// (local-system-target.ts, cluster-target.ts).
import { mkdirSync, rmSync } from 'node:fs';
import type { StandInMessage } from '../standins/twilio-standin';

export interface SystemUnderTest {
  /** Where reminders are created; the load goes through each in turn. */
  apiUrls: string[];
  temporalAddress: string;
  temporalNamespace: string;
  mongoUri: string;
  /** The messages the Twilio stand-in received so far (the SMS sends to count). */
  smsMessages(): StandInMessage[];
  /** Its faults by name: each injects the fault and resolves once the part it hit is back. */
  faults: Record<string, () => Promise<void>>;
  /** Rejects, saying which and why, when a part exits on its own rather than by a fault. */
  failed: Promise<never>;
  stop(): Promise<void>;
}

/** Starts a fresh system (its data removed) whose API and workers get `env`. */
export type StartSystemUnderTest = (env: NodeJS.ProcessEnv) => Promise<SystemUnderTest>;

/** What each target is started with. */
export interface TargetOptions<Ports> {
  ports: Ports;
  /** Emptied first (freshDataDir): every run starts from nothing. */
  dataDir: string;
  /** How long the MongoDB-wire store (FerretDB) stays down for `stop-mongodb`. */
  mongoDownMs: number;
}

export function freshDataDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
}
