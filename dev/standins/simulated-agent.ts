// STAND-IN for the Python voice agent (which phones customers through LiveKit SIP, out of
// reach here). It learns of calls only the way the real agent does, from LiveKit agent
// dispatches, and reports scripted outcomes through the same signed webhook client.
import { AgentDispatchClient, RoomServiceClient } from 'livekit-server-sdk';
import type { CallOutcome } from '../../src/domain/reminder';
import { createWebhookSender } from '../../src/webhooks/sender-client';
import { NUMBER_SCRIPTS, UNSCRIPTED } from './scripted-numbers';

/** One report the agent sends on a call, as scripted in scripted-numbers.ts (timing is the agent's). */
export type AgentReport =
  | { event: 'call_answered' }
  | { event: 'call_completed'; connected: boolean; customerResponse: string; promisedDaysAfterDue?: number }
  | { event: 'call_failed'; customerResponse: string; notes: string };

const CALL_SCRIPTS = new Map<string, AgentReport[][]>(
  Object.values(NUMBER_SCRIPTS).flatMap((script) => ('call' in script ? [[script.number, script.call] as const] : [])),
);

/** What the agent reports on this attempt of a call to this number; any other number pays today. */
export function agentReportsFor(phoneNumber: string, attempt: number): AgentReport[] {
  const attempts = CALL_SCRIPTS.get(phoneNumber) ?? UNSCRIPTED.call;
  return attempts[Math.min(attempt, attempts.length) - 1] ?? [];
}

const AFTER_MS: Record<AgentReport['event'], number> = { call_answered: 300, call_completed: 500, call_failed: 300 };

/**
 * A promise is dated from the invoice's due date, not the agent's clock: on the time-skipping
 * server the workflow's time runs days ahead of the wall clock.
 */
function promisedDate(dueDate: string, days: number): string {
  return new Date(Date.parse(`${dueDate}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

function outcomeOf(report: AgentReport, dueDate: string): CallOutcome | undefined {
  if (report.event === 'call_failed')
    return { connected: false, duration: 0, customer_response: report.customerResponse, notes: report.notes };
  if (report.event === 'call_completed') {
    const { connected, customerResponse, promisedDaysAfterDue } = report;
    return {
      connected,
      duration: connected ? 42 : 0,
      customer_response: customerResponse,
      notes: `scripted: ${customerResponse}`,
      ...(promisedDaysAfterDue === undefined ? {} : { promised_date: promisedDate(dueDate, promisedDaysAfterDue) }),
    };
  }
  return undefined;
}

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
    const job = JSON.parse(metadata) as {
      reminder_id: string;
      attempt: number;
      phone_number: string;
      due_date: string;
      webhook_url: string;
    };
    const send = createWebhookSender({
      url: job.webhook_url,
      secret: options.webhookSecret,
      onGiveUp: (failure) => log(`gave up: ${failure.lastError}`),
    });
    for (const report of agentReportsFor(job.phone_number, job.attempt)) {
      await new Promise((resolve) => setTimeout(resolve, AFTER_MS[report.event]));
      if (stopped) return;
      const outcome = outcomeOf(report, job.due_date);
      const payload = { reminder_id: job.reminder_id, event_type: report.event, attempt: job.attempt, ...(outcome ? { outcome } : {}) };
      const delivery = await send(payload);
      log(`${report.event} for reminder ${job.reminder_id} attempt ${job.attempt} -> ${delivery.status ?? 'not delivered'}`);
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
