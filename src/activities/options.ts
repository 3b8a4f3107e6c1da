// Timeouts and retry policies, next to the activities they govern (one preset per kind).
import type { ActivityOptions } from '@temporalio/common';
import { PERMANENT_FAILURE_TYPES } from '../domain/failure-policy';

/**
 * Sending an SMS or dispatching a call: transient failures (network, 5xx, 429) retry with
 * backoff for about two minutes; permanent ones fail the attempt at once. Retrying a send
 * is safe: sendSms records each (reminder, attempt) before it calls Twilio and never sends
 * twice for the same one.
 */
export const deliveryActivityOptions: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '30 seconds',
    maximumAttempts: 6,
    nonRetryableErrorTypes: [...PERMANENT_FAILURE_TYPES],
  },
};

/**
 * Projection writes (a reminder's, and an invoice plan's at its transitions) must land
 * eventually (the API and people read them), so they retry without a limit while MongoDB is
 * unavailable; each write is idempotent and ordered.
 */
export const projectionActivityOptions: ActivityOptions = {
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '30 seconds' },
};
