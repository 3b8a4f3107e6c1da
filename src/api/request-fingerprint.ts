import { createHash } from 'node:crypto';

/**
 * A hash of a create request, to tell a true retry (same fields) from an id or reference
 * reused with other details. Keys are sorted, so the order a client sends them in does not matter.
 */
export function requestFingerprint(fields: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(sortKeys(fields)))
    .digest('hex');
}

/** A stable UUID (v4 layout) derived from an Idempotency-Key, so the key maps to one id. */
export function uuidFromKey(key: string): string {
  const hex = createHash('sha256').update(`idempotency:${key}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}
