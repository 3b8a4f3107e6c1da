// What the chaos run needs from the system it loads and breaks: the dev system (`npm start`'s
// shape) and the production topology (`npm run cluster`) each provide one
// (local-system-target.ts, cluster-target.ts).
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
