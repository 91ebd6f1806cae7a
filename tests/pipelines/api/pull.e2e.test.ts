// The publishers' APIs end to end: recorded answers in their real formats (tests/fixtures/api/*)
// served by a real HTTP server on 127.0.0.1, pulled through config → adapter → extract → normalise →
// load into SQLite and PostgreSQL. Covers what the network does to a scheduled job: a 429 with
// Retry-After, a page that fails mid-way, an answer in an unexpected shape, an error answered with
// HTTP 200, volatile fields that must not defeat the unchanged check — each ends in a retry or one
// clear line, and loses nothing.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type LoadedConfig } from '../../../src/config/load.js';
import { pull, type UnitResult } from '../../../src/pipelines/run.js';
import type { Warehouse } from '../../../src/warehouse/dialect.js';
import { writeZip } from '../../faults/zip.js';
import { startServer, type TestServer } from '../../helpers/http-server.js';
import { DIALECTS, freshWarehouse, postgresAvailable, snapshot } from '../../helpers/warehouse.js';

const pgUp = await postgresAvailable();
const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures/api');
const fixture = (name: string): unknown => JSON.parse(readFileSync(path.join(FIXTURES, name), 'utf8'));
const APP_ID = 'estat-app-id-0123456789abcdef';
const frozen = () => new Date('2026-11-30T06:00:00.000Z');

/** What the server does besides answering: the next answers a test scripts. */
interface Script {
  /** Answer the next Comtrade request with 429 (Retry-After: 0) this many times. */
  comtrade429: number;
  /** e-Stat's second page answers 500. */
  estatPage2Fails: boolean;
  /** WDI answers an object where the API answers [paging, rows]. */
  wdiOddShape: boolean;
  /** e-Stat answers status 100 (bad appId) with HTTP 200. */
  estatAuthError: boolean;
}

/** WDI's bulk download: a zip of the data CSV (four-line preamble, every economy and aggregate) and metadata CSVs. */
function wdiBulkZip(): Buffer {
  const years = Array.from({ length: 5 }, (_, i) => String(2020 + i));
  const line = (cells: string[]) => `${cells.map((c) => `"${c}"`).join(',')},`;
  const rows: [string, string, string[]][] = [
    ['Africa Eastern and Southern', 'AFE', ['1009721400000', '1104375900000', '1191423176242.96', '1245472471416.1', '']],
    ['China', 'CHN', ['14687744162801', '17820459508852', '17881782683707.3', '17794782039220.9', '18743803170827.2']],
    ['East Asia & Pacific', 'EAS', ['27129000000000', '31176000000000', '30871000000000', '31046000000000', '']],
    ['Japan', 'JPN', ['5054068005376', '5039148163440', '4262072897302.82', '4204494802431.55', '4026211477093.44']],
  ];
  const data = [
    line(['Data Source', 'World Development Indicators']),
    '',
    line(['Last Updated Date', '2025-07-01']),
    '',
    line(['Country Name', 'Country Code', 'Indicator Name', 'Indicator Code', ...years]),
    ...rows.map(([name, code, values]) => line([name, code, 'GDP (current US$)', 'NY.GDP.MKTP.CD', ...values])),
  ].join('\r\n');
  const entry = 'API_NY.GDP.MKTP.CD_DS2_en_csv_v2_85121.csv';
  return writeZip([
    { name: `Metadata_Indicator_${entry}`, data: Buffer.from('\uFEFF"INDICATOR_CODE","INDICATOR_NAME","SOURCE_NOTE",\r\n"NY.GDP.MKTP.CD","GDP (current US$)","GDP at purchaser\'s prices.",\r\n') },
    { name: entry, data: Buffer.from(`\uFEFF${data}\r\n`) },
    { name: `Metadata_Country_${entry}`, data: Buffer.from('\uFEFF"Country Code","Region","IncomeGroup",\r\n"CHN","East Asia & Pacific","Upper middle income",\r\n') },
  ]);
}
const BULK = wdiBulkZip();

let calls = 0;
/** Each call differs in the fields a publisher changes on every answer. */
function volatile<T>(body: T, patch: (b: T, n: number) => void): T {
  const copy = structuredClone(body);
  patch(copy, ++calls);
  return copy;
}

function startPublishers(script: Script): Promise<TestServer> {
  return startServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'Content-Type': 'application/json;charset=utf-8', ...headers });
      res.end(JSON.stringify(body));
    };
    // World Bank v2: /v2/country/CHN;JPN/indicator/<code>?format=json&page=N
    const wdi = /^\/v2\/country\/([^/]+)\/indicator\/([^/]+)$/.exec(url.pathname);
    if (wdi) {
      if (script.wdiOddShape) return json(200, { message: 'maintenance', data: [] });
      const page = url.searchParams.get('page') ?? '1';
      const name = { 'PA.NUS.FCRF': 'fx.json', 'NY.GDP.MKTP.KD.ZG': 'growth.json', 'NY.GDP.MKTP.CD': `gdp-page${page}.json`, 'SP.POP.TOTL': 'no-data.json' }[decodeURIComponent(wdi[2]!)];
      return name ? json(200, fixture(`worldbank/${name}`)) : json(200, fixture('worldbank/error-175.json'));
    }
    if (url.pathname === '/v2/en/indicator/NY.GDP.MKTP.CD') {
      if (req.headers['if-none-match'] === '"wdi-2025-07"') {
        res.writeHead(304);
        res.end();
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/zip', ETag: '"wdi-2025-07"', 'Content-Disposition': 'attachment; filename=API_NY.GDP.MKTP.CD_DS2_en_csv_v2_85121.zip' });
      res.end(BULK);
      return;
    }
    if (url.pathname === '/public/v1/preview/C/A/HS') {
      if (script.comtrade429 > 0) {
        script.comtrade429--;
        return json(429, { statusCode: 429, message: 'Rate limit is exceeded. Try again in 1 seconds.' }, { 'Retry-After': '0' });
      }
      return json(200, volatile(fixture('comtrade/preview-total-2023.json') as { elapsedTime: string }, (b, n) => (b.elapsedTime = `0.${n} secs`)));
    }
    if (url.pathname === '/rest/3.0/app/json/getStatsData') {
      if (script.estatAuthError) return json(200, fixture('estat/auth-error.json'));
      const second = url.searchParams.get('startPosition') !== null;
      if (second && script.estatPage2Fails) {
        res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end('internal error');
        return;
      }
      const body = fixture(`estat/china-2023-page${second ? 2 : 1}.json`) as { GET_STATS_DATA: { RESULT: { DATE: string } } };
      return json(200, volatile(body, (b, n) => (b.GET_STATS_DATA.RESULT.DATE = `2026-11-30T06:00:0${n % 10}.000+09:00`)));
    }
    json(404, { message: 'no such route' });
  });
}

function writeConfig(server: TestServer): LoadedConfig {
  const dir = mkdtempSync(path.join(tmpdir(), 'tb-api-'));
  mkdirSync(path.join(dir, 'config'));
  const file = path.join(dir, 'config', 'online.yaml');
  writeFileSync(
    file,
    `
sources:
  - id: wdi-fx
    dataset: fx
    url: ${server.url}/v2
    api: { type: worldbank, countries: [CHN, JPN], indicators: [PA.NUS.FCRF], years: "2022:2025", per_page: 50 }
  - id: wdi-gdp
    dataset: indicator
    url: ${server.url}/v2/
    api: { type: worldbank, countries: [CHN, JPN], indicators: [NY.GDP.MKTP.CD, NY.GDP.MKTP.KD.ZG], years: "2022:2025", per_page: 4 }
    retries: 0
  - id: wdi-population
    dataset: indicator
    url: ${server.url}/v2
    api: { type: worldbank, countries: [CHN], indicators: [SP.POP.TOTL], years: "2030" }
  - id: wdi-bulk
    dataset: indicator
    url: ${server.url}/v2/en/indicator/NY.GDP.MKTP.CD?downloadformat=csv
    unit: US$
    layout: { label_columns: 4 }
    only: [CHN, JPN]
  - id: un-comtrade
    dataset: trade
    url: ${server.url}
    api: { type: comtrade, reporters: [CHN], partners: [JPN, RUS, KOR, WLD], products: [TOTAL], years: 2023, key: "\${COMTRADE_API_KEY:-}" }
  - id: jp-customs
    dataset: trade
    url: ${server.url}/rest/3.0/app/json
    retries: 0
    api:
      type: estat
      app_id: \${ESTAT_APP_ID}
      stats_data_id: "0003425295"
      query: { cdArea: "105", cdTime: "2023000000" }
      limit: 6
`,
  );
  return loadConfig(file, { ESTAT_APP_ID: APP_ID });
}

const statuses = (rs: UnitResult[]) => Object.fromEntries(rs.map((r) => [r.id, r.status]));

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && !pgUp)(`publishers' APIs → ${dialect}`, () => {
    let server: TestServer;
    let wh: Warehouse;
    let loaded: LoadedConfig;
    let outputDir: string;
    const script: Script = { comtrade429: 0, estatPage2Fails: false, wdiOddShape: false, estatAuthError: false };
    const lines: string[] = [];
    const run = (only?: string[], force = false) => pull({ loaded, wh, outputDir }, { only, force, trigger: 'test' }, { now: frozen, log: (l) => lines.push(l) });

    beforeAll(async () => {
      server = await startPublishers(script);
      wh = await freshWarehouse(dialect);
      loaded = writeConfig(server);
      outputDir = mkdtempSync(path.join(tmpdir(), 'tb-api-out-'));
    });
    afterAll(async () => {
      await wh?.close();
      await server?.close();
    });

    it('loads every publisher\'s facts, retrying a 429, following pages, taking totals only', async () => {
      script.comtrade429 = 1;
      const results = await run();
      expect(results.filter((r) => r.status !== 'loaded').map((r) => r.message)).toEqual([]);
      // "No data" for the whole query is an answer, not a failure.
      const none = results.find((r) => r.id === 'wdi-population')!;
      expect([none.rowsLoaded, none.message]).toEqual([0, 'the publisher answered "no data" to every request; 0 new, 0 updated, 0 unchanged']);
      expect(lines).toContain('pull wdi-population: 1 of 1 requests answered "no data" (CHN SP.POP.TOTL)');

      // A publisher's spreadsheet download (WDI's zip of CSVs) over http: only the economies asked for.
      const bulk = await wh.db.selectFrom('indicator').select(['region', 'period', 'value']).where('source_id', '=', 'wdi-bulk').orderBy('region').orderBy('period').execute();
      expect(bulk.map((r) => `${r.region} ${r.period}`)).toEqual(['CHN 2020', 'CHN 2021', 'CHN 2022', 'CHN 2023', 'CHN 2024', 'JPN 2020', 'JPN 2021', 'JPN 2022', 'JPN 2023', 'JPN 2024']);
      expect(Number(bulk.find((r) => r.region === 'CHN' && r.period === '2023')!.value)).toBe(17794782039220.9);
      expect(results.find((r) => r.id === 'wdi-bulk')!.message).toMatch(/8 skipped \(places outside `only`\)/);
      expect(lines.some((l) => /extract un-comtrade: HTTP 429.*retrying in 0\.0 s/.test(l))).toBe(true);

      // WDI: FX (so the e-Stat yen convert), GDP over two pages (the null 2025 is not loaded), growth.
      const fx = await wh.db.selectFrom('fx_rate').selectAll().where('source_id', '=', 'wdi-fx').orderBy('currency').orderBy('period').execute();
      expect(fx.map((r) => `${r.currency} ${r.period} ${Number(r.per_usd).toFixed(4)}`)).toEqual([
        'CNY 2022 6.7371', 'CNY 2023 7.0840', 'CNY 2024 7.1897', 'JPY 2022 131.4980', 'JPY 2023 140.4911', 'JPY 2024 151.3532',
      ]);
      const gdp = await wh.db.selectFrom('indicator').selectAll().where('source_id', '=', 'wdi-gdp').where('region', '=', 'CHN').where('period', '=', '2023').execute();
      expect(Object.fromEntries(gdp.map((r) => [r.code, Number(r.value_usd ?? r.value)]))).toEqual({ gdp: 17794782039220.9, gdp_real_growth_pct: 5.25 });
      const gdp2025 = await wh.db.selectFrom('indicator').select('period').where('source_id', '=', 'wdi-gdp').where('period', '=', '2025').execute();
      expect(gdp2025).toEqual([]);

      // Comtrade: the C00 / mode 0 / partner2 0 totals, never a breakdown, never re-exports.
      const trade = await wh.db.selectFrom('trade_flow').selectAll().where('source_id', '=', 'un-comtrade').execute();
      const byKey = Object.fromEntries(trade.map((r) => [`${r.reporter}>${r.partner} ${r.flow} ${r.product}`, Number(r.value_usd)]));
      expect(byKey['CHN>JPN export TOTAL']).toBeCloseTo(157478563412.871, 0);
      expect(byKey['CHN>RUS import TOTAL']).toBe(129139884205);
      expect(byKey['CHN>WLD export TOTAL']).toBeCloseTo(3379954689716.519, 0);
      expect(trade).toHaveLength(8);

      // e-Stat: both pages, 千円 at WDI's JPY rate, markers (-, ***) not loaded as 0.
      const jp = await wh.db.selectFrom('trade_flow').selectAll().where('source_id', '=', 'jp-customs').execute();
      const imports = jp.find((r) => r.flow === 'import' && r.product === 'TOTAL')!;
      expect([imports.reporter, imports.partner, imports.period, Number(imports.value)]).toEqual(['JPN', 'CHN', '2023', 24498153190]);
      expect(Number(imports.value_usd)).toBeCloseTo((24498153190 * 1000) / 140.491091666667, -3);
      expect(jp.map((r) => `${r.flow} ${r.product}`).sort()).toEqual(['export HS:27', 'export HS:84', 'export HS:85', 'export TOTAL', 'import HS:27', 'import HS:84', 'import HS:85', 'import TOTAL']);

      // Lineage: every fact points into the archived bundle of answers, which holds no secret.
      const files = await wh.db.selectFrom('source_file').selectAll().where('source_id', '=', 'jp-customs').execute();
      expect(files).toHaveLength(1);
      expect(imports.cell).toMatch(new RegExp(`^${files[0]!.sha256}#0/VALUE\\[5\\]$`));
      const bundle = readFileSync(path.join(outputDir, files[0]!.archive_path), 'utf8');
      expect(JSON.parse(bundle).pages).toHaveLength(2);
      expect(bundle).not.toContain(APP_ID);
      expect(files[0]!.url).not.toContain(APP_ID);
      const runs = await wh.db.selectFrom('ingest_run').select(['message']).execute();
      expect(JSON.stringify(runs) + lines.join('\n')).not.toContain(APP_ID);
      expect(server.requests.every((r) => /^tradebrief\//.test(String(r.headers['user-agent'])))).toBe(true);
      expect(readdirSync(path.join(outputDir, 'tmp'))).toEqual([]);
    });

    it('a second pull of the same answers is unchanged, though each answer differs in its timing fields', async () => {
      const results = await run();
      expect(statuses(results)).toEqual({ 'wdi-fx': 'unchanged', 'wdi-gdp': 'unchanged', 'wdi-population': 'unchanged', 'wdi-bulk': 'unchanged', 'un-comtrade': 'unchanged', 'jp-customs': 'unchanged' });
      expect(results.find((r) => r.id === 'wdi-bulk')!.message).toBe('not modified since the last pull (HTTP 304)');
    });

    it('a page that fails mid-way, an unexpected shape and an error answered with 200 each fail in one line and lose nothing', async () => {
      const before = await snapshot(wh, ['reject']);
      const rawBefore = readdirSync(path.join(outputDir, 'raw'), { recursive: true }).sort();

      script.estatPage2Fails = true;
      let [r] = await run(['jp-customs'], true);
      script.estatPage2Fails = false;
      expect(r!.status).toBe('failed');
      expect(r!.message).toMatch(/^jp-customs: HTTP 500 .*\(GET http:\/\/127\.0\.0\.1:\d+\/rest\/3\.0\/app\/json\/getStatsData\?appId=\*\*\*&.*startPosition=7/);

      script.wdiOddShape = true;
      [r] = await run(['wdi-gdp'], true);
      script.wdiOddShape = false;
      expect(r!.status).toBe('failed');
      expect(r!.message).toMatch(/^wdi-gdp: .*unexpected answer shape.*check that url is the World Bank API root/);
      expect(r!.message.split('\n')).toHaveLength(1);

      script.estatAuthError = true;
      [r] = await run(['jp-customs'], true);
      script.estatAuthError = false;
      expect(r!.status).toBe('failed');
      expect(r!.message).toMatch(/^jp-customs: .*ESTAT_APP_ID/);
      expect(r!.message).not.toContain(APP_ID);

      expect(await snapshot(wh, ['reject'])).toEqual(before);
      expect(readdirSync(path.join(outputDir, 'raw'), { recursive: true }).sort()).toEqual(rawBefore);
      expect(readdirSync(path.join(outputDir, 'tmp'))).toEqual([]);
    });
  });
}
