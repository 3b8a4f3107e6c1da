// STAND-IN for the Python voice agent (which phones customers through LiveKit SIP, out of
// reach here). It learns of calls only the way the real agent does, from LiveKit agent
// dispatches, and reports scripted outcomes through the same signed webhook client.
import { AgentDispatchClient, RoomServiceClient } from 'livekit-server-sdk';
import type { CallOutcome } from '../../src/domain/reminder';
import { createWebhookSender } from '../../src/webhooks/sender-client';

type Step =
  | { event: 'call_answered'; afterMs: number }
  | { event: 'call_completed' | 'call_failed'; afterMs: number; outcome: CallOutcome };

const answered = (afterMs = 300): Step => ({ event: 'call_answered', afterMs });
const completed = (customer_response: string, connected = true, afterMs = 500): Step => ({
  event: 'call_completed',
  afterMs,
  outcome: { connected, duration: connected ? 42 : 0, customer_response, notes: `scripted: ${customer_response}` },
});

/** Scripted calls by phone number (documented in the README); any other number pays today. */
export const CALL_SCRIPTS: Record<string, (attempt: number) => Step[]> = {
  '+15005550101': () => [completed('no_answer', false)],
  '+15005550102': () => [{ event: 'call_failed', afterMs: 300, outcome: { connected: false, duration: 0, customer_response: 'no_answer', notes: 'Timeout waiting for participant to join' } }],
  '+15005550103': () => [],
  '+15005550104': (attempt) => (attempt === 1 ? [answered(), completed('voicemail', false)] : [answered(), completed('will_pay_today')]),
};
const DEFAULT_SCRIPT = () => [answered(), completed('will_pay_today')];

export interface SimulatedAgentOptions {
  livekitUrl: string;
  apiKey: string;
  apiSecret: string;
  agentName: string;
  webhookSecret: string;
  pollIntervalMs?: number;
  log?: (line: string) => void;
}

export function startSimulatedAgent(options: SimulatedAgentOptions): { stop(): Promise<void> } {
  const rooms = new RoomServiceClient(options.livekitUrl, options.apiKey, options.apiSecret);
  const dispatches = new AgentDispatchClient(options.livekitUrl, options.apiKey, options.apiSecret);
  const seen = new Set<string>();
  const calls = new Set<Promise<void>>();
  const log = options.log ?? (() => {});
  let stopped = false;

  const handleCall = async (metadata: string) => {
    const job = JSON.parse(metadata) as { reminder_id: string; attempt: number; phone_number: string; webhook_url: string };
    const send = createWebhookSender({ url: job.webhook_url, secret: options.webhookSecret, onGiveUp: (failure) => log(`gave up: ${failure.lastError}`) });
    const steps = (CALL_SCRIPTS[job.phone_number] ?? DEFAULT_SCRIPT)(job.attempt);
    for (const step of steps) {
      await new Promise((resolve) => setTimeout(resolve, step.afterMs));
      if (stopped) return;
      const payload = { reminder_id: job.reminder_id, event_type: step.event, attempt: job.attempt, ...('outcome' in step ? { outcome: step.outcome } : {}) };
      const delivery = await send(payload);
      log(`${step.event} for reminder ${job.reminder_id} attempt ${job.attempt} -> ${delivery.status ?? 'not delivered'}`);
    }
  };

  const poll = async () => {
    for (const room of await rooms.listRooms()) {
      if (!room.name.startsWith('reminder-')) continue;
      for (const dispatch of await dispatches.listDispatch(room.name)) {
        if (dispatch.agentName !== options.agentName || seen.has(dispatch.id)) continue;
        seen.add(dispatch.id);
        const call = handleCall(dispatch.metadata).catch((error: unknown) => log(`call failed: ${(error as Error).message}`));
        calls.add(call);
        void call.finally(() => calls.delete(call));
      }
    }
  };

  const loop = (async () => {
    while (!stopped) {
      await poll().catch((error: unknown) => log(`poll failed: ${(error as Error).message}`));
      await new Promise((resolve) => setTimeout(resolve, options.pollIntervalMs ?? 300));
    }
  })();

  return {
    async stop() {
      stopped = true;
      await loop;
      await Promise.allSettled([...calls]);
    },
  };
}
