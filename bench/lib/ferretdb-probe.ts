// Why projection writes slow down as the collection grows: ReminderStore.save writes with the
// filter {_id, version: {$lt: v}}. Times a read with that filter shape (it matches nothing,
// so nothing is written) against a plain {_id} read, on the live `reminders` collection, and
// asks FerretDB (explain) whether it pushed each filter down to SQLite or scanned. Run it
// with the worker stopped, so it measures the query, not the queue in front of it.
import type { Db } from 'mongodb';

export interface FerretProbe {
  documents: number;
  byIdMs: number;
  byIdAndVersionMs: number;
  byIdPushdown?: unknown;
  byIdAndVersionPushdown?: unknown;
}

const pushdownOf = (explained: unknown): unknown => {
  const found: Record<string, unknown> = {};
  const walk = (value: unknown) => {
    if (!value || typeof value !== 'object') return;
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
      if (/pushdown/i.test(key)) found[key] = inner;
      else walk(inner);
    }
  };
  walk(explained);
  return Object.keys(found).length ? found : undefined;
};

export async function probeFerretDb(db: Db, sampleId: string, rounds = 3): Promise<FerretProbe> {
  const reminders = db.collection<{ _id: string; version: number }>('reminders');
  const time = async (run: () => Promise<unknown>) => {
    const started = performance.now();
    for (let i = 0; i < rounds; i++) await run();
    return (performance.now() - started) / rounds;
  };
  const byId = { _id: sampleId };
  const byIdAndVersion = { _id: sampleId, version: { $lt: 0 } };
  const explain = (filter: object) => db.command({ explain: { find: 'reminders', filter } }).then(pushdownOf, () => undefined);
  return {
    documents: await reminders.countDocuments(),
    byIdMs: await time(() => reminders.findOne(byId)),
    byIdAndVersionMs: await time(() => reminders.findOne(byIdAndVersion)),
    byIdPushdown: await explain(byId),
    byIdAndVersionPushdown: await explain(byIdAndVersion),
  };
}
