import { ValidationError } from './errors';

/** Where a page of a list ended: its last item's creation time and id (newest-first lists). */
export interface PageCursor {
  createdAt: Date;
  id: string;
}

/** Opaque to clients: they pass back what a page answered as `nextCursor`. */
export function encodeCursor(createdAt: Date, id: string): string {
  return Buffer.from(JSON.stringify([createdAt.toISOString(), id])).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): PageCursor | undefined {
  if (!cursor) return undefined;
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const date = new Date(createdAt);
    if (typeof id !== 'string' || Number.isNaN(date.getTime())) throw new Error('bad cursor');
    return { createdAt: date, id };
  } catch {
    throw new ValidationError([{ field: 'cursor', message: 'is not a cursor this API returned' }]);
  }
}
