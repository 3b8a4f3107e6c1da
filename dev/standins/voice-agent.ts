// The voice agent for local runs and tests: the real Python agent (agent/, a livekit-agents
// worker) started with its STAND-INS at the network edge (agent/standins: a simulated callee
// in place of the SIP leg, a scripted model in place of the speech and model providers), which
// follow the call scripts of scripted-numbers.ts. Everything between the edges is the agent's
// production code: the worker, the job, the AgentSession and its tools, the signed webhooks.
import path from 'node:path';
import { endedUnexpectedly, spawnManaged, type ManagedProcess } from '../stack/processes';
import { projectRoot, requireTool } from '../stack/tools';
import { NUMBER_SCRIPTS, UNSCRIPTED, type CallScript } from './scripted-numbers';

export interface VoiceAgentOptions {
  livekitUrl: string;
  apiKey: string;
  apiSecret: string;
  agentName: string;
  webhookSecret: string;
  /** Where events go if a dispatch names no webhook URL (the backend's always does). */
  webhookUrl: string;
  /** Append the agent's JSON log lines here; echoed with a prefix otherwise. */
  logFile?: string;
  quiet?: boolean;
  /** How long a call rings before it is no_answer (the never-answering scripts wait this long). */
  ringTimeoutSeconds?: number;
  /** The agent ends a call at this length (60 s unless given: local calls last seconds). */
  maxCallDurationSeconds?: number;
  /** The stand-ins' scripts: the scripted numbers' unless given (a benchmark's own). */
  callScripts?: ReturnType<typeof callScriptsForAgent>;
  /** `process` (the default: a process per call) or `thread`. */
  jobExecutor?: 'process' | 'thread';
}

/** The scripts as the stand-ins read them (AGENT_STANDIN_CALL_SCRIPTS): every scripted call, by number. */
export function callScriptsForAgent(): { unscripted: CallScript[]; numbers: Record<string, CallScript[]> } {
  const numbers = Object.fromEntries(
    Object.values(NUMBER_SCRIPTS).flatMap((script) => ('call' in script ? [[script.number, script.call] as const] : [])),
  );
  return { unscripted: UNSCRIPTED.call, numbers };
}

const REGISTERED = '"registered worker"';
const START_TIMEOUT_MS = 90_000;

/** Starts the agent and resolves once its worker has registered with LiveKit (dispatches before that would find no agent). */
export async function startVoiceAgent(options: VoiceAgentOptions): Promise<ManagedProcess> {
  const agent = spawnManaged('voice-agent', requireTool('agentPython'), ['-m', 'standins', 'start'], {
    cwd: path.join(projectRoot, 'agent'),
    logFile: options.logFile,
    quiet: options.quiet,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      WEBHOOK_URL: options.webhookUrl,
      WEBHOOK_SECRET: options.webhookSecret,
      LIVEKIT_URL: options.livekitUrl,
      LIVEKIT_API_KEY: options.apiKey,
      LIVEKIT_API_SECRET: options.apiSecret,
      LIVEKIT_AGENT_NAME: options.agentName,
      AGENT_STANDIN_CALL_SCRIPTS: JSON.stringify(options.callScripts ?? callScriptsForAgent()),
      CALL_RING_TIMEOUT_SECONDS: String(options.ringTimeoutSeconds ?? 6),
      // Local calls last seconds; a short maximum keeps a stop's drain short too.
      CALL_MAX_DURATION_SECONDS: String(options.maxCallDurationSeconds ?? 60),
      // On a busy 2-core machine the CPU figure would otherwise turn calls away.
      AGENT_LOAD_THRESHOLD: 'inf',
      AGENT_JOB_EXECUTOR: options.jobExecutor ?? 'process',
      AGENT_HTTP_PORT: '0',
      PYTHONUNBUFFERED: '1',
      // LiveKit's --dev secret is short; PyJWT warns about it on every token. Local only.
      PYTHONWARNINGS: 'ignore::UserWarning:jwt.api_jwt',
    },
  });
  let output = '';
  const registered = new Promise<void>((resolve) => {
    const watch = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4_096);
      if (output.includes(REGISTERED)) {
        agent.child.stdout?.off('data', watch);
        agent.child.stderr?.off('data', watch);
        resolve();
      }
    };
    agent.child.stdout?.on('data', watch);
    agent.child.stderr?.on('data', watch);
  });
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), START_TIMEOUT_MS)));
  const exited = new Promise<'exited'>((resolve) => agent.child.once('exit', () => resolve('exited')));
  const result = await Promise.race([registered.then(() => 'registered' as const), timedOut, exited]);
  clearTimeout(timer);
  if (result === 'registered') return agent;
  if (result === 'exited') throw await endedUnexpectedly(agent, 'while registering with LiveKit');
  await agent.stop();
  throw new Error(`the voice agent did not register with LiveKit within ${START_TIMEOUT_MS / 1000} s:\n${agent.recentOutput()}`);
}
