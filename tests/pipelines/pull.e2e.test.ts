// End to end on the bundled default sources: config/tradebrief.yaml → warehouse, on SQLite and on
// PostgreSQL. Spot-checks facts against ../shared/data/published-figures.csv (copied to
// data/sources/published-figures.csv) after unit conversion.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import XLSX from 'xlsx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type LoadedConfig } from '../../src/config/load.js';
import { pull } from '../../src/pipelines/run.js';
import type { Warehouse } from '../../src/warehouse/dialect.js';
import { DIALECTS, freshWarehouse, postgresAvailable, snapshot } from '../helpers/warehouse.js';

const pgUp = await postgresAvailable();
const ROOT = path.resolve(import.meta.dirname, '../..');
const frozen = () => new Date('2026-11-29T06:00:00.000Z');

async function usd(wh: Warehouse, reporter: string, partner: string, flow: string, period: string, kind = 'year'): Promise<number | null> {
  const row = await wh.db
    .selectFrom('trade_flow')
    .select(['value_usd'])
    .where('reporter', '=', reporter)
    .where('partner', '=', partner)
    .where('flow', '=', flow)
    .where('period', '=', period)
    .where('period_kind', '=', kind)
    .where('product', '=', 'TOTAL')
    .executeTakeFirst();
  return row?.value_usd ?? null;
}

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && !pgUp)(`pull the bundled sources into ${dialect}`, () => {
    let wh: Warehouse;
    let loaded: LoadedConfig;
    let outputDir: string;

    beforeAll(async () => {
      wh = await freshWarehouse(dialect);
      loaded = loadConfig(path.join(ROOT, 'config/tradebrief.yaml'));
      outputDir = mkdtempSync(path.join(tmpdir(), 'tb-e2e-'));
    });
    afterAll(async () => {
      await wh?.close();
    });

    it('loads every source, with nothing rejected', async () => {
      const results = await pull({ loaded, wh, outputDir }, { trigger: 'test' }, { now: frozen });
      const summary = results.map((r) => `${r.id}:${r.status}${r.status === 'failed' ? `:${r.message}` : ''}`);
      expect(summary.filter((s) => !s.endsWith(':loaded'))).toEqual([]);
      expect(results.every((r) => r.rowsRejected === 0)).toBe(true);
      const runs = await wh.db.selectFrom('ingest_run').select(['status', 'trigger', 'started_at']).execute();
      expect(runs.length).toBe(loaded.config.sources.length);
      expect(runs.every((r) => r.status === 'loaded' && r.trigger === 'test' && r.started_at === '2026-11-29T06:00:00.000Z')).toBe(true);
    });

    it('holds the published figures (ten spot checks after unit conversion)', async () => {
      // hlj-trade-by-partner, 万美元 → US$
      expect(await usd(wh, 'CN-HL', 'RUS', 'total', '2013')).toBeCloseTo(22.36e9, -6);
      expect(await usd(wh, 'CN-HL', 'WLD', 'total', '2013')).toBeCloseTo(38.88e9, -6);
      expect(await usd(wh, 'CN-HL', 'WLD', 'export', '2013')).toBeCloseTo(16.23e9, -6);
      expect(await usd(wh, 'CN-HL', 'WLD', 'import', '2012')).toBeCloseTo(23.385e9, -6);
      expect(await usd(wh, 'CN-HL', 'RUS', 'total', '2011')).toBeCloseTo(18.99e9, -6);
      expect(await usd(wh, 'CN-HL', 'WLD', 'export', '2015')).toBeCloseTo(8.031e9, -6);
      // hlj-customs-monthly, 亿元 → CNY → US$ at the WDI annual rate of the year
      const cny2023 = await wh.db.selectFrom('fx_rate').select('per_usd').where('currency', '=', 'CNY').where('period', '=', '2023').executeTakeFirstOrThrow();
      expect(await usd(wh, 'CN-HL', 'WLD', 'total', '2023')).toBeCloseTo(297.83e9 / cny2023.per_usd, -6);
      const ytd = await wh.db
        .selectFrom('trade_flow')
        .select(['value', 'unit', 'period_kind'])
        .where('reporter', '=', 'CN-HL')
        .where('partner', '=', 'WLD')
        .where('flow', '=', 'total')
        .where('period', '=', '2022-09')
        .executeTakeFirstOrThrow();
      expect(ytd).toMatchObject({ value: 1901.5, period_kind: 'ytd' });
      // china-japan-trade, US$ billion
      expect(await usd(wh, 'CHN', 'JPN', 'total', '2013')).toBeCloseTo(312.55e9, -7);
      // hlj-indicators: GDP 2013 = 14,383 亿元
      const gdp = await wh.db.selectFrom('indicator').selectAll().where('region', '=', 'CN-HL').where('code', '=', 'gdp').where('period', '=', '2013').executeTakeFirstOrThrow();
      expect(gdp.value).toBe(14383);
      expect(gdp.currency).toBe('CNY');
      // fx-rates: WDI PA.NUS.FCRF CNY 2013
      const fx = await wh.db.selectFrom('fx_rate').selectAll().where('currency', '=', 'CNY').where('period', '=', '2013').executeTakeFirstOrThrow();
      expect(fx.per_usd).toBeCloseTo(6.1958, 4);
    });

    it('carries the illustrative flag and the cell provenance', async () => {
      const jp = await wh.db.selectFrom('trade_flow').selectAll().where('reporter', '=', 'CN-HL').where('partner', '=', 'JPN').where('period', '=', '2013').executeTakeFirstOrThrow();
      expect(jp.illustrative).toBe(1);
      expect(jp.cell).toMatch(/^[0-9a-f]{64}#'11-4'!H7$/);
      const ru = await wh.db.selectFrom('trade_flow').selectAll().where('reporter', '=', 'CN-HL').where('partner', '=', 'RUS').where('period', '=', '2013').executeTakeFirstOrThrow();
      expect(ru.illustrative).toBe(0);
      const file = await wh.db.selectFrom('source_file').selectAll().where('sha256', '=', jp.cell.slice(0, 64)).executeTakeFirstOrThrow();
      expect(file).toMatchObject({ source_id: 'hlj-trade-by-partner', url: 'data/sources/hlj-trade-by-partner.xlsx' });
    });

    it('a second pull is unchanged and changes nothing; --force reloads without changing a row', async () => {
      const before = await snapshot(wh);
      // The query builder is asked for only when a source has something to load (PullContext.wh).
      let built = 0;
      const connection = { ...wh, warehouse: () => (built++, wh.warehouse()) };
      const again = await pull({ loaded, wh: connection, outputDir }, {}, { now: frozen });
      expect(again.map((r) => r.status)).toEqual(again.map(() => 'unchanged'));
      expect(built).toBe(0);
      expect(await snapshot(wh)).toEqual(before);
      const forced = await pull({ loaded, wh: connection, outputDir }, { force: true }, { now: frozen });
      expect(forced.every((r) => r.status === 'loaded' && r.rowsRevised === 0)).toBe(true);
      expect(built).toBeGreaterThan(0);
      expect(await snapshot(wh)).toEqual(before);
    });
  });
}

describe.each(DIALECTS.filter((d) => d === 'sqlite' || pgUp))('changed and broken sources on %s', (dialect) => {
  /** A one-source project in a temp folder whose spreadsheet the test can rewrite. */
  function project(): { loaded: () => LoadedConfig; xlsx: string; outputDir: string } {
    const dir = mkdtempSync(path.join(tmpdir(), 'tb-proj-'));
    mkdirSync(path.join(dir, 'config'));
    mkdirSync(path.join(dir, 'data'));
    const xlsx = path.join(dir, 'data', 'trade.xlsx');
    copyFileSync(path.join(ROOT, 'data/sources/hlj-trade-by-partner.xlsx'), xlsx);
    writeFileSync(
      path.join(dir, 'config', 'tradebrief.yaml'),
      `sources:\n  - { id: hlj-trade, dataset: trade, url: data/trade.xlsx, sheet: "11-4", fixed: { reporter: CN-HL } }\n`,
    );
    return { loaded: () => loadConfig(path.join(dir, 'config', 'tradebrief.yaml')), xlsx, outputDir: path.join(dir, 'output') };
  }

  function edit(file: string, cell: string, value: string | number): void {
    const wb = XLSX.read(readFileSync(file));
    const ws = wb.Sheets['11-4']!;
    ws[cell] = typeof value === 'number' ? { t: 'n', v: value } : { t: 's', v: value };
    writeFileSync(file, XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer);
  }

  it('a re-published figure updates the value and writes the old one to revision', async () => {
    const p = project();
    const wh = await freshWarehouse(dialect);
    try {
      await pull({ loaded: p.loaded(), wh, outputDir: p.outputDir }, {}, { now: frozen });
      edit(p.xlsx, 'H6', 2240000); // Russia 2013 revised from 2,236,000 to 2,240,000 万美元
      const [r] = await pull({ loaded: p.loaded(), wh, outputDir: p.outputDir }, {}, { now: frozen });
      expect(r).toMatchObject({ status: 'loaded', rowsRevised: 1 });
      const rev = await wh.db.selectFrom('revision').selectAll().execute();
      expect(rev).toHaveLength(1);
      expect(rev[0]).toMatchObject({ table_name: 'trade_flow', key: 'CN-HL|RUS|total|TOTAL|2013|year|hlj-trade', old_value: 2236000, new_value: 2240000 });
      expect(await usd(wh, 'CN-HL', 'RUS', 'total', '2013')).toBeCloseTo(22.4e9, -6);
    } finally {
      await wh.close();
    }
  });

  it('a file with too many bad rows fails, loads nothing, and records the rejects with cell and reason', async () => {
    const p = project();
    const wh = await freshWarehouse(dialect);
    try {
      await pull({ loaded: p.loaded(), wh, outputDir: p.outputDir }, {}, { now: frozen });
      const before = await snapshot(wh);
      edit(p.xlsx, 'A6', '火星 Mars'); // Russia's row label → an unknown partner
      edit(p.xlsx, 'B5', 'twelve'); // a number that is not one
      const [r] = await pull({ loaded: p.loaded(), wh, outputDir: p.outputDir }, {}, { now: frozen });
      expect(r!.status).toBe('failed');
      expect(r!.message).toMatch(/^hlj-trade: \d+ of \d+ values rejected .* nothing loaded; first: '11-4'!/);
      expect(await snapshot(wh)).toEqual(before);
      const rejects = await wh.db.selectFrom('reject').selectAll().where('run_id', '=', r!.runId!).execute();
      expect(rejects.map((j) => j.reason)).toContain('unknown partner "火星 Mars": add an alias to data/reference/countries.csv or groups.csv');
      expect(rejects.find((j) => j.cell.endsWith("'11-4'!B5"))).toMatchObject({ raw: 'twelve' });
      const run = await wh.db.selectFrom('ingest_run').selectAll().where('id', '=', r!.runId!).executeTakeFirstOrThrow();
      expect(run).toMatchObject({ status: 'failed', rows_loaded: 0 });
    } finally {
      await wh.close();
    }
  });

  it('a run left running by a killed process is marked abandoned by the next pull', async () => {
    const p = project();
    const wh = await freshWarehouse(dialect);
    try {
      const dead = spawnSync(process.execPath, ['-e', '0']).pid!; // a pid that no longer runs
      const { hostname } = await import('node:os');
      await wh.db
        .insertInto('ingest_run')
        .values({ source_id: 'hlj-trade', trigger: 'schedule', started_at: '2026-11-29T05:00:00.000Z', status: 'running', rows_read: 0, rows_loaded: 0, rows_rejected: 0, rows_revised: 0, pid: dead, host: hostname() })
        .execute();
      const [r] = await pull({ loaded: p.loaded(), wh, outputDir: p.outputDir }, {}, { now: frozen });
      expect(r!.status).toBe('loaded');
      const runs = await wh.db.selectFrom('ingest_run').select(['status', 'message']).orderBy('id').execute();
      expect(runs.map((x) => x.status)).toEqual(['abandoned', 'loaded']);
    } finally {
      await wh.close();
    }
  });
});
