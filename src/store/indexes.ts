import { MongoServerError, type Collection, type Document, type IndexDescription } from 'mongodb';

/**
 * Creates the indexes the collection lacks, and only those: FerretDB 1.24 drops the
 * connection (an internal panic) when asked to create an index that already exists, which
 * MongoDB accepts.
 */
export async function ensureMissingIndexes<T extends Document>(collection: Collection<T>, indexes: IndexDescription[]): Promise<void> {
  const existing = await collection.indexes().catch((error: unknown) => {
    if (error instanceof MongoServerError && error.code === 26) return []; // no collection yet
    throw error;
  });
  const names = new Set(existing.map((index) => index.name));
  const missing = indexes.filter((index) => !names.has(index.name));
  if (missing.length > 0) await collection.createIndexes(missing);
}
