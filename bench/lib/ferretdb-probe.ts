// What one projection write costs the store, on the live `reminders` collection: a find by
// `_id` (the webhook look-up), ReminderStore.save's `$max` by `_id` at version 0 (stale, so
// nothing is written), and, for comparison, a find with the compound filter the store used
// before (`{_id, version: {$lt}}`), which FerretDB cannot push down to SQLite. Asks FerretDB
// (explain) whether it pushed each filter down. Run it with the worker stopped, so it
// measures the query, not the queue in front of it.
import type { Db } from 'mongodb';
import { COLLECTIONS } from '../../src/store/collections';
import { fixed, table } from './report';

export interface FerretProbe {
  documents: number;
  byIdMs: number;
  staleSaveMs: number;
  compoundFilterMs: number;
  byIdPushdown?: unknown;
  compoundFilterPushdown?: unknown;
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
  const reminders = db.collection<{ _id: string; state: { version: number } }>(COLLECTIONS.reminders);
  const time = async (run: () => Promise<unknown>) => {
    const started = performance.now();
    for (let i = 0; i < rounds; i++) await run();
    return (performance.now() - started) / rounds;
  };
  const byId = { _id: sampleId };
  const compoundFilter = { _id: sampleId, 'state.version': { $lt: 0 } };
  const explain = (filter: object) => db.command({ explain: { find: COLLECTIONS.reminders, filter } }).then(pushdownOf, () => undefined);
  return {
    documents: await reminders.countDocuments(),
    byIdMs: await time(() => reminders.findOne(byId)),
    staleSaveMs: await time(() => reminders.updateOne(byId, { $max: { state: { version: 0 } } })),
    compoundFilterMs: await time(() => reminders.findOne(compoundFilter)),
    byIdPushdown: await explain(byId),
    compoundFilterPushdown: await explain(compoundFilter),
  };
}

export function reportFerretProbe(ferretdb: FerretProbe): string[] {
  return [
    '',
    `== FerretDB probe (worker stopped, FerretDB idle): the reminders collection holds ${ferretdb.documents} documents ==`,
    table(
      ['query', 'mean ms', 'FerretDB explain'],
      [
        ['findOne {_id} (the webhook look-up)', fixed(ferretdb.byIdMs), JSON.stringify(ferretdb.byIdPushdown ?? 'n/a')],
        [
          'updateOne {_id} $max {state} at a stale version (every saveProjection write)',
          fixed(ferretdb.staleSaveMs),
          JSON.stringify(ferretdb.byIdPushdown ?? 'n/a'),
        ],
        [
          'findOne {_id, state.version: {$lt}} (the compound filter the store no longer uses)',
          fixed(ferretdb.compoundFilterMs),
          JSON.stringify(ferretdb.compoundFilterPushdown ?? 'n/a'),
        ],
      ],
      ['l', 'r', 'l'],
    ),
  ];
}
