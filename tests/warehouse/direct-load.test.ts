// A first load written straight to the warehouse (StreamLoad.startDirect): PostgreSQL by COPY,
// SQLite by a prepared INSERT of key-sorted batches. It must store what the staged load stores, and
// a key already there must undo the attempt (DirectConflict) and leave the connection as it was.
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { DirectConflict, loadFacts, StreamLoad } from '../../src/pipelines/load.js';
import { StageEncoder, type StageIdentity } from '../../src/pipelines/stage-encode.js';
import type { Fact } from '../../src/pipelines/types.js';
import type { Database } from '../../src/warehouse/database.js';
import { insertRows, type Warehouse } from '../../src/warehouse/dialect.js';
import { tradeFact } from '../helpers/facts.js';
import { DIALECTS, freshWarehouse, postgresAvailable } from '../helpers/warehouse.js';

const pgUp = await postgresAvailable();

const identity: StageIdentity = { sourceId: "o'brien-trade", runId: 7, sha256: 'cd'.repeat(32) };
const now = '2026-11-30T00:00:00Z';

/** Facts in no key order, across two batches, with an fx_rate fact (always staged) among them. */
const batches: Fact[][] = [
  [tradeFact('RUS', '2014', 3, { cell: 'A!C3' }), tradeFact('JPN', '2015', 2, { cell: 'A!C2' }), { table: 'fx_rate', currency: 'JPY', period: '2014', per_usd: 105.9, cell: 'fx!B2' }],
  [tradeFact('KOR', '2013', 4, { cell: 'A!C4' }), tradeFact('JPN', '2013', 1, { cell: 'A!C1' })],
];

async function trade(wh: Warehouse) {
  return wh.db.selectFrom('trade_flow').selectAll().orderBy('partner').orderBy('period').execute();
}

async function cacheSize(wh: Warehouse): Promise<number> {
  const { rows } = await sql<{ cache_size: number }>`PRAGMA cache_size`.execute(wh.db);
  return Number(rows[0]!.cache_size);
}

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && !pgUp)(`direct first load on ${dialect}`, () => {
    let wh: Warehouse;
    afterEach(async () => {
      await wh?.close();
    });

    /** The batches through StreamLoad, direct from the start, encoded as the producer encodes them. */
    async function loadDirect(target: Warehouse, facts: Fact[][], merge = true) {
      return target.db.transaction().execute(async (trx) => {
        const load = new StreamLoad(trx, { ...identity, now });
        await load.startDirect();
        const encoder = new StageEncoder(identity, { direct: dialect === 'sqlite' ? 'rows' : 'copy' });
        let seq = 0;
        for (const batch of facts) {
          await load.add(encoder.encode(batch, batch.map(() => seq++), batch.map(() => 'raw'), [], []));
        }
        await load.endCopies();
        const settled = await load.settle();
        return { settled, counts: await load.finish(merge) };
      });
    }

    it('stores what the staged load stores', async () => {
      wh = await freshWarehouse(dialect);
      const before = dialect === 'sqlite' ? await cacheSize(wh) : 0;
      const { settled, counts } = await loadDirect(wh, batches);
      expect(settled).toMatchObject({ facts: 5, rejects: 0 });
      expect(counts).toMatchObject({ inserted: 5, written: 5 });
      const staged = await freshWarehouse(dialect);
      try {
        await staged.db.transaction().execute((trx) => loadFacts(trx, { ...identity, facts: batches.flat(), rejects: [], now }));
        expect(await trade(wh)).toEqual(await trade(staged));
      } finally {
        await staged.close();
      }
      const rows = await trade(wh);
      expect(rows.map((r) => [r.partner, r.source_id, r.run_id, r.cell])).toContainEqual(['KOR', "o'brien-trade", 7, `${'cd'.repeat(32)}#A!C4`]);
      // The larger page cache of the direct load is given back.
      if (dialect === 'sqlite') expect(await cacheSize(wh)).toBe(before);
    });

    it('a key already stored undoes the attempt with DirectConflict', async () => {
      wh = await freshWarehouse(dialect);
      await wh.db.transaction().execute((trx) => loadFacts(trx, { sourceId: identity.sourceId, runId: 1, sha256: 'aa', facts: [tradeFact('JPN', '2013', 99, { cell: 'old!C1' })], rejects: [], now }));
      const before = dialect === 'sqlite' ? await cacheSize(wh) : 0;
      await expect(loadDirect(wh, batches)).rejects.toBeInstanceOf(DirectConflict);
      expect((await trade(wh)).map((r) => [r.partner, r.value, r.run_id])).toEqual([['JPN', 99, 1]]);
      if (dialect === 'sqlite') expect(await cacheSize(wh)).toBe(before);
    });

    it('a run that fails validation takes its direct facts out again', async () => {
      wh = await freshWarehouse(dialect);
      const { counts } = await loadDirect(wh, batches, false);
      expect(counts.written).toBe(0);
      expect(await trade(wh)).toEqual([]);
    });
  });
}

describe('insertRows', () => {
  it('binds the rows and writes the fixed values as literals, quotes included', async () => {
    const wh = await freshWarehouse('sqlite');
    try {
      await wh.db.transaction().execute(async (trx) => {
        const columns = ['reporter', 'partner', 'flow', 'product', 'period', 'period_kind', 'value', 'unit', 'currency', 'value_usd', 'illustrative', 'cell'];
        const row = ['CN-HL', 'JPN', 'export', 'TOTAL', '2013', 'year', 1.5, '万美元', 'USD', 15000, 0, "'11-4'!C7"];
        insertRows(trx as unknown as Kysely<Database>, 'trade_flow', { columns, count: 1, fill: (_, out) => row.forEach((v, j) => (out[j] = v)) }, { literals: { source_id: "it's", run_id: 3 }, prefixes: { cell: "x'y#" } });
      });
      expect(await wh.db.selectFrom('trade_flow').select(['source_id', 'run_id', 'cell', 'value']).execute()).toEqual([{ source_id: "it's", run_id: 3, cell: "x'y#'11-4'!C7", value: 1.5 }]);
    } finally {
      await wh.close();
    }
  });

  const columns = ['reporter', 'partner', 'flow', 'product', 'period', 'period_kind', 'value', 'unit', 'currency', 'value_usd', 'illustrative', 'cell'];
  /** Row i of a run of distinct keys (product i), value i, cell C{i}. */
  const rowAt = (i: number, product = `HS:${String(i).padStart(6, '0')}`) => ['CN-HL', 'JPN', 'export', product, '2013', 'year', i, 'USD', 'USD', i, 0, `A!C${i}`];

  it('stores every row when they fill several statements of many rows and a remainder', async () => {
    const wh = await freshWarehouse('sqlite');
    try {
      // 50 rows go to a statement: 123 rows are two whole statements and 23 rows one at a time.
      const count = 123;
      await wh.db.transaction().execute(async (trx) => {
        insertRows(trx as unknown as Kysely<Database>, 'trade_flow', { columns, count, fill: (i, out) => rowAt(i).forEach((v, j) => (out[j] = v)) }, { literals: { source_id: 's', run_id: 1 }, prefixes: { cell: 'h#' } });
      });
      const stored = await wh.db.selectFrom('trade_flow').select(['product', 'value', 'cell']).orderBy('value').execute();
      expect(stored).toEqual(Array.from({ length: count }, (_, i) => ({ product: `HS:${String(i).padStart(6, '0')}`, value: i, cell: `h#A!C${i}` })));
    } finally {
      await wh.close();
    }
  });

  it('a key repeated inside one statement of many rows fails the insert, and the savepoint undoes all of it', async () => {
    const wh = await freshWarehouse('sqlite');
    try {
      await wh.db.transaction().execute(async (trx) => {
        await sql`SAVEPOINT t`.execute(trx);
        // Row 30 repeats row 10's key, in the first statement of 50 rows.
        const fill = (i: number, out: unknown[]) => rowAt(i, i === 30 ? 'HS:000010' : undefined).forEach((v, j) => (out[j] = v));
        expect(() => insertRows(trx as unknown as Kysely<Database>, 'trade_flow', { columns, count: 60, fill }, { literals: { source_id: 's', run_id: 1 } })).toThrow(/UNIQUE constraint failed/);
        await sql`ROLLBACK TO t`.execute(trx);
        await sql`RELEASE t`.execute(trx);
      });
      expect(await wh.db.selectFrom('trade_flow').select('product').execute()).toEqual([]);
    } finally {
      await wh.close();
    }
  });
});
