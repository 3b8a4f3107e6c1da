import { MongoServerError, type Collection, type Document, type IndexDescription } from 'mongodb';

/**
 * Creates the indexes the collection lacks, and only those: FerretDB 1.24 drops the
 * connection (an internal panic) when asked to create an index that already exists, which
 * MongoDB accepts.
 */
export async function ensureMissingIndexes<T extends Document>(collection: Collection<T>, indexes: IndexDescription[]): Promise<void> {
  const missing = await missingIndexes(collection, indexes);
  if (missing.length === 0) return;
  try {
    await collection.createIndexes(missing);
  } catch (error) {
    // Another process (a second worker starting beside this one on a fresh database) may
    // create them between our listing and our create, and FerretDB then drops our
    // connection: what counts is that they exist now.
    if ((await missingIndexes(collection, indexes)).length > 0) throw error;
  }
}

async function missingIndexes<T extends Document>(collection: Collection<T>, indexes: IndexDescription[]): Promise<IndexDescription[]> {
  const existing = await collection.indexes().catch((error: unknown) => {
    if (error instanceof MongoServerError && error.code === 26) return []; // no collection yet
    throw error;
  });
  const names = new Set(existing.map((index) => index.name));
  return indexes.filter((index) => !names.has(index.name));
}
