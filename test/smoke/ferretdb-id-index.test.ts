import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { indexIdLookups } from '../../dev/stack/ferretdb-id-index';
import { freePort, type ManagedProcess } from '../../dev/stack/processes';
import { startFerretDb } from '../../dev/stack/servers';
import { requireTool } from '../../dev/stack/tools';

/**
 * FerretDB 1.24 looks a document up by this expression (its `metadata.IDColumn`); the index
 * the local stacks add must be the one SQLite plans that look-up with. A FerretDB of its own,
 * because the test reads its SQLite file.
 */
const FERRETDB_ID_LOOKUP = `SELECT _ferretdb_sjson FROM "%TABLE%" WHERE _ferretdb_sjson->'$._id' = ?`;

function sqlite(file: string, script: string, ...args: string[]): string {
  const program = `import sqlite3, sys\ndb = sqlite3.connect(sys.argv[1])\n${script}`;
  return execFileSync(requireTool('python'), ['-c', program, file, ...args], { encoding: 'utf8' });
}

describe('the _id index the local stacks add to FerretDB', () => {
  let dataDir: string;
  let server: ManagedProcess;
  let uri: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'ferretdb-id-index-'));
    const port = await freePort();
    server = await startFerretDb({ port, dataDir, output: { logFile: path.join(dataDir, 'ferretdb.log') } });
    uri = `mongodb://127.0.0.1:${port}/`;
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("is what SQLite plans FerretDB's look-ups by _id with, and FerretDB keeps working", async () => {
    await indexIdLookups(uri, dataDir, { shop: ['orders'] });
    await indexIdLookups(uri, dataDir, { shop: ['orders'] }); // idempotent

    const file = path.join(dataDir, 'shop.sqlite');
    const table = sqlite(
      file,
      `print(db.execute("SELECT table_name FROM _ferretdb_collections WHERE name = 'orders'").fetchone()[0])`,
    ).trim();
    const plan = sqlite(
      file,
      `print(db.execute("EXPLAIN QUERY PLAN " + sys.argv[2], ["x"]).fetchall())`,
      FERRETDB_ID_LOOKUP.replace('%TABLE%', table),
    );
    expect(plan).toContain(`USING INDEX ${table}__id_lookup`);

    const client = await MongoClient.connect(`${uri}shop`);
    try {
      const orders = client.db().collection<{ _id: string; total: number }>('orders');
      await orders.insertOne({ _id: 'o1', total: 5 });
      await orders.updateOne({ _id: 'o1' }, { $max: { total: 7 } });
      expect(await orders.findOne({ _id: 'o1' })).toEqual({ _id: 'o1', total: 7 });
      expect((await orders.indexes()).map((index) => index.name)).toEqual(['_id_']); // FerretDB does not see it
    } finally {
      await client.close();
    }
  });
});
