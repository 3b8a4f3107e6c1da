import { ApplicationFailure, log } from '@temporalio/activity';
import type { AgentDispatchClient, RoomServiceClient } from 'livekit-server-sdk';
import { httpFailureVerdict } from '../domain/failure-policy';
import type { DispatchCallRequest } from './types';

export interface CallDependencies {
  dispatcher: AgentDispatchClient;
  rooms: RoomServiceClient;
  agentName: string;
  /** Where the agent posts call_answered / call_completed / call_failed. */
  agentWebhookUrl: string;
}

/** One LiveKit room per attempt, so a retried attempt never joins an earlier call. */
export const callRoomName = (reminderId: string, attempt: number) => `reminder-${reminderId}-attempt-${attempt}`;

export function createCallActivities({ dispatcher, rooms, agentName, agentWebhookUrl }: CallDependencies) {
  return {
    async dispatchCall(request: DispatchCallRequest): Promise<{ externalId: string }> {
      const roomName = callRoomName(request.reminderId, request.attempt);
      try {
        // A retried activity finds the dispatch it already made instead of calling twice.
        // (Listing the dispatches of a room that does not exist yet fails, so look for the room first.)
        const roomExists = (await rooms.listRooms([roomName])).length > 0;
        const existing = roomExists
          ? (await dispatcher.listDispatch(roomName)).find((dispatch) => dispatch.agentName === agentName)
          : undefined;
        if (existing) {
          log.info('agent already dispatched for this attempt', { roomName, dispatchId: existing.id });
          return { externalId: roomName };
        }
        const dispatch = await dispatcher.createDispatch(roomName, agentName, {
          metadata: JSON.stringify({
            reminder_id: request.reminderId,
            attempt: request.attempt,
            phone_number: request.phone,
            customer_name: request.customerName,
            amount_due: request.amountDue,
            due_date: request.dueDate,
            reference: request.reference,
            message: request.message,
            webhook_url: agentWebhookUrl,
          }),
        });
        log.info('voice agent dispatched', { roomName, dispatchId: dispatch.id });
        return { externalId: roomName };
      } catch (error) {
        throw classifyLiveKitError(error);
      }
    },
  };
}

/** LiveKit answers with an HTTP status only: the shared HTTP rule decides. */
function classifyLiveKitError(error: unknown): Error {
  const { status, message } = error as { status?: number; message?: string };
  const verdict = httpFailureVerdict(status);
  if (verdict.permanent) return ApplicationFailure.nonRetryable(`LiveKit rejected the dispatch (${status}): ${message}`, verdict.type);
  return error instanceof Error ? error : new Error(String(error));
}
