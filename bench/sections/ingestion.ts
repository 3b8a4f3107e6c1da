// Section 1: webhook ingestion. Signed call_answered events for call reminders that stay
// waiting (CALL_NO_AGENT_REPORT: the agent never reports), measured side by side at the same
// concurrency against: (main) the real API (verify → look up → signal), (a) the same Koa app
// with a ReminderService that returns at once (HTTP + verification ceiling), (b) a bare
// Temporal client sending the same signals (the engine's limit), (c) the old design (verify
// and updateOne straight into MongoDB); then main and (b) again at half main's rate.
import { freePort, tcpReachable, waitUntil } from '../../dev/stack/processes';
import { callEventSignal, reminderWorkflowId } from '../../src/workflows/definitions';
import { signWebhookBody } from '../../src/webhooks/signature';
import { createReminders } from '../lib/api-client';
import type { BenchConfig } from '../lib/config';
import { callLoad, httpLoad, pacedHttpLoad, type LoadResult, type SignedBody } from '../lib/load';
import { cpuWindow, waitUntilIdle, type CpuShare } from '../lib/proc';
import { CPU_ORDER, cpuPerItem, cpuSummary, fixed, partCpuPerItem, pct, table, waitSummary, type SectionReport } from '../lib/report';
import { BENCH_SECRETS, type Stack } from '../lib/stack';
import { mapConcurrent, pollUntil } from '../lib/stats';
import { breakdown, describeBreakdown, snapshotMetrics, type TimeBreakdown } from '../lib/worker-metrics';
import { SCRIPTED_NUMBERS } from '../../dev/standins/scripted-numbers';

export const SILENT_CALL_NUMBER = SCRIPTED_NUMBERS.CALL_NO_AGENT_REPORT;

export interface IngestionPass extends LoadResult {
  key: string;
  label: string;
  cpu: CpuShare;
  /** Where the worker's time went while the pass ran (its signals become workflow tasks). */
  time: TimeBreakdown;
}

export interface IngestionResult {
  reminders: number;
  connections: number;
  durationSeconds: number;
  passes: IngestionPass[];
  /** main rps / (b) rps, percent. */
  ingestionPercentOfEngine: number;
  /**
   * The cluster model: the engine's CPU-milliseconds per request in main and in (b). Where the
   * API and workers have machines of their own, the engine alone sets the rate, and
   * (b)'s / main's is the share of the bare client's rate ours would reach.
   */
  engineBound: { msPerRequest: { main: number; bare: number }; percentOfEngine: number };
  /** main p99 at half its max rate (autocannon overallRate), ms. */
  halfRateP99: number;
  /** main p99 at half its max rate, evenly paced, ms. */
  pacedHalfRateP99: number;
  /** main p99 at half its max rate, random (Poisson) arrivals, ms. */
  randomHalfRateP99: number;
  halfRate: number;
  /** Ids of the call reminders (their histories are sampled in section 3). */
  reminderIds: string[];
}

export async function runIngestion(stack: Stack, config: BenchConfig, log: (line: string) => void): Promise<IngestionResult> {
  const { webhookReminders: count, connections, durationSeconds, warmupSeconds } = config;
  log(`creating ${count} call reminders to ${SILENT_CALL_NUMBER} (nobody reports on them) …`);
  const ids = await createReminders(stack.apiUrl, {
    channel: 'call',
    phone: SILENT_CALL_NUMBER,
    customerId: 'bench-webhooks',
    count,
    concurrency: config.createConcurrency,
  });
  // Visibility, not a MongoDB count: FerretDB counts by scanning the whole collection.
  const countWith = async (status: string) =>
    (await stack.client.workflow.count(`CustomerId = 'bench-webhooks' AND ReminderStatus = '${status}'`)).count;
  const dispatched = await pollUntil(async () => (await countWith('in_progress')) >= count, { timeoutMs: 180_000, intervalMs: 1_000 });
  if (!dispatched) throw new Error('the call reminders were not all dispatched within 3 minutes');

  const bodies: SignedBody[] = ids.map((reminderId) => {
    const body = JSON.stringify({ reminder_id: reminderId, event_type: 'call_answered', attempt: 1 });
    return { body, signature: signWebhookBody(BENCH_SECRETS.webhookSecret, body) };
  });

  // The old design's collection: one document per reminder, in a database of its own.
  const oldDesignUri = stack.mongodbUri.replace('/payment_reminders?', '/bench_old_design?');
  const oldDesign = stack.mongo
    .db('bench_old_design')
    .collection<{ _id: string; status: string; channel: string; updatedAt: Date }>('reminders');
  await oldDesign.insertMany(ids.map((id) => ({ _id: id, status: 'in_progress', channel: 'call', updatedAt: new Date() })));

  const [ceilingPort, oldPort] = await Promise.all([freePort(), freePort()]);
  const ceiling = stack.spawnNode('ceiling-api', 'bench/apps/ceiling-api.ts', { ...stack.env, API_PORT: String(ceilingPort) });
  const old = stack.spawnNode('old-design-api', 'bench/apps/direct-mongo-api.ts', {
    ...stack.env,
    API_PORT: String(oldPort),
    MONGODB_URI: oldDesignUri,
  });
  await waitUntil('the ceiling API', () => tcpReachable(ceilingPort), { process: ceiling, timeoutMs: 60_000 });
  await waitUntil('the old-design API', () => tcpReachable(oldPort), { process: old, timeoutMs: 60_000 });

  const urls = {
    main: `${stack.apiUrl}/api/webhooks/call-status`,
    a: `http://127.0.0.1:${ceilingPort}/api/webhooks/call-status`,
    c: `http://127.0.0.1:${oldPort}/api/webhooks/call-status`,
  };
  // Every target answers a signed event with 200 before anything is measured; the first
  // call_answered moves each reminder to processing, so every measured event is handled alike.
  log('priming: one signed call_answered per reminder through the API (each moves to processing) …');
  for (const url of Object.values(urls)) {
    const answer = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-webhook-signature': bodies[0]!.signature },
      body: bodies[0]!.body,
    });
    if (answer.status !== 200) throw new Error(`${url} answered ${answer.status}: ${await answer.text()}`);
  }
  await mapConcurrent(bodies, 10, async (signed) => {
    const answer = await fetch(urls.main, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-webhook-signature': signed.signature },
      body: signed.body,
    });
    if (answer.status !== 200) throw new Error(`priming answered ${answer.status}`);
  });
  await pollUntil(async () => (await countWith('processing')) >= count, { timeoutMs: 120_000, intervalMs: 1_000 });

  const groups = stack.groups('api', 'worker', 'temporal', 'ferretdb', 'ceiling-api', 'old-design-api', 'livekit');
  const backlog = stack.groups('worker', 'temporal', 'api', 'ferretdb');
  const signal = (index: number) =>
    stack.client.workflow
      .getHandle(reminderWorkflowId(ids[index % ids.length]!))
      .signal(callEventSignal, { eventType: 'call_answered', attempt: 1 });

  const passes: IngestionPass[] = [];
  const measure = async (key: string, label: string, run: (seconds: number) => Promise<LoadResult>, warm = true) => {
    // Signals queue workflow tasks; let the worker drain the last pass's before the next.
    await waitUntilIdle(backlog);
    if (warm && warmupSeconds > 0) {
      await run(warmupSeconds);
      await waitUntilIdle(backlog);
    }
    const metricsBefore = await snapshotMetrics(stack.workerMetricsUrl);
    const window = cpuWindow(groups);
    const result = await run(durationSeconds);
    const cpu = window();
    const pass = { key, label, ...result, cpu, time: breakdown(metricsBefore, await snapshotMetrics(stack.workerMetricsUrl)) };
    passes.push(pass);
    log(
      `  ${label.padEnd(52)} ${pass.rps.toFixed(0).padStart(6)} req/s   p50 ${pass.p50.toFixed(1)} ms   p99 ${pass.p99.toFixed(1)} ms   failures ${pass.failures}`,
    );
    return pass;
  };

  log(`measuring, ${connections} connections, ${durationSeconds} s per pass (after ${warmupSeconds} s of warm-up) …`);
  const main = await measure('main', '(main) API: verify, look up, signal', (seconds) =>
    httpLoad(urls.main, bodies, { connections, durationSeconds: seconds }),
  );
  const engine = await measure('b', '(b) bare Temporal client: the same signals', (seconds) =>
    callLoad(signal, { connections, durationSeconds: seconds }),
  );
  await measure('a', '(a) same app, deliverCallEvent returns at once', (seconds) =>
    httpLoad(urls.a, bodies, { connections, durationSeconds: seconds }),
  );
  await measure('c', '(c) old design: verify + updateOne in MongoDB', (seconds) =>
    httpLoad(urls.c, bodies, { connections, durationSeconds: seconds }),
  );
  const halfRate = Math.max(1, Math.floor(main.rps / 2));
  const half = await measure(
    'main-half',
    `(main) half its max rate, autocannon (${halfRate}/s)`,
    (seconds) => httpLoad(urls.main, bodies, { connections, durationSeconds: seconds, overallRate: halfRate }),
    false,
  );
  const paced = await measure(
    'main-paced',
    `(main) half its max rate, evenly paced (${halfRate}/s)`,
    (seconds) => pacedHttpLoad(urls.main, bodies, { connections, durationSeconds: seconds, overallRate: halfRate }),
    false,
  );
  await measure(
    'b-paced',
    `(b) the same rate, evenly paced (${halfRate}/s)`,
    (seconds) => callLoad(signal, { connections, durationSeconds: seconds, overallRate: halfRate }),
    false,
  );
  // Independent senders (Twilio, voice agents) arrive at random: a Poisson process.
  const random = await measure(
    'main-random',
    `(main) half its max rate, random arrivals (${halfRate}/s)`,
    (seconds) => pacedHttpLoad(urls.main, bodies, { connections, durationSeconds: seconds, overallRate: halfRate, arrivals: 'random' }),
    false,
  );
  await measure(
    'b-random',
    `(b) the same arrival times (${halfRate}/s)`,
    (seconds) => callLoad(signal, { connections, durationSeconds: seconds, overallRate: halfRate, arrivals: 'random' }),
    false,
  );

  await ceiling.stop();
  await old.stop();
  stack.parts.delete('ceiling-api');
  stack.parts.delete('old-design-api');
  await waitUntilIdle(backlog);

  return {
    reminders: count,
    connections,
    durationSeconds,
    passes,
    ingestionPercentOfEngine: (main.rps / engine.rps) * 100,
    engineBound: engineBoundModel(main, engine),
    halfRateP99: half.p99,
    pacedHalfRateP99: paced.p99,
    randomHalfRateP99: random.p99,
    halfRate,
    reminderIds: ids,
  };
}

function engineBoundModel(main: IngestionPass, bare: IngestionPass): IngestionResult['engineBound'] {
  const msPerRequest = {
    main: partCpuPerItem(main.cpu, 'temporal', main.requests) * 1000,
    bare: partCpuPerItem(bare.cpu, 'temporal', bare.requests) * 1000,
  };
  return { msPerRequest, percentOfEngine: (msPerRequest.bare / msPerRequest.main) * 100 };
}

/** `on`: which Temporal server the run used, for the heading when the bench ran on several. */
export function reportIngestion(ingestion: IngestionResult, on?: string): SectionReport {
  const byKey = new Map(ingestion.passes.map((pass) => [pass.key, pass]));
  const engine = byKey.get('b')!;
  const out: string[] = [];
  out.push(
    '',
    `== 1. Webhook ingestion: ${ingestion.reminders} waiting call reminders, ${ingestion.connections} connections, ${ingestion.durationSeconds} s per pass${on ? `, on ${on}` : ''} ==`,
  );
  out.push(
    table(
      ['target', 'req/s', 'vs (b)', 'p50 ms', 'p99 ms', 'mean ms', 'requests', 'failures', 'CPU % of a core'],
      ingestion.passes.map((pass) => [
        pass.label,
        fixed(pass.rps, 0),
        pct((pass.rps / engine.rps) * 100),
        fixed(pass.p50),
        fixed(pass.p99),
        fixed(pass.mean),
        pass.requests,
        pass.failures,
        cpuSummary(pass.cpu, CPU_ORDER),
      ]),
      ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l'],
    ),
  );
  const main = byKey.get('main')!;
  const ceiling = byKey.get('a');
  const old = byKey.get('c');
  out.push('where the time went (worker metrics during each pass; run-queue wait = ready threads waiting for a core, % of the pass):');
  for (const pass of ingestion.passes)
    out.push(`  ${pass.key.padEnd(10)} ${describeBreakdown(pass.time) || 'no workflow tasks'} | run-queue wait ${waitSummary(pass.cpu)}`);
  out.push('CPU per request, ms, by process (bench = the load generator; for (b) it is also the signalling client):');
  for (const pass of ingestion.passes) out.push(`  ${pass.key.padEnd(10)} ${cpuPerItem(pass.cpu, pass.requests, 'ms', CPU_ORDER).text}`);
  out.push(
    `ratios: main/(b) ${pct(ingestion.ingestionPercentOfEngine, 1)} · main/(a) ${pct(ceiling ? (main.rps / ceiling.rps) * 100 : NaN, 1)} · main/(c) ${pct(old ? (main.rps / old.rps) * 100 : NaN, 1)} · (b)/(a) ${pct(ceiling ? (engine.rps / ceiling.rps) * 100 : NaN, 1)}`,
  );
  const model = ingestion.engineBound;
  out.push(
    `cluster model (the API and workers on machines of their own, so the engine alone sets the rate): the engine's CPU per request, main ${fixed(model.msPerRequest.main, 1)} ms · (b) ${fixed(model.msPerRequest.bare, 1)} ms → main at ${pct(model.percentOfEngine, 0)} of (b)`,
  );
  const targets = [
    {
      section: '1',
      target: 'ingestion ≥ 90% of the bare client (b)',
      measured: pct(ingestion.ingestionPercentOfEngine, 1),
      holds: ingestion.ingestionPercentOfEngine >= 90,
    },
    {
      section: '1',
      target: `p99 ≤ 50 ms at half the max rate (${ingestion.halfRate}/s, autocannon)`,
      measured: `${fixed(ingestion.halfRateP99)} ms`,
      holds: ingestion.halfRateP99 <= 50,
    },
    {
      section: '1',
      target: `p99 ≤ 50 ms at half the max rate (${ingestion.halfRate}/s, evenly paced)`,
      measured: `${fixed(ingestion.pacedHalfRateP99)} ms`,
      holds: ingestion.pacedHalfRateP99 <= 50,
    },
    {
      section: '1',
      target: `p99 ≤ 50 ms at half the max rate (${ingestion.halfRate}/s, random arrivals)`,
      measured: `${fixed(ingestion.randomHalfRateP99)} ms`,
      holds: ingestion.randomHalfRateP99 <= 50,
    },
  ];
  return { lines: out, targets };
}
