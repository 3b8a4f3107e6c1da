import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { MongoClient, MongoServerError } from 'mongodb';
import { requireTool } from './tools';

/**
 * FerretDB 1.24's SQLite backend looks a document up by `_ferretdb_sjson->'$._id'` but
 * indexes `_id` as `_ferretdb_sjson->"_id"`. SQLite uses an expression index only for the
 * same expression, so it never uses that one: every find, update and delete by `_id` scans
 * the table, and grows slower with every document (bench/RESULTS.md). MongoDB finds `_id`
 * through its index by design, so the local stack gives each of these collections the
 * index FerretDB's look-ups can use, in FerretDB's own SQLite file. FerretDB does not list
 * it (its metadata does not know it), and SQLite drops it with the collection's table.
 */
export async function indexIdLookups(mongodbUri: string, dataDir: string, collections: Record<string, string[]>): Promise<void> {
  const client = await MongoClient.connect(mongodbUri);
  try {
    for (const [database, names] of Object.entries(collections)) {
      for (const name of names) {
        await client
          .db(database)
          .createCollection(name)
          .catch((error: unknown) => {
            if (!(error instanceof MongoServerError && error.code === 48)) throw error; // 48: exists
          });
      }
    }
  } finally {
    await client.close();
  }
  for (const [database, names] of Object.entries(collections)) {
    await promisify(execFile)(requireTool('python'), ['-c', ADD_INDEXES, path.join(dataDir, `${database}.sqlite`), ...names]);
  }
}

/** Python's sqlite3 (the venv the Temporal CLI is installed in): argv = database file, collections. */
const ADD_INDEXES = `
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], timeout=30)
wanted = sys.argv[2:]
tables = db.execute("SELECT name, table_name FROM _ferretdb_collections").fetchall()
for name, table in tables:
    if name in wanted:
        db.execute(f'CREATE INDEX IF NOT EXISTS "{table}__id_lookup" ON "{table}" (_ferretdb_sjson->\\'$._id\\')')
db.commit()
`;
