// The brief's queries on both dialects: source priority, provenance and the illustrative flag,
// seeded through the pipeline's own loader so the rows look exactly like a real pull's.
import { afterEach, describe, expect, it } from 'vitest';
import { DIALECTS, freshWarehouse, postgresAvailable } from '../../helpers/warehouse.js';
import { loadFacts } from '../../../src/pipelines/load.js';
import type { Fact, IndicatorFact } from '../../../src/pipelines/types.js';
import type { Warehouse } from '../../../src/warehouse/dialect.js';
import { queryIndicators, querySources, queryTrade, sourcePriority } from '../../../src/reports/analysis/queries.js';
import { tradeFact } from '../../helpers/facts.js';

const pgUp = await postgresAvailable();

const trade = tradeFact;

function gdp(period: string, yi: number): IndicatorFact {
  return { table: 'indicator', region: 'CN-HL', code: 'gdp', period, period_kind: 'year', value: yi, unit: '亿元', currency: 'CNY', value_usd: (yi * 1e8) / 6.9, illustrative: false, cell: `G!C${period.slice(2)}` };
}

async function seed(wh: Warehouse, sourceId: string, runId: number, sha: string, facts: Fact[]): Promise<void> {
  await wh.db.transaction().execute((trx) => loadFacts(trx, { sourceId, runId, sha256: sha, facts, rejects: [], now: '2026-11-29T00:00:00Z' }));
}

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && !pgUp)(`brief queries on ${dialect}`, () => {
    let wh: Warehouse;
    afterEach(async () => {
      await wh?.close();
    });

    // `customs` outranks `yearbook`; both give Japan 2019, 2% apart, and WLD 2019 identically.
    const priority = sourcePriority([
      { id: 'yearbook', priority: 5 },
      { id: 'customs', priority: 10 },
    ]);

    it('uses the higher-priority source and keeps the disagreeing one as overruled', async () => {
      wh = await freshWarehouse(dialect);
      await seed(wh, 'yearbook', 1, 'aaaa', [trade('JPN', '2019', 10_000), trade('WLD', '2019', 2_700_000), trade('JPN', '2018', 11_000, { illustrative: true })]);
      await seed(wh, 'customs', 2, 'bbbb', [trade('JPN', '2019', 10_200), trade('WLD', '2019', 2_700_000)]);
      const rows = await queryTrade(wh.db, { reporters: ['CN-HL'] }, priority);
      expect(rows).toHaveLength(3);

      const jpn19 = rows.find((r) => r.partner === 'JPN' && r.year === 2019)!;
      expect(jpn19.value_usd).toBe(102_000_000);
      expect(jpn19.provenance).toEqual({ table: 'trade_flow', source_id: 'customs', cell: 'bbbb#T!B19', run_id: 2, key: 'CN-HL|JPN|total|TOTAL|2019|year|customs' });
      expect(jpn19.overruled).toEqual([
        { source_id: 'yearbook', value: 100_000_000, provenance: { table: 'trade_flow', source_id: 'yearbook', cell: 'aaaa#T!B19', run_id: 1, key: 'CN-HL|JPN|total|TOTAL|2019|year|yearbook' } },
      ]);
      expect(jpn19.value_native).toBe(102_000_000);
      expect(jpn19.illustrative).toBe(false);

      // Agreeing sources: the winner, nothing overruled.
      const wld = rows.find((r) => r.partner === 'WLD')!;
      expect(wld.provenance.source_id).toBe('customs');
      expect(wld.overruled).toEqual([]);

      // Only one source has 2018: it is used, illustrative flag and all.
      const jpn18 = rows.find((r) => r.partner === 'JPN' && r.year === 2018)!;
      expect(jpn18).toMatchObject({ illustrative: true, value_usd: 110_000_000, provenance: { source_id: 'yearbook', run_id: 1 } });
    });

    it('breaks a priority tie by config order and ignores differences within 0.5%', async () => {
      wh = await freshWarehouse(dialect);
      await seed(wh, 'first', 1, 'cccc', [trade('RUS', '2019', 1_000_000)]);
      await seed(wh, 'second', 2, 'dddd', [trade('RUS', '2019', 1_004_000)]);
      const tie = sourcePriority([
        { id: 'first', priority: 0 },
        { id: 'second', priority: 0 },
      ]);
      const [row] = await queryTrade(wh.db, { reporters: ['CN-HL'], partners: ['RUS'] }, tie);
      expect(row!.provenance.source_id).toBe('first');
      expect(row!.overruled).toEqual([]);
      const flipped = sourcePriority([
        { id: 'second', priority: 0 },
        { id: 'first', priority: 0 },
      ]);
      const [again] = await queryTrade(wh.db, { reporters: ['CN-HL'], partners: ['RUS'] }, flipped);
      expect(again!.provenance.source_id).toBe('second');
    });

    it('reads indicators with the value in whole yuan, and narrows by partner and product', async () => {
      wh = await freshWarehouse(dialect);
      await seed(wh, 'yearbook', 1, 'eeee', [gdp('2019', 13_612.7), trade('JPN', '2019', 10_000, { product: 'HS:27', flow: 'export' }), trade('JPN', '2019-06', 5_000, { period_kind: 'ytd' })]);
      const [row] = await queryIndicators(wh.db, { regions: ['CN-HL'], codes: ['gdp'] }, priority);
      expect(row).toMatchObject({ region: 'CN-HL', code: 'gdp', year: 2019, value: 13_612.7, currency: 'CNY' });
      expect(row!.value_native).toBeCloseTo(1.36127e12, 0);
      // Only annual TOTAL rows by default; HS rows on request; the ytd row never.
      expect(await queryTrade(wh.db, { reporters: ['CN-HL'] }, priority)).toEqual([]);
      const hs = await queryTrade(wh.db, { reporters: ['CN-HL'], products: 'hs' }, priority);
      expect(hs.map((r) => r.product)).toEqual(['HS:27']);
      expect(await queryTrade(wh.db, { reporters: ['CN-HL'], partners: [] }, priority)).toEqual([]);
    });

    it('lists each source with its latest loaded run and file', async () => {
      wh = await freshWarehouse(dialect);
      const run = async (source_id: string, status: 'loaded' | 'failed', sha256: string | null) =>
        wh.db.insertInto('ingest_run').values({ source_id, trigger: 'test', started_at: '2026-11-29T00:00:00Z', finished_at: '2026-11-29T00:01:00Z', status, sha256, rows_read: 1, rows_loaded: 1, rows_rejected: 0, rows_revised: 0, message: null, pid: null, host: null }).execute();
      await run('customs', 'loaded', 'old');
      await run('customs', 'loaded', 'new');
      await run('customs', 'failed', null);
      for (const [sha256, fetched_at] of [['old', '2026-01-01T00:00:00Z'], ['new', '2026-11-01T00:00:00Z']] as const) {
        const notes = JSON.stringify(['资料来源：哈尔滨海关 http://harbin.customs.gov.cn/t.html；另见 https://example.org/a.html。', 'Source: https://example.org/a.html']);
        await wh.db.insertInto('source_file').values({ source_id: 'customs', sha256, url: `https://example.org/${sha256}.xlsx`, bytes: 10, media_type: null, etag: null, last_modified: null, fetched_at, archive_path: `raw/${sha256}`, notes }).execute();
      }
      const sources = await querySources(wh.db, ['yearbook', 'customs']);
      expect(sources).toEqual([
        { source_id: 'yearbook', run_id: null, sha256: null, fetched_at: null, url: null, finished_at: null, citations: [] },
        {
          source_id: 'customs',
          run_id: 2,
          sha256: 'new',
          fetched_at: '2026-11-01T00:00:00Z',
          url: 'https://example.org/new.xlsx',
          finished_at: '2026-11-29T00:01:00Z',
          // URLs from the file's notes, cut at full-width punctuation, de-duplicated
          citations: ['http://harbin.customs.gov.cn/t.html', 'https://example.org/a.html'],
        },
      ]);
    });
  });
}
