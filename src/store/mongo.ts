import { MongoClient } from 'mongodb';

/**
 * Connects with settings that suit both MongoDB and FerretDB: FerretDB has no sessions,
 * so retryable writes are off (our writes are idempotent by version instead).
 */
export async function connectMongo(uri: string): Promise<MongoClient> {
  const client = new MongoClient(uri, {
    retryWrites: false,
    serverSelectionTimeoutMS: 5_000,
    appName: 'payment-reminders',
  });
  return client.connect();
}
