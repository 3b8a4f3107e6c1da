/** gRPC codes that say Temporal could not answer now, not that it refused the call. */
const UNREACHABLE_CODES = new Set([
  4, // DEADLINE_EXCEEDED: our signal deadline passed (a restarting history service holds calls)
  8, // RESOURCE_EXHAUSTED: the frontend sheds load
  14, // UNAVAILABLE: no connection, or no history host owns the shard yet
]);

/**
 * Whether a client call failed because Temporal was unreachable or too slow, so the same call
 * may succeed later. Walks the error's causes (the client wraps the gRPC error in a
 * ServiceError) and reads their `code`, not their class: errors cross jest realms.
 */
export function isTemporalUnreachable(error: unknown): boolean {
  for (let current = error, depth = 0; typeof current === 'object' && current !== null && depth < 5; depth++) {
    const { code, cause } = current as { code?: unknown; cause?: unknown };
    if (typeof code === 'number' && UNREACHABLE_CODES.has(code)) return true;
    current = cause;
  }
  return false;
}
