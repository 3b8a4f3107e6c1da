import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { createWebhookSender, WEBHOOK_RETRY_DELAYS_MS, type WebhookSenderOptions } from '../../../src/webhooks/sender-client';
import { InvalidSignatureError, verifyWebhookSignature } from '../../../src/webhooks/signature';

const SECRET = 'sender-test-secret-0123456789';
const FAST_DELAYS = [0, 20, 40] as const;

interface Received {
  at: number;
  method: string;
  contentType: string | undefined;
  signature: string | undefined;
  body: Buffer;
  /** The outcome of verifyWebhookSignature on the server side: undefined when it verified. */
  signatureError?: unknown;
}

/** What the receiving server does with the n-th request: answer with a status, or drop the connection. */
type Reply = { status: number; body?: string } | 'drop';

/** A real HTTP receiver on 127.0.0.1 that verifies each request as our webhook route would. */
class Receiver {
  readonly requests: Received[] = [];
  private server!: http.Server;
  url = '';

  constructor(
    private readonly replies: Reply[],
    private readonly fallback: Reply = { status: 200 },
  ) {}

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const signature = req.headers['x-webhook-signature'] as string | undefined;
        let signatureError: unknown;
        try {
          verifyWebhookSignature(SECRET, body, signature);
        } catch (error) {
          signatureError = error;
        }
        this.requests.push({
          at: performance.now(),
          method: req.method ?? '',
          contentType: req.headers['content-type'],
          signature,
          body,
          signatureError,
        });
        const reply = this.replies[this.requests.length - 1] ?? this.fallback;
        if (reply === 'drop') {
          req.socket.destroy();
          return;
        }
        res.writeHead(reply.status, { 'content-type': 'text/plain' });
        res.end(reply.body ?? `status ${reply.status}`);
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api/webhooks/call-status`;
    return this;
  }

  gaps(): number[] {
    return this.requests.slice(1).map((request, index) => request.at - this.requests[index]!.at);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

const receivers: Receiver[] = [];
async function receiver(replies: Reply[], fallback?: Reply): Promise<Receiver> {
  const started = await new Receiver(replies, fallback).start();
  receivers.push(started);
  return started;
}
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.stop()));
});

const payload = {
  event_type: 'call_completed',
  reminder_id: '3f2b8c1e-0d4a-4b6e-9c7f-1a2b3c4d5e6f',
  attempt: 1,
  outcome: { connected: true, duration: 73, customer_response: 'will_pay_today', notes: 'Zoë paiera demain — ✓ 💶' },
};

type GiveUp = NonNullable<WebhookSenderOptions['onGiveUp']>;

function sender(url: string, onGiveUp = jest.fn<void, Parameters<GiveUp>>()) {
  return { send: createWebhookSender({ url, secret: SECRET, retryDelaysMs: FAST_DELAYS, onGiveUp }), onGiveUp };
}

describe('createWebhookSender', () => {
  it("uses the guide's schedule by default: at once, then after 2 s, then after 4 s", () => {
    expect(WEBHOOK_RETRY_DELAYS_MS).toEqual([0, 2000, 4000]);
  });

  it('signs exactly the bytes it sends, including non-ASCII text', async () => {
    const server = await receiver([{ status: 200 }]);
    const { send, onGiveUp } = sender(server.url);

    const result = await send(payload);

    expect(result).toEqual({ delivered: true, attempts: 1, status: 200 });
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request!.signatureError).toBeUndefined();
    expect(request!.method).toBe('POST');
    expect(request!.contentType).toBe('application/json');
    expect(request!.signature).toMatch(/^[0-9a-f]{64}$/);
    expect(request!.body.toString('utf8')).toBe(JSON.stringify(payload));
    expect(JSON.parse(request!.body.toString('utf8'))).toEqual(payload);
    expect(onGiveUp).not.toHaveBeenCalled();
  });

  it('a receiver with a different secret rejects what it sends (the server check is real)', async () => {
    const server = await receiver([{ status: 200 }]);
    const send = createWebhookSender({ url: server.url, secret: 'some-other-secret', retryDelaysMs: FAST_DELAYS, onGiveUp: jest.fn() });
    await send(payload);
    expect(server.requests[0]!.signatureError).toBeInstanceOf(InvalidSignatureError);
  });

  it('counts any 2xx as delivered', async () => {
    const server = await receiver([{ status: 202 }]);
    const { send } = sender(server.url);
    await expect(send(payload)).resolves.toEqual({ delivered: true, attempts: 1, status: 202 });
  });

  it.each([500, 503, 429])('retries after %i with the configured delays and sends the same signed bytes each time', async (status) => {
    const server = await receiver([{ status }, { status }, { status: 200 }]);
    const { send, onGiveUp } = sender(server.url);

    const result = await send(payload);

    expect(result).toEqual({ delivered: true, attempts: 3, status: 200 });
    expect(server.requests).toHaveLength(3);
    const [gap1, gap2] = server.gaps();
    expect(gap1).toBeGreaterThanOrEqual(FAST_DELAYS[1]);
    expect(gap2).toBeGreaterThanOrEqual(FAST_DELAYS[2]);
    for (const request of server.requests) {
      expect(request.signatureError).toBeUndefined();
      expect(request.body.equals(server.requests[0]!.body)).toBe(true);
      expect(request.signature).toBe(server.requests[0]!.signature);
    }
    expect(onGiveUp).not.toHaveBeenCalled();
  });

  it('stops retrying as soon as an attempt succeeds', async () => {
    const server = await receiver([{ status: 500 }, { status: 200 }]);
    const { send } = sender(server.url);
    await expect(send(payload)).resolves.toEqual({ delivered: true, attempts: 2, status: 200 });
    await new Promise((resolve) => setTimeout(resolve, FAST_DELAYS[2] + 30));
    expect(server.requests).toHaveLength(2);
  });

  it('retries after a dropped connection (network error) and then delivers', async () => {
    const server = await receiver(['drop', 'drop', { status: 200 }]);
    const { send, onGiveUp } = sender(server.url);

    const result = await send(payload);

    expect(result).toEqual({ delivered: true, attempts: 3, status: 200 });
    expect(server.requests).toHaveLength(3);
    const [gap1, gap2] = server.gaps();
    expect(gap1).toBeGreaterThanOrEqual(FAST_DELAYS[1]);
    expect(gap2).toBeGreaterThanOrEqual(FAST_DELAYS[2]);
    expect(server.requests.every((request) => request.signatureError === undefined)).toBe(true);
    expect(onGiveUp).not.toHaveBeenCalled();
  });

  it('gives up after 3 failed attempts and calls onGiveUp exactly once with the last error and the body', async () => {
    const server = await receiver([], { status: 500, body: 'database down' });
    const { send, onGiveUp } = sender(server.url);

    const started = performance.now();
    const result = await send(payload);
    const elapsed = performance.now() - started;

    expect(result).toEqual({ delivered: false, attempts: 3 });
    expect(server.requests).toHaveLength(3);
    expect(elapsed).toBeGreaterThanOrEqual(FAST_DELAYS[1] + FAST_DELAYS[2]);
    expect(onGiveUp).toHaveBeenCalledTimes(1);
    expect(onGiveUp).toHaveBeenCalledWith({
      url: server.url,
      attempts: 3,
      lastError: 'HTTP 500: database down',
      body: JSON.stringify(payload),
    });
    // No fourth attempt turns up later.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(server.requests).toHaveLength(3);
  });

  it('gives up after 3 attempts when nothing listens on the port', async () => {
    const closed = await receiver([]);
    const url = closed.url;
    await closed.stop();
    receivers.splice(receivers.indexOf(closed), 1);
    const { send, onGiveUp } = sender(url);

    const started = performance.now();
    const result = await send(payload);

    expect(result).toEqual({ delivered: false, attempts: 3 });
    expect(performance.now() - started).toBeGreaterThanOrEqual(FAST_DELAYS[1] + FAST_DELAYS[2]);
    expect(onGiveUp).toHaveBeenCalledTimes(1);
    const [failure] = onGiveUp.mock.calls[0]!;
    expect(failure).toMatchObject({ url, attempts: 3, body: JSON.stringify(payload) });
    expect(failure.lastError).toEqual(expect.any(String));
    expect(failure.lastError).not.toBe('');
  });

  it('follows the length of the configured schedule', async () => {
    const server = await receiver([], { status: 503 });
    const send = createWebhookSender({ url: server.url, secret: SECRET, retryDelaysMs: [0, 5], onGiveUp: jest.fn() });
    await expect(send(payload)).resolves.toEqual({ delivered: false, attempts: 2 });
    expect(server.requests).toHaveLength(2);
  });

  it.each([400, 401, 404])("does not retry a %i: it is the receiver's answer, not a fault", async (status) => {
    const server = await receiver([{ status, body: 'nope' }], { status: 200 });
    const { send, onGiveUp } = sender(server.url);

    const result = await send(payload);

    expect(result).toEqual({ delivered: false, attempts: 1, status });
    await new Promise((resolve) => setTimeout(resolve, FAST_DELAYS[1] + FAST_DELAYS[2] + 30));
    expect(server.requests).toHaveLength(1);
    // Nothing will resend it, so it is reported once for a person to look at.
    expect(onGiveUp).toHaveBeenCalledTimes(1);
    expect(onGiveUp).toHaveBeenCalledWith({
      url: server.url,
      attempts: 1,
      lastError: `HTTP ${status}: nope`,
      body: JSON.stringify(payload),
    });
  });
});
