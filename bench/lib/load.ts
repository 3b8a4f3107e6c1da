// The two load generators of section 1: autocannon against an HTTP endpoint, and a bare
// Temporal client sending signals, each closed-loop (as fast as `connections` in-flight
// requests allow) or open-loop at a fixed overall rate (latency measured from the moment a
// request was due, as autocannon corrects for coordinated omission). Open-loop arrivals are
// evenly paced or random (a Poisson process, as independent senders produce).
import http from 'node:http';
import autocannon from 'autocannon';
import { percentile } from './stats';

export interface LoadResult {
  requests: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  mean: number;
  /** Non-2xx answers, errors and timeouts. */
  failures: number;
  /** The overall rate asked for (open loop), if any. */
  targetRate?: number;
}

export interface SignedBody {
  body: string;
  signature: string;
}

export async function httpLoad(
  url: string,
  bodies: SignedBody[],
  options: { connections: number; durationSeconds: number; overallRate?: number },
): Promise<LoadResult> {
  let next = 0;
  const { pathname } = new URL(url);
  const result = await autocannon({
    url,
    connections: options.connections,
    duration: options.durationSeconds,
    timeout: 10,
    // autocannon limits a rate per connection and per second: each connection sends its
    // share back to back at the top of every second, so the server sees a burst of up to
    // `connections` requests each second. Its coordinated-omission correction then assumes
    // a 1 ms interval (ceil(1/rate)) and floods the histogram with synthetic samples, so it
    // is off: the latencies are those of the requests actually sent.
    ...(options.overallRate ? { overallRate: options.overallRate, ignoreCoordinatedOmission: true } : {}),
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          const signed = bodies[next++ % bodies.length]!;
          return {
            ...request,
            method: 'POST',
            path: pathname,
            headers: { 'content-type': 'application/json', 'x-webhook-signature': signed.signature },
            body: signed.body,
          };
        },
      },
    ],
  });
  const requests = result.requests.total;
  return {
    requests,
    seconds: result.duration,
    rps: requests / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    mean: result.latency.mean ?? result.latency.average,
    failures: result.non2xx + result.errors + result.timeouts,
    ...(options.overallRate ? { targetRate: options.overallRate } : {}),
  };
}

export interface OpenLoopOptions {
  connections: number;
  durationSeconds: number;
  overallRate?: number;
  /**
   * How open-loop requests arrive: `even` (request i due at i/rate) or `random`
   * (exponential gaps of mean 1/rate from a fixed seed, so two passes see the same times).
   */
  arrivals?: 'even' | 'random';
}

/** Calls `send` for `durationSeconds`, `connections` at a time (closed loop) or at `overallRate`/s (open loop). */
export async function callLoad(send: (index: number) => Promise<void>, options: OpenLoopOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  let failures = 0;
  let next = 0;
  const started = performance.now();
  const deadline = started + options.durationSeconds * 1000;

  const one = async (dueAt: number) => {
    const index = next++;
    try {
      await send(index);
      latencies.push(performance.now() - dueAt);
    } catch {
      failures++;
    }
  };

  if (!options.overallRate) {
    await Promise.all(
      Array.from({ length: options.connections }, async () => {
        while (performance.now() < deadline) await one(performance.now());
      }),
    );
  } else {
    // Open loop: each request is due at its arrival time; at most `connections` in flight, so
    // a slow answer delays the next ones and their latency counts from when they were due.
    const interval = 1000 / options.overallRate;
    const random = seededRandom(ARRIVALS_SEED);
    const gap = options.arrivals === 'random' ? () => -Math.log(1 - random()) * interval : () => interval;
    const slots: Promise<void>[] = [];
    let active = 0;
    const freed: (() => void)[] = [];
    for (let dueAt = started; dueAt < deadline; dueAt += gap()) {
      const wait = dueAt - performance.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      while (active >= options.connections) await new Promise<void>((resolve) => freed.push(resolve));
      active++;
      slots.push(
        one(dueAt).finally(() => {
          active--;
          freed.shift()?.();
        }),
      );
    }
    await Promise.all(slots);
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    requests: latencies.length,
    seconds,
    rps: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    mean: latencies.reduce((a, b) => a + b, 0) / Math.max(latencies.length, 1),
    failures,
    ...(options.overallRate ? { targetRate: options.overallRate } : {}),
  };
}

/** One seed for every random-arrival pass: ours and the bare client's get the same times. */
const ARRIVALS_SEED = 20_261_125;

/** mulberry32: a small seeded generator of uniform numbers in [0, 1). */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * The same signed POSTs, open loop at an overall rate (evenly paced or random arrivals),
 * over at most `connections` keep-alive connections: the shape the bare client's open-loop
 * passes have, so the two latencies compare.
 */
export async function pacedHttpLoad(
  url: string,
  bodies: SignedBody[],
  options: OpenLoopOptions & { overallRate: number },
): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
  const target = new URL(url);
  try {
    return await callLoad(
      (index) =>
        new Promise<void>((resolve, reject) => {
          const signed = bodies[index % bodies.length]!;
          const request = http.request(
            {
              agent,
              host: target.hostname,
              port: target.port,
              path: target.pathname,
              method: 'POST',
              headers: {
                'content-type': 'application/json',
                'content-length': Buffer.byteLength(signed.body),
                'x-webhook-signature': signed.signature,
              },
            },
            (response) => {
              response.resume();
              response.on('end', () => ((response.statusCode ?? 0) < 300 ? resolve() : reject(new Error(`HTTP ${response.statusCode}`))));
            },
          );
          request.on('error', reject);
          request.end(signed.body);
        }),
      options,
    );
  } finally {
    agent.destroy();
  }
}
