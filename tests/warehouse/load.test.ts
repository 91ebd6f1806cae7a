import { afterEach, describe, expect, it } from 'vitest';
import { DIALECTS, freshWarehouse, postgresAvailable } from '../helpers/warehouse.js';
import { loadFacts, refreshUsd } from '../../src/pipelines/load.js';
import type { Warehouse } from '../../src/warehouse/dialect.js';
import type { Fact, TradeFact } from '../../src/pipelines/types.js';
import { tradeFact } from '../helpers/facts.js';

const pgUp = await postgresAvailable();

function trade(partner: string, period: string, value: number, extra: Partial<TradeFact> = {}): TradeFact {
  return tradeFact(partner, period, value, { cell: `11-4!C${Math.round(value) % 100}`, ...extra });
}

async function dump(wh: Warehouse) {
  return {
    trade: await wh.db.selectFrom('trade_flow').selectAll().orderBy('partner').orderBy('period').execute(),
    revision: await wh.db.selectFrom('revision').selectAll().orderBy('key').execute(),
    reject: await wh.db.selectFrom('reject').selectAll().orderBy('cell').execute(),
  };
}

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && !pgUp)(`load on ${dialect}`, () => {
    let wh: Warehouse;
    afterEach(async () => {
      await wh?.close();
    });

    it('creates the DESIGN.md tables and re-opening does not re-migrate', async () => {
      wh = await freshWarehouse(dialect);
      for (const t of ['trade_flow', 'investment_flow', 'indicator', 'fx_rate', 'source_file', 'ingest_run', 'reject', 'revision'] as const) {
        await expect(wh.db.selectFrom(t).selectAll().execute()).resolves.toEqual([]);
      }
    });

    it('is idempotent: loading the same facts twice writes nothing the second time', async () => {
      wh = await freshWarehouse(dialect);
      const facts: Fact[] = [trade('JPN', '2013', 12345.6), trade('RUS', '2013', 223600), trade('WLD', '2013', 3888000)];
      const first = await wh.db.transaction().execute((trx) => loadFacts(trx, { sourceId: 's', runId: 1, sha256: 'aa', facts, rejects: [], now: '2026-01-01T00:00:00Z' }));
      expect(first).toMatchObject({ inserted: 3, written: 3, revised: 0 });
      const before = await dump(wh);
      const second = await wh.db.transaction().execute((trx) => loadFacts(trx, { sourceId: 's', runId: 2, sha256: 'aa', facts, rejects: [], now: '2026-01-02T00:00:00Z' }));
      expect(second).toMatchObject({ inserted: 0, written: 0, unchanged: 3 });
      expect(await dump(wh)).toEqual(before);
      expect(before.trade[1]).toMatchObject({ partner: 'RUS', value: 223600, value_usd: 2236000000, illustrative: 0, run_id: 1, cell: 'aa#11-4!C0' });
    });

    it('a re-published value updates the fact and keeps the old one in revision', async () => {
      wh = await freshWarehouse(dialect);
      await wh.db.transaction().execute((trx) => loadFacts(trx, { sourceId: 's', runId: 1, sha256: 'aa', facts: [trade('JPN', '2013', 100)], rejects: [], now: 't1' }));
      const c = await wh.db.transaction().execute((trx) => loadFacts(trx, { sourceId: 's', runId: 2, sha256: 'bb', facts: [trade('JPN', '2013', 120)], rejects: [], now: 't2' }));
      expect(c).toMatchObject({ revised: 1, written: 1 });
      const { trade: rows, revision } = await dump(wh);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ value: 120, run_id: 2 });
      expect(revision).toEqual([
        { table_name: 'trade_flow', key: 'CN-HL|JPN|total|TOTAL|2013|year|s', new_run_id: 2, old_value: 100, new_value: 120, old_run_id: 1, revised_at: 't2' },
      ]);
    });

    it('a failure inside the transaction leaves the old state (atomicity)', async () => {
      wh = await freshWarehouse(dialect);
      await wh.db.transaction().execute((trx) => loadFacts(trx, { sourceId: 's', runId: 1, sha256: 'aa', facts: [trade('JPN', '2013', 100)], rejects: [], now: 't1' }));
      const before = await dump(wh);
      await expect(
        wh.db.transaction().execute(async (trx) => {
          await loadFacts(trx, { sourceId: 's', runId: 2, sha256: 'bb', facts: [trade('JPN', '2013', 999), trade('KOR', '2013', 5)], rejects: [{ cell: 'x!A1', reason: 'r', raw: 'z' }], now: 't2' });
          throw new Error('disk full');
        }),
      ).rejects.toThrow('disk full');
      expect(await dump(wh)).toEqual(before);
    });

    it('records rejects with the file-qualified cell', async () => {
      wh = await freshWarehouse(dialect);
      await wh.db.transaction().execute((trx) =>
        loadFacts(trx, { sourceId: 's', runId: 7, sha256: 'cc', facts: [], rejects: [{ cell: "'11-4 进出口'!D9", reason: 'unknown partner "火星"', raw: '火星' }], now: 't' }),
      );
      expect((await dump(wh)).reject).toEqual([{ run_id: 7, cell: "cc#'11-4 进出口'!D9", reason: 'unknown partner "火星"', raw: '火星' }]);
    });

    it('refreshUsd converts facts loaded before their FX rate', async () => {
      wh = await freshWarehouse(dialect);
      const yuan = trade('RUS', '2013', 1223, { unit: '亿元', currency: 'CNY', value_usd: null });
      await wh.db.transaction().execute((trx) => loadFacts(trx, { sourceId: 's', runId: 1, sha256: 'aa', facts: [yuan], rejects: [], now: 't' }));
      const n = await refreshUsd(wh.db, ['CNY'], (cur, year) => (cur === 'CNY' && year === 2013 ? 6.1932 : null));
      expect(n).toBe(1);
      const row = await wh.db.selectFrom('trade_flow').selectAll().executeTakeFirstOrThrow();
      expect(row.value_usd).toBeCloseTo((1223 * 1e8) / 6.1932, 0);
    });
  });
}
