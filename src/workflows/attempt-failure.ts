import { isPermanentFailureType } from '../domain/failure-policy';

/**
 * Turns a failed sendSms / dispatchCall into the reason people read. Permanent when the
 * failure's `type` is one the retry policy lists as non-retryable (the domain's failure
 * policy), read by `type`, not by `instanceof`, which does not hold across the workflow sandbox.
 */
export function describeAttemptFailure(error: unknown): { reason: string; errorCode?: string; permanent: boolean } {
  const cause = (error as { cause?: { message?: string; type?: string; details?: unknown[] } }).cause;
  const detail = cause?.details?.[0] as { errorCode?: string | number } | undefined;
  const errorCode = detail?.errorCode === undefined ? undefined : String(detail.errorCode);
  const message = cause?.message ?? (error as Error).message ?? 'unknown error';
  return {
    reason: `Send failed: ${message}`,
    errorCode,
    permanent: isPermanentFailureType(cause?.type),
  };
}
