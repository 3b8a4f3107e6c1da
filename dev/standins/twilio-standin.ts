// STAND-IN for Twilio's Messages API, at the network edge only (no Twilio account is
// reachable here). The real `twilio` client talks to it (see src/channels/twilio-client.ts),
// and it posts status callbacks signed exactly as Twilio signs them, with the twilio
// library's own getExpectedTwilioSignature. Never used when Twilio credentials are set.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';
import { NUMBER_SCRIPTS, UNSCRIPTED } from './scripted-numbers';

export type StandInStatus = 'queued' | 'sending' | 'sent' | 'delivered' | 'undelivered' | 'failed';

/** What the stand-in does with a message to a given number. */
export interface MessageScript {
  /** Callbacks to post, in this order: a status and an optional error code. */
  callbacks: { status: StandInStatus; errorCode?: string }[];
  /** Post each callback this many times (Twilio may repeat itself). */
  repeat?: number;
  /** Post the callbacks before answering messages.create (Twilio can be that fast). */
  beforeResponse?: boolean;
  /** Answer messages.create only after this many ms (a slow Twilio; the message is already sent). */
  holdResponseMs?: number;
  /** Refuse the create with this Twilio error instead of sending. */
  reject?: { status: number; code: number; message: string };
}

export interface StandInMessage {
  sid: string;
  to: string;
  from: string;
  body: string;
  statusCallback?: string;
  dateCreated: Date;
  /** Every status callback posted for it, in order, with the HTTP status the API answered (0: no answer). */
  callbacks: { status: StandInStatus; answeredWith: number }[];
}

/** Scripted outcomes by number, from scripted-numbers.ts: everything else is delivered. */
export const DEFAULT_SCRIPTS: Record<string, MessageScript> = Object.fromEntries(
  Object.values(NUMBER_SCRIPTS).flatMap((script) => ('sms' in script ? [[script.number, script.sms]] : [])),
);

export interface TwilioStandInOptions {
  accountSid: string;
  authToken: string;
  port?: number;
  /** Delay before each callback, in ms. */
  callbackDelayMs?: number;
  scripts?: Record<string, MessageScript>;
  log?: (line: string) => void;
}

export interface TwilioStandIn {
  url: string;
  messages: StandInMessage[];
  setScript(to: string, script: MessageScript): void;
  /** Answer the next n creates with a 503 (a transient Twilio fault). */
  failNextCreates(count: number): void;
  /** Posts one signed callback now, as Twilio would (for tests of odd orders). */
  postCallback(message: StandInMessage, status: StandInStatus, errorCode?: string): Promise<number>;
  close(): Promise<void>;
}

export async function startTwilioStandIn(options: TwilioStandInOptions): Promise<TwilioStandIn> {
  const scripts = new Map(Object.entries({ ...DEFAULT_SCRIPTS, ...options.scripts }));
  const messages: StandInMessage[] = [];
  const pending = new Set<Promise<unknown>>();
  let failures = 0;
  const log = options.log ?? (() => {});
  const delay = options.callbackDelayMs ?? 50;
  const messagesPath = `/2010-04-01/Accounts/${options.accountSid}/Messages.json`;
  const expectedAuth = `Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`).toString('base64')}`;

  const postCallback = async (message: StandInMessage, status: StandInStatus, errorCode?: string): Promise<number> => {
    if (!message.statusCallback) return 0;
    const params: Record<string, string> = {
      AccountSid: options.accountSid,
      MessageSid: message.sid,
      SmsSid: message.sid,
      MessageStatus: status,
      SmsStatus: status,
      To: message.to,
      From: message.from,
      ApiVersion: '2010-04-01',
      ...(errorCode ? { ErrorCode: errorCode } : {}),
    };
    const signature = twilio.getExpectedTwilioSignature(options.authToken, message.statusCallback, params);
    try {
      const response = await fetch(message.statusCallback, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
        body: new URLSearchParams(params).toString(),
      });
      await response.arrayBuffer();
      log(`callback ${message.sid} ${status} -> ${response.status}`);
      message.callbacks.push({ status, answeredWith: response.status });
      return response.status;
    } catch (error) {
      log(`callback ${message.sid} ${status} failed: ${(error as Error).message}`);
      message.callbacks.push({ status, answeredWith: 0 });
      return 0;
    }
  };

  const runScript = async (message: StandInMessage, script: MessageScript) => {
    for (const callback of script.callbacks) {
      for (let copy = 0; copy < (script.repeat ?? 1); copy++) {
        await new Promise((resolve) => setTimeout(resolve, delay));
        await postCallback(message, callback.status, callback.errorCode);
      }
    }
  };
  const track = (promise: Promise<unknown>) => {
    pending.add(promise);
    void promise.finally(() => pending.delete(promise));
    return promise;
  };

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      void (async () => {
        const send = (status: number, body: unknown) => {
          response.writeHead(status, { 'content-type': 'application/json' });
          response.end(JSON.stringify(body));
        };
        const url = new URL(request.url ?? '/', 'http://stand-in');
        if (request.headers.authorization !== expectedAuth) return send(401, { code: 20003, message: 'Authenticate', status: 401 });
        if (url.pathname !== messagesPath) return send(404, { code: 20404, message: 'The requested resource was not found', status: 404 });

        if (request.method === 'GET') {
          const to = url.searchParams.get('To');
          const from = url.searchParams.get('From');
          const found = messages.filter((m) => (!to || m.to === to) && (!from || m.from === from)).reverse();
          return send(200, { messages: found.slice(0, 50).map(resource), page: 0, page_size: 50, next_page_uri: null, uri: messagesPath });
        }

        const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
        const to = form.get('To') ?? '';
        const script = scripts.get(to) ?? UNSCRIPTED.sms;
        if (failures > 0) {
          failures--;
          return send(503, { code: 20500, message: 'Service unavailable (stand-in fault)', status: 503 });
        }
        if (script.reject) return send(script.reject.status, { ...script.reject, more_info: 'stand-in' });
        if (!/^\+[1-9]\d{6,14}$/.test(to))
          return send(400, { code: 21211, message: `The 'To' number ${to} is not a valid phone number.`, status: 400 });
        const message: StandInMessage = {
          sid: `SM${randomBytes(16).toString('hex')}`,
          to,
          from: form.get('From') ?? '',
          body: form.get('Body') ?? '',
          statusCallback: form.get('StatusCallback') ?? undefined,
          dateCreated: new Date(),
          callbacks: [],
        };
        messages.push(message);
        log(`message ${message.sid} accepted`);
        if (script.beforeResponse) await track(runScript(message, script));
        else void track(runScript(message, script));
        if (script.holdResponseMs) await new Promise((resolve) => setTimeout(resolve, script.holdResponseMs));
        send(201, resource(message));
      })().catch((error: unknown) => {
        response.writeHead(500);
        response.end(String(error));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    messages,
    setScript: (to, script) => void scripts.set(to, script),
    failNextCreates: (count) => void (failures = count),
    postCallback,
    async close() {
      await Promise.allSettled([...pending]);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  function resource(message: StandInMessage) {
    return {
      sid: message.sid,
      account_sid: options.accountSid,
      to: message.to,
      from: message.from,
      body: message.body,
      status: 'queued',
      direction: 'outbound-api',
      num_segments: '1',
      date_created: message.dateCreated.toUTCString(),
      date_updated: message.dateCreated.toUTCString(),
      date_sent: null,
      error_code: null,
      error_message: null,
      api_version: '2010-04-01',
      uri: `${messagesPath.replace('.json', '')}/${message.sid}.json`,
    };
  }
}
