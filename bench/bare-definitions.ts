// The bare workflow's contract (bench only), importable by the workflow sandbox and by Node.
import { defineSignal } from '@temporalio/workflow';

export const BARE_WORKFLOW_TYPE = 'bareReminderWorkflow';
export const BARE_TASK_QUEUE = 'bench-bare';

export interface BareInput {
  /** The Twilio stand-in's delay before each callback; 'delivered' is the second. */
  callbackDelayMs: number;
  /**
   * Also do the reminder's bookkeeping for operators, at the same points: the ReminderStatus
   * upserts for in_progress and completed (the start-time search attributes come with the
   * start). Separates what that costs the engine from what our own code costs.
   */
  bookkeeping?: boolean;
}

export interface BareResult {
  /** When the 'delivered' signal was sent (ms since the epoch). */
  deliveredSentAt: number;
  /** When the last activity ran (the moment the real workflow's projection write is stamped). */
  recordedAt: number;
}

export const bareStatusSignal = defineSignal<[{ status: 'sent' | 'delivered'; sentAt: number }]>('bareStatus');

export interface BareActivities {
  /** Stands for saveProjection: does nothing, returns when it ran. */
  record(label: string): Promise<number>;
  /** Stands for sendSms (which also records the dispatch): returns at once and signals 'delivered' a little later. */
  send(request: { workflowId: string; callbackDelayMs: number }): Promise<{ messageSid: string }>;
}
