// `npx tsx bench/diagnostics/agent-memory.ts`: the voice agent's memory per concurrent call.
// Starts livekit-server (--dev, loopback) and the Python agent worker with its stand-ins
// (dev/standins/voice-agent.ts, as the tests run it), measures the worker's process tree at
// rest, then dispatches AGENT_MEMORY_CALLS (20) calls at once through the backend's own
// dispatchCall activity. Each callee answers, says its line, the model records the outcome,
// and the line stays open until the agent ends the call at its maximum duration
// (AGENT_MEMORY_HOLD_SECONDS, 150), so every call is in progress at the same time. The
// worker runs each job in a process of its own (forkserver), so the tree is summed via
// /proc: RSS (what the brief and `ps` report; counts pages the processes share once per
// process) and PSS (shared pages split between their sharers: what the calls add to the
// machine), and USS (private pages only). Per call = (peak while all calls are in progress −
// at rest) / calls, for each.
//
// What the figure holds: the production job (run_call, AgentSession, tools, webhook client)
// over a text-only session, plus the stand-ins at its edge, in the job's process: the
// simulated callee's own LiveKit room connection and the scripted model. A real call has no
// callee room in the agent (the SIP leg is LiveKit's), but an audio pipeline instead (STT and
// TTS streams, resampling), which this does not measure.
//
// AGENT_JOB_EXECUTOR=thread measures the thread executor instead (every call in the worker).
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { createCallActivities } from '../../src/activities/call-activities';
import { createAgentDispatchClient, createRoomServiceClient } from '../../src/channels/livekit-client';
import { SIGNATURE_HEADER, verifyWebhookSignature } from '../../src/webhooks/signature';
import { freePort } from '../../dev/stack/processes';
import { LIVEKIT_DEV_CREDENTIALS, startLiveKit } from '../../dev/stack/servers';
import { projectRoot } from '../../dev/stack/tools';
import { startVoiceAgent } from '../../dev/standins/voice-agent';
import type { CallScript } from '../../dev/standins/scripted-numbers';

const CALLS = Number(process.env.AGENT_MEMORY_CALLS ?? 20);
const HOLD_SECONDS = Number(process.env.AGENT_MEMORY_HOLD_SECONDS ?? 150);
// Twenty job processes start at once on two cores: ringing must outlast that, or calls go no_answer.
const RING_TIMEOUT_SECONDS = 120;
const EXECUTOR = process.env.AGENT_JOB_EXECUTOR === 'thread' ? 'thread' : 'process';
const WEBHOOK_SECRET = 'bench-agent-memory-secret-0123456789';
const SAMPLE_MS = 500;
const MIB = 1024;

/** Every call: answered, one line heard, the outcome recorded, then on the line until the maximum duration. */
const HOLDS_THE_LINE: CallScript = {
  callee: 'answers',
  says: 'Yes, I will pay it today.',
  tools: [{ name: 'record_outcome', arguments: { customer_response: 'will_pay_today', notes: 'bench: stays on the line' } }],
};

interface TreeSample {
  at: number;
  processes: number;
  rssKiB: number;
  pssKiB: number;
  /** Private pages (USS): what the processes hold that no other process shares. */
  ussKiB: number;
}

/** The pid and its descendants, from each process's parent in /proc/<pid>/stat. */
function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command name, which is parenthesised and may hold spaces.
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // it exited while the table was read
    }
  }
  const tree: number[] = [];
  const visit = (pid: number) => {
    tree.push(pid);
    for (const child of children.get(pid) ?? []) visit(child);
  };
  visit(root);
  return tree;
}

const kibFrom = (text: string, field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0);

function sampleTree(root: number): TreeSample {
  let processes = 0;
  let rssKiB = 0;
  let pssKiB = 0;
  let ussKiB = 0;
  for (const pid of processTree(root)) {
    try {
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      rssKiB += kibFrom(rollup, 'Rss');
      pssKiB += kibFrom(rollup, 'Pss');
      ussKiB += kibFrom(rollup, 'Private_Clean') + kibFrom(rollup, 'Private_Dirty');
      processes++;
    } catch {
      // it exited between the listing and the read
    }
  }
  return { at: Date.now(), processes, rssKiB, pssKiB, ussKiB };
}

/** The signed events the agent posts, by type; any body with a valid signature is accepted. */
async function startWebhookReceiver() {
  const events: { event_type: string; reminder_id: string; outcome?: { customer_response?: string } }[] = [];
  let rejected = 0;
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      try {
        verifyWebhookSignature(WEBHOOK_SECRET, body, request.headers[SIGNATURE_HEADER] as string | undefined);
      } catch {
        rejected++;
        response.writeHead(401).end();
        return;
      }
      events.push(JSON.parse(body.toString()) as (typeof events)[number]);
      response.writeHead(200).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/webhooks/call-status`;
  const count = (type: string) => events.filter((event) => event.event_type === type).length;
  return { url, events, count, rejected: () => rejected, close: () => new Promise((resolve) => server.close(resolve)) };
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const mib = (kib: number) => (kib / MIB).toFixed(1);

async function waitFor(what: string, done: () => boolean, timeoutMs: number, onTick: () => void = () => {}): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    onTick();
    await delay(SAMPLE_MS);
  }
}

/** At rest: once the worker's idle processes are up (the count holds for 5 s), the median of 10 samples. */
async function atRest(root: number): Promise<TreeSample> {
  let stableSince = Date.now();
  let last = sampleTree(root).processes;
  await waitFor(
    'the worker to settle',
    () => Date.now() - stableSince >= 5_000,
    60_000,
    () => {
      const now = sampleTree(root).processes;
      if (now !== last) [last, stableSince] = [now, Date.now()];
    },
  );
  const samples: TreeSample[] = [];
  for (let i = 0; i < 10; i++, await delay(SAMPLE_MS)) samples.push(sampleTree(root));
  return {
    at: Date.now(),
    processes: median(samples.map((s) => s.processes)),
    rssKiB: median(samples.map((s) => s.rssKiB)),
    pssKiB: median(samples.map((s) => s.pssKiB)),
    ussKiB: median(samples.map((s) => s.ussKiB)),
  };
}

async function main(): Promise<void> {
  const dataDir = path.join(projectRoot, '.data', `agent-memory-${process.pid}`);
  mkdirSync(dataDir, { recursive: true });
  const port = await freePort();
  const livekitServer = await startLiveKit({ port, output: { logFile: path.join(dataDir, 'livekit.log') } });
  const livekit = { url: `http://127.0.0.1:${port}`, ...LIVEKIT_DEV_CREDENTIALS, agentName: `bench-memory-${process.pid}` };
  const receiver = await startWebhookReceiver();
  const agentLog = path.join(dataDir, 'voice-agent.log');
  let agent: Awaited<ReturnType<typeof startVoiceAgent>> | undefined;
  try {
    agent = await startVoiceAgent({
      livekitUrl: `ws://127.0.0.1:${port}`,
      apiKey: livekit.apiKey,
      apiSecret: livekit.apiSecret,
      agentName: livekit.agentName,
      webhookSecret: WEBHOOK_SECRET,
      webhookUrl: receiver.url,
      logFile: agentLog,
      callScripts: { unscripted: [HOLDS_THE_LINE], numbers: {} },
      maxCallDurationSeconds: HOLD_SECONDS,
      ringTimeoutSeconds: RING_TIMEOUT_SECONDS,
      jobExecutor: EXECUTOR,
    });
    const root = agent.child.pid!;
    const rest = await atRest(root);
    console.log(`at rest: ${rest.processes} processes, RSS ${mib(rest.rssKiB)} MiB, PSS ${mib(rest.pssKiB)} MiB`);

    const calls = createCallActivities({
      dispatcher: createAgentDispatchClient(livekit),
      rooms: createRoomServiceClient(livekit),
      agentName: livekit.agentName,
      agentWebhookUrl: receiver.url,
    });
    // Every sample from the dispatch to the last call's end, the 20 processes' start-up included.
    const throughout: TreeSample[] = [];
    const sample = () => throughout.push(sampleTree(root));
    const dispatchedAt = Date.now();
    await Promise.all(
      Array.from({ length: CALLS }, (_, index) =>
        new MockActivityEnvironment(undefined, { logger: new DefaultLogger('WARN') }).run(
          (request: Parameters<typeof calls.dispatchCall>[0]) => calls.dispatchCall(request),
          {
            reminderId: randomUUID(),
            attempt: 1,
            phone: `+1415555${String(1000 + index).padStart(4, '0')}`,
            customerName: 'Ada Lovelace',
            amountDue: '120.50 USD',
            dueDate: '2026-12-15',
            reference: `INV-${index}`,
            message: 'Your payment is due.',
          },
        ),
      ),
    );
    const ended = () => receiver.count('call_completed') + receiver.count('call_failed');
    await waitFor(`${CALLS} calls answered`, () => receiver.count('call_answered') >= CALLS || ended() > 0, 180_000, sample);
    if (ended() > 0) throw new Error(`a call ended before all ${CALLS} were answered (hold longer: AGENT_MEMORY_HOLD_SECONDS)`);
    const allAnsweredAt = Date.now();
    // Every call in progress at once: from the last answer until the first call ends.
    const window: TreeSample[] = [];
    await waitFor(
      'the calls to end',
      () => ended() > 0,
      (HOLD_SECONDS + 30) * 1000,
      () => window.push(sampleTree(root)),
    );
    await waitFor(`all ${CALLS} calls to end`, () => ended() >= CALLS, (HOLD_SECONDS + 60) * 1000, sample);
    const completed = receiver.events.filter((event) => event.event_type === 'call_completed');
    const outcomes = new Set(completed.map((event) => event.outcome?.customer_response));
    if (completed.length !== CALLS || outcomes.size !== 1 || !outcomes.has('will_pay_today')) {
      throw new Error(
        `expected ${CALLS} calls completed with will_pay_today, got ${JSON.stringify(receiver.events.map((e) => e.event_type))}`,
      );
    }
    await delay(10_000);
    const after = sampleTree(root);

    const peakRss = Math.max(...window.map((s) => s.rssKiB));
    const peakPss = Math.max(...window.map((s) => s.pssKiB));
    const peakUss = Math.max(...window.map((s) => s.ussKiB));
    const peakProcesses = Math.max(...window.map((s) => s.processes));
    console.log(
      [
        `executor: ${EXECUTOR}; ${CALLS} calls at once, answered ${((allAnsweredAt - dispatchedAt) / 1000).toFixed(1)} s after dispatch, all in progress for ${((window.at(-1)!.at - allAnsweredAt) / 1000).toFixed(0)} s (${window.length} samples)`,
        `peak while all ${CALLS} were in progress: ${peakProcesses} processes, RSS ${mib(peakRss)} MiB, PSS ${mib(peakPss)} MiB`,
        `per call: RSS ${mib((peakRss - rest.rssKiB) / CALLS)} MiB, PSS ${mib((peakPss - rest.pssKiB) / CALLS)} MiB, USS ${mib((peakUss - rest.ussKiB) / CALLS)} MiB (at rest: RSS ${mib(rest.rssKiB)} MiB, PSS ${mib(rest.pssKiB)} MiB, USS ${mib(rest.ussKiB)} MiB, ${rest.processes} processes)`,
        `peak from dispatch to the last end: RSS ${mib(Math.max(...throughout.concat(window).map((s) => s.rssKiB)))} MiB, PSS ${mib(Math.max(...throughout.concat(window).map((s) => s.pssKiB)))} MiB`,
        `10 s after the calls ended: ${after.processes} processes, RSS ${mib(after.rssKiB)} MiB, PSS ${mib(after.pssKiB)} MiB`,
        `webhooks: ${receiver.events.length} signed events accepted, ${receiver.rejected()} rejected`,
      ].join('\n'),
    );
  } catch (error) {
    console.error(`agent log: ${agentLog}`);
    throw error;
  } finally {
    await agent?.stop();
    await livekitServer.stop();
    await receiver.close();
  }
  if (!process.env.BENCH_KEEP_DATA) rmSync(dataDir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
