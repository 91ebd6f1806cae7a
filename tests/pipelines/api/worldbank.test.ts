import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { SourceSchema } from '../../../src/config/schema.js';
import { UserError } from '../../../src/errors.js';
import type { ApiReadContext, ApiRequest } from '../../../src/pipelines/api/types.js';
import { worldbank, worldbankParams, type WorldBankParams } from '../../../src/pipelines/api/worldbank.js';
import { detectFormat } from '../../../src/pipelines/detect-format.js';
import { normalise, type NormaliseOptions } from '../../../src/pipelines/normalise.js';
import { parseBuffer } from '../../../src/pipelines/parse.js';
import { loadReference } from '../../../src/pipelines/reference.js';
import { shape } from '../../../src/pipelines/shape/index.js';
import type { Dataset, Fact, SourceRecord } from '../../../src/pipelines/types.js';
import { writeZip } from '../../faults/zip.js';
import { thrown } from '../../helpers/thrown.js';

// Recorded answers in the v2 API's own format (see tests/fixtures/api/worldbank/README.md).
const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../../fixtures/api/worldbank/${name}`, import.meta.url), 'utf8'));

const BASE = 'http://127.0.0.1:8089/v2';
const reference = loadReference();
const params = (p: Partial<WorldBankParams> = {}): WorldBankParams => worldbankParams.parse({ type: 'worldbank', countries: ['CHN', 'JPN'], indicators: ['NY.GDP.MKTP.CD'], ...p });
const ctx = (page = 0, url = 'https://api.worldbank.org/v2/country/CHN;JPN/indicator/NY.GDP.MKTP.CD?format=json&per_page=4'): ApiReadContext => ({ sourceId: 'wb-gdp', page, url });
const request = (url: string, label = 'CHN;JPN NY.GDP.MKTP.CD'): ApiRequest => ({ url, label });

/**
 * What the fetch loop does with an adapter, minus the network: plan, answer each request from
 * `answers` by its exact URL, follow `next`, and number the pages as the archive does.
 */
function pull(p: WorldBankParams, answers: Record<string, string>): { records: SourceRecord[]; urls: string[]; empty: string[] } {
  const queue = worldbank.plan(BASE, p);
  const records: SourceRecord[] = [];
  const urls: string[] = [];
  const empty: string[] = [];
  for (let page = 0; queue.length > 0; page++) {
    const req = queue.shift()!;
    urls.push(req.url);
    const name = answers[req.url];
    if (!name) throw new Error(`no recorded answer for ${req.url}`);
    const result = worldbank.read(fixture(name), req, { sourceId: 'wb', page, url: req.url });
    records.push(...result.records);
    if (result.empty) empty.push(result.empty);
    queue.push(...result.next);
  }
  return { records, urls, empty };
}

const facts = (records: SourceRecord[], dataset: Dataset, fx: NormaliseOptions['fx'] = () => null) => normalise(records, { dataset, reference, fx });
const find = (out: { facts: Fact[] }, pred: (f: Fact) => boolean) => out.facts.find(pred);

describe('worldbankParams', () => {
  test('defaults per_page and leaves years open', () => {
    expect(params()).toEqual({ type: 'worldbank', countries: ['CHN', 'JPN'], indicators: ['NY.GDP.MKTP.CD'], per_page: 1000 });
  });

  test.each([
    [{ countries: ['chn'] }, 'countries.0: must be an ISO 3166 alpha-3 code'],
    [{ countries: ['CHN', 'CHN'] }, 'countries: lists a country twice'],
    [{ indicators: ['NY.GDP.MKTP.KD'] }, 'indicators.0: Invalid option'],
    [{ years: '2000-2025' }, 'years: must be a year or a range such as 2000:2025'],
    [{ indicators: ['NY.GDP.MKTP.CN'], countries: ['CHN', 'EAS'] }, 'indicators: NY.GDP.MKTP.CN is in local currency, and the currency of EAS is not known'],
    [{ indicators: ['NY.GDP.MKTP.CN'], countries: ['MNG'] }, 'indicators: NY.GDP.MKTP.CN is in local currency, and MNT cannot be converted to US$ yet'],
    [{ indicators: ['PA.NUS.FCRF'], countries: ['WLD'] }, 'indicators: PA.NUS.FCRF is in local currency, and the currency of WLD is not known'],
  ])('%j is refused', (patch, message) => {
    const out = worldbankParams.safeParse({ type: 'worldbank', countries: ['CHN', 'JPN'], indicators: ['NY.GDP.MKTP.CD'], ...patch });
    expect(out.success).toBe(false);
    const issues = out.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(issues.some((i) => i.startsWith(message))).toBe(true);
  });

  test('an FX rate for a currency the lexicon lacks is fine: normalise reads any ISO code in `XXX per USD`', () => {
    expect(worldbankParams.safeParse({ type: 'worldbank', countries: ['MNG'], indicators: ['PA.NUS.FCRF'] }).success).toBe(true);
  });

  test('is the config\'s api block', () => {
    const source = SourceSchema.parse({ id: 'wb-gdp', dataset: 'indicator', url: 'https://api.worldbank.org/v2', api: { type: 'worldbank', countries: ['CHN', 'JPN'], indicators: ['NY.GDP.MKTP.CD', 'NY.GDP.MKTP.KD.ZG'], years: '2000:2025' } });
    expect(source.api).toEqual({ type: 'worldbank', countries: ['CHN', 'JPN'], indicators: ['NY.GDP.MKTP.CD', 'NY.GDP.MKTP.KD.ZG'], years: '2000:2025', per_page: 1000 });
    expect(SourceSchema.safeParse({ id: 'wb', dataset: 'indicator', url: 'x', api: { type: 'worldbank', countries: ['MNG'], indicators: ['NY.GDP.MKTP.CN'] } }).success).toBe(false);
  });
});

describe('worldbank.plan', () => {
  test('one request per series, every country in it, the API root with or without a slash', () => {
    const p = params({ indicators: ['NY.GDP.MKTP.CD', 'NY.GDP.MKTP.KD.ZG'], years: '2000:2025', per_page: 500 });
    expect(worldbank.plan(`${BASE}/`, p)).toEqual([
      { url: `${BASE}/country/CHN;JPN/indicator/NY.GDP.MKTP.CD?format=json&per_page=500&date=2000:2025`, label: 'CHN;JPN NY.GDP.MKTP.CD' },
      { url: `${BASE}/country/CHN;JPN/indicator/NY.GDP.MKTP.KD.ZG?format=json&per_page=500&date=2000:2025`, label: 'CHN;JPN NY.GDP.MKTP.KD.ZG' },
    ]);
  });

  test('without years, every year the World Bank has', () => {
    expect(worldbank.plan('https://api.worldbank.org/v2', params({ countries: ['JPN'], indicators: ['PA.NUS.FCRF'] }))).toEqual([
      { url: 'https://api.worldbank.org/v2/country/JPN/indicator/PA.NUS.FCRF?format=json&per_page=1000', label: 'JPN PA.NUS.FCRF' },
    ]);
  });
});

describe('worldbank.read', () => {
  const first = `${BASE}/country/CHN;JPN/indicator/NY.GDP.MKTP.CD?format=json&per_page=4&date=2022:2025`;

  test('a page becomes records in the pipeline\'s terms, and asks for the next page', () => {
    const out = worldbank.read(fixture('gdp-page1.json'), request(first), ctx(0));
    expect(out.next).toEqual([{ url: `${first}&page=2`, label: 'CHN;JPN NY.GDP.MKTP.CD page 2' }]);
    expect(out.empty).toBeUndefined();
    expect(out.stable).toBeUndefined();
    expect(out.records).toHaveLength(4);
    // 2025 is not published yet: the publisher's "no data", never 0.
    expect(out.records[0]).toEqual({ cell: '0/[1][0]', dims: { reporter: 'CHN', period: '2025', measure: 'gdp' }, raw: null, value: null, missing: '..', unit: 'US$', total: false, indent: 0, illustrative: false });
    expect(out.records[2]).toEqual({ cell: '0/[1][2]', dims: { reporter: 'CHN', period: '2023', measure: 'gdp' }, raw: 17794782039220.9, value: 17794782039220.9, unit: 'US$', total: false, indent: 0, illustrative: false });
  });

  test('the last page asks for nothing more', () => {
    const out = worldbank.read(fixture('gdp-page2.json'), request(`${first}&page=2`, 'CHN;JPN NY.GDP.MKTP.CD page 2'), ctx(1));
    expect(out.next).toEqual([]);
    expect(out.records.map((r) => `${r.cell} ${r.dims.reporter} ${r.dims.period} ${r.value}`)).toEqual([
      '1/[1][0] JPN 2025 null',
      '1/[1][1] JPN 2024 4026211477093.44',
      '1/[1][2] JPN 2023 4204494802431.55',
      '1/[1][3] JPN 2022 4262072897302.82',
    ]);
  });

  test('paging fields sent as strings are read as numbers', () => {
    const out = worldbank.read(fixture('growth.json'), request(`${BASE}/country/CHN;JPN/indicator/NY.GDP.MKTP.KD.ZG?format=json&per_page=50`), ctx());
    expect(out.next).toEqual([]);
    expect(out.records.map((r) => [r.dims.reporter, r.dims.period, r.dims.measure, r.value, r.unit])).toContainEqual(['CHN', '2023', 'gdp_real_growth_pct', 5.25, '%']);
  });

  test('"no data" (total 0, rows null) is empty, not an error', () => {
    const out = worldbank.read(fixture('no-data.json'), request(`${BASE}/country/JPN/indicator/NY.GDP.MKTP.CD?format=json&per_page=50&date=1950:1955`, 'JPN NY.GDP.MKTP.CD'), ctx());
    expect(out).toEqual({ records: [], next: [], empty: 'no data for JPN NY.GDP.MKTP.CD (1950:1955)' });
  });

  test('an error answered with HTTP 200 is one line: source, URL, the publisher\'s words, what to do', () => {
    const err = thrown(() => worldbank.read(fixture('error-120.json'), request(first), ctx()));
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toBe(
      'wb-gdp: https://api.worldbank.org/v2/country/CHN;JPN/indicator/NY.GDP.MKTP.CD?format=json&per_page=4: the World Bank answered "Invalid value: The provided parameter value is not valid" (message 120); check api.countries and api.years in the source config',
    );
    expect(thrown(() => worldbank.read(fixture('error-175.json'), request(first), ctx())).message).toMatch(
      /^wb-gdp: \S+: the World Bank answered "Invalid format: The indicator was not found\. It may have been deleted or archived\." \(message 175\); check api\.indicators: /,
    );
  });

  test.each([
    [{ error: 'not json as expected' }, 'expected [paging, rows], got an object'],
    [[], 'expected [paging, rows], got a list of 0'],
    ['<html>', 'expected [paging, rows], got a string'],
    [[{ page: 1, pages: 1, per_page: 50 }, []], 'the paging has no page, pages or total'],
    [[{ page: 1, pages: 1, per_page: 50, total: 2 }, null], 'the rows are null, not a list'],
    [[{ page: 1, pages: 1, per_page: 50, total: 1 }, [{ country: 'CN', value: 1 }]], '[1][0] is not a row with indicator, country, date and value'],
    [[{ page: 1, pages: 1, per_page: 50, total: 1 }, [{ indicator: { id: 'SP.DYN.LE00.IN' }, country: { value: 'China' }, countryiso3code: 'CHN', date: '2023', value: 78 }]], '[1][0] is series SP.DYN.LE00.IN, which was not asked for'],
    // A server that ignores `page` must not be asked for page 2 forever.
    [[{ page: 2, pages: 2, per_page: 4, total: 8 }, []], 'page 2 where page 1 was asked for'],
    [[{ message: 'down' }], 'an error answer without a message'],
  ])('%j is an unexpected answer shape', (body, got) => {
    const err = thrown(() => worldbank.read(body, request(first), ctx()));
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toBe(`wb-gdp: ${ctx().url}: unexpected answer shape (${got}); check that url is the World Bank API root, e.g. https://api.worldbank.org/v2`);
  });

  test('an aggregate without an ISO3 code goes by its name; a value sent as a string is read; garbage is an error, not 0', () => {
    const row = (countryiso3code: string, country: string, value: unknown) => ({ indicator: { id: 'NY.GDP.MKTP.CD', value: 'GDP (current US$)' }, country: { id: '1W', value: country }, countryiso3code, date: '2023', value, unit: '', obs_status: '', decimal: 0 });
    const body = [{ page: 1, pages: 1, per_page: 50, total: 3 }, [row('', 'World', 105435039582436), row('CHN', 'China', '17794782039220.9'), row('JPN', 'Japan', 'n/a')]];
    const out = worldbank.read(body, request(first), ctx());
    expect(out.records.map((r) => [r.dims.reporter, r.value, r.error])).toEqual([
      ['World', 105435039582436, undefined],
      ['CHN', 17794782039220.9, undefined],
      ['JPN', null, 'not a number: "n/a"'],
    ]);
    expect(facts(out.records, 'indicator').facts.map((f) => f.table === 'indicator' && f.region)).toEqual(['WLD', 'CHN']);
  });

  test('with the source\'s parameters at hand, a series it did not ask for is refused', () => {
    const body = fixture('growth.json');
    expect(worldbank.read(body, request(first), ctx(), params({ indicators: ['NY.GDP.MKTP.CD', 'NY.GDP.MKTP.KD.ZG'] })).records).toHaveLength(6);
    expect(thrown(() => worldbank.read(body, request(first), ctx(), params())).message).toContain('unexpected answer shape ([1][0] is series NY.GDP.MKTP.KD.ZG, which was not asked for)');
  });
});

describe('World Bank answers → facts', () => {
  test('GDP over two pages: current US$, converted as is', () => {
    const p = params({ years: '2022:2025', per_page: 4 });
    const got = pull(p, {
      [`${BASE}/country/CHN;JPN/indicator/NY.GDP.MKTP.CD?format=json&per_page=4&date=2022:2025`]: 'gdp-page1.json',
      [`${BASE}/country/CHN;JPN/indicator/NY.GDP.MKTP.CD?format=json&per_page=4&date=2022:2025&page=2`]: 'gdp-page2.json',
    });
    expect(got.urls).toHaveLength(2);
    const out = facts(got.records, 'indicator');
    expect(out.rejects).toEqual([]);
    expect(out.skipped).toEqual({ missing: 2 });
    expect(out.facts).toHaveLength(6);
    expect(find(out, (f) => f.table === 'indicator' && f.region === 'CHN' && f.period === '2023')).toEqual({
      table: 'indicator', region: 'CHN', code: 'gdp', period: '2023', period_kind: 'year', value: 17794782039220.9, unit: 'US$', currency: 'USD', value_usd: 17794782039220.9, illustrative: false, cell: '0/[1][2]',
    });
    expect(find(out, (f) => f.table === 'indicator' && f.region === 'JPN' && f.period === '2022')).toMatchObject({ value_usd: 4262072897302.82, cell: '1/[1][3]' });
  });

  test('GDP and real growth from one source', () => {
    const got = pull(params({ indicators: ['NY.GDP.MKTP.CD', 'NY.GDP.MKTP.KD.ZG'], years: '2022:2025', per_page: 4 }), {
      [`${BASE}/country/CHN;JPN/indicator/NY.GDP.MKTP.CD?format=json&per_page=4&date=2022:2025`]: 'gdp-page1.json',
      [`${BASE}/country/CHN;JPN/indicator/NY.GDP.MKTP.CD?format=json&per_page=4&date=2022:2025&page=2`]: 'gdp-page2.json',
      [`${BASE}/country/CHN;JPN/indicator/NY.GDP.MKTP.KD.ZG?format=json&per_page=4&date=2022:2025`]: 'growth.json',
    });
    const out = facts(got.records, 'indicator');
    expect(out.rejects).toEqual([]);
    expect(out.facts.filter((f) => f.table === 'indicator' && f.code === 'gdp')).toHaveLength(6);
    expect(find(out, (f) => f.table === 'indicator' && f.code === 'gdp_real_growth_pct' && f.region === 'JPN' && f.period === '2023')).toEqual({
      table: 'indicator', region: 'JPN', code: 'gdp_real_growth_pct', period: '2023', period_kind: 'year', value: 1.68, unit: '%', currency: null, value_usd: null, illustrative: false, cell: '1/[1][4]',
    });
  });

  test('the official exchange rate is an fx source: units of the country\'s currency per US$', () => {
    const got = pull(params({ indicators: ['PA.NUS.FCRF'] }), { [`${BASE}/country/CHN;JPN/indicator/PA.NUS.FCRF?format=json&per_page=1000`]: 'fx.json' });
    const out = facts(got.records, 'fx');
    expect(out.rejects).toEqual([]);
    expect(out.facts).toContainEqual({ table: 'fx_rate', currency: 'CNY', period: '2023', per_usd: 7.08395833333333, cell: '0/[1][1]' });
    expect(out.facts).toContainEqual({ table: 'fx_rate', currency: 'JPY', period: '2024', per_usd: 151.353233, cell: '0/[1][3]' });
    expect(got.records[1]!.dims.measure).toBe('CNY per USD');
  });

  test('GDP in local currency: each row in its country\'s currency, converted at the warehouse\'s rate', () => {
    const got = pull(params({ indicators: ['NY.GDP.MKTP.CN'] }), { [`${BASE}/country/CHN;JPN/indicator/NY.GDP.MKTP.CN?format=json&per_page=1000`]: 'gdp-lcu.json' });
    const rates: Record<string, number> = { 'CNY 2023': 7.08395833333333 };
    const out = facts(got.records, 'indicator', (cur, year) => rates[`${cur} ${year}`] ?? null);
    expect(out.rejects).toEqual([]);
    expect(find(out, (f) => f.table === 'indicator' && f.region === 'CHN' && f.period === '2023')).toMatchObject({ code: 'gdp', unit: 'CNY', currency: 'CNY', value: 126058200000000, value_usd: 126058200000000 / 7.08395833333333 });
    expect(find(out, (f) => f.table === 'indicator' && f.region === 'JPN' && f.period === '2023')).toMatchObject({ unit: 'JPY', currency: 'JPY', value_usd: null });
    expect(out.unconverted.sort()).toEqual(['CNY 2022', 'JPY 2022', 'JPY 2023']);
  });

  test('no data is logged as empty and loads nothing', () => {
    const got = pull(params({ countries: ['JPN'], years: '1950:1955', per_page: 50 }), { [`${BASE}/country/JPN/indicator/NY.GDP.MKTP.CD?format=json&per_page=50&date=1950:1955`]: 'no-data.json' });
    expect(got).toEqual({ records: [], urls: [`${BASE}/country/JPN/indicator/NY.GDP.MKTP.CD?format=json&per_page=50&date=1950:1955`], empty: ['no data for JPN NY.GDP.MKTP.CD (1950:1955)'] });
  });
});

// ---------------------------------------------------------------------------------------------
// The bulk download: https://api.worldbank.org/v2/en/indicator/NY.GDP.MKTP.CD?downloadformat=csv

const YEARS = Array.from({ length: 65 }, (_, i) => String(1960 + i));
const DATA_ENTRY = 'API_NY.GDP.MKTP.CD_DS2_en_csv_v2_85121.csv';
const DATA_SHEET = 'API_NY.GDP.MKTP.CD_DS2_en_csv_v2_85121';

/** A WDI bulk CSV as the World Bank writes it: BOM, a four-line preamble, every field quoted, a trailing comma. */
function wdiCsv(): string {
  const line = (cells: string[]) => `${cells.map((c) => `"${c}"`).join(',')},`;
  const series: [string, string, Record<string, number>][] = [
    ['Africa Eastern and Southern', 'AFE', { 2022: 1191423176242.96, 2023: 1245472471416.1 }],
    ['China', 'CHN', { 2022: 17881782683707.3, 2023: 17794782039220.9, 2024: 18743803170827.2 }],
    ['Japan', 'JPN', { 2022: 4262072897302.82, 2023: 4204494802431.55, 2024: 4026211477093.44 }],
    ['Not classified', 'INX', {}],
  ];
  const lines = [
    line(['Data Source', 'World Development Indicators']),
    '',
    line(['Last Updated Date', '2025-07-01']),
    '',
    line(['Country Name', 'Country Code', 'Indicator Name', 'Indicator Code', ...YEARS]),
    ...series.map(([name, code, values]) => line([name, code, 'GDP (current US$)', 'NY.GDP.MKTP.CD', ...YEARS.map((y) => (values[y] === undefined ? '' : String(values[y])))])),
  ];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/**
 * The zip as the download serves it: the data CSV between its two metadata files, deflated.
 * (SheetJS's zip writer reorders entries, so the fault suite's writer, which keeps them, is used.)
 */
function wdiZip(extra: [string, string][] = []): Buffer {
  const entries: [string, string][] = [];
  entries.push([`Metadata_Indicator_${DATA_ENTRY}`, '\uFEFF"INDICATOR_CODE","INDICATOR_NAME","SOURCE_NOTE","SOURCE_ORGANIZATION",\r\n"NY.GDP.MKTP.CD","GDP (current US$)","GDP at purchaser\'s prices is the sum of gross value added by all resident producers in the economy.","World Bank national accounts data, and OECD National Accounts data files.",\r\n']);
  entries.push([DATA_ENTRY, wdiCsv()]);
  entries.push([`Metadata_Country_${DATA_ENTRY}`, '\uFEFF"Country Code","Region","IncomeGroup","SpecialNotes","TableName",\r\n"CHN","East Asia & Pacific","Upper middle income","","China",\r\n"JPN","East Asia & Pacific","High income","","Japan",\r\n']);
  return writeZip([...entries, ...extra].map(([name, text]) => ({ name, data: Buffer.from(text) })));
}

describe('a zip of CSV files', () => {
  test('is one sheet per CSV entry, named after it, data first, other entries ignored', () => {
    const zip = wdiZip([['__MACOSX/._data.csv', '\0\x05\x16\x07'], ['readme.txt', 'see the metadata'], ['WDICountry-Series.csv', '"CountryCode","SeriesCode","DESCRIPTION",\r\n']]);
    expect(detectFormat(zip)).toBe('csv-zip');
    expect(detectFormat(zip.subarray(0, 512))).toBe('csv-zip');
    const parsed = parseBuffer(zip, { fileName: 'wdi.zip' });
    expect(parsed.format).toBe('csv');
    expect(parsed.encoding).toBe('utf-8');
    expect(parsed.sheets.map((s) => s.sheet)).toEqual([DATA_SHEET, 'WDICountry-Series', `Metadata_Indicator_${DATA_SHEET}`, `Metadata_Country_${DATA_SHEET}`]);
    const data = parsed.sheets[0]!;
    expect(data.rows[0]!.slice(0, 3)).toEqual(['Data Source', 'World Development Indicators', null]);
    expect(data.rows[4]!.slice(0, 5)).toEqual(['Country Name', 'Country Code', 'Indicator Name', 'Indicator Code', '1960']);
    expect(data.rows[6]!.slice(0, 2)).toEqual(['China', 'CHN']);
    expect(data.rows[6]![4 + 63]).toBe('17794782039220.9');
  });

  test('reads only the sheets asked for, and names the ones it lacks', () => {
    expect(parseBuffer(wdiZip(), { fileName: 'wdi.zip', sheets: [DATA_SHEET] }).sheets.map((s) => s.sheet)).toEqual([DATA_SHEET]);
    const err = thrown(() => parseBuffer(wdiZip(), { fileName: 'wdi.zip', sheets: ['API_NY.GDP.MKTP.CD'] }));
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toBe(`wdi.zip: no CSV file named "API_NY.GDP.MKTP.CD.csv" in the zip; the CSV files are "${DATA_ENTRY}", "Metadata_Indicator_${DATA_ENTRY}", "Metadata_Country_${DATA_ENTRY}"`);
  });

  test('a truncated download says so instead of parsing fewer rows', () => {
    const zip = wdiZip();
    expect(thrown(() => parseBuffer(zip.subarray(0, zip.length - 40), { fileName: 'wdi.zip' })).message).toBe('wdi.zip: an incomplete zip archive (truncated download?)');
  });

  test('an entry declaring more than the per-part cap is refused before inflating', () => {
    const zip = writeZip([{ name: DATA_ENTRY, data: Buffer.from(wdiCsv()), declaredSize: 600 * 1024 * 1024 }]);
    expect(thrown(() => parseBuffer(zip, { fileName: 'wdi.zip' })).message).toMatch(/^wdi\.zip: the zip file inflates to more than 500 MB per part .*refused as a possible zip bomb$/);
  });

  test('a zip with no CSV and no workbook in it is not a spreadsheet', () => {
    const bytes = writeZip([{ name: 'report.pdf', data: Buffer.from('%PDF-1.7') }]);
    expect(detectFormat(bytes)).toBe('unknown');
    expect(thrown(() => parseBuffer(bytes, { fileName: 'x.zip' })).message).toBe('x.zip: a zip archive with neither a workbook (xlsx, ods) nor CSV files in it');
  });

  const shaped = () =>
    shape(parseBuffer(wdiZip(), { fileName: 'wdi.zip' }).sheets, { dataset: 'indicator', unit: 'US$', layout: { label_columns: 4 }, sheets: [DATA_SHEET] });

  test('shape finds the table under the preamble: years across, four label columns', () => {
    const out = shaped();
    expect(out.warnings).toEqual([]);
    expect(out.tables).toHaveLength(1);
    expect(out.tables[0]).toMatchObject({ sheet: DATA_SHEET, headerRows: 1, orientation: 'wide', unit: 'US$' });
    expect(out.tables[0]!.periods.slice(-3)).toEqual(['2022', '2023', '2024']);
    const chn2023 = out.records.find((r) => r.value === 17794782039220.9)!;
    expect(chn2023.dims.period).toBe('2023');
    // Of the two country columns shape keeps the code column (a name beside a code would be a label
    // no code list knows); the indicator's name and code stay joined, which indicatorCode reads.
    expect(chn2023.dims).toMatchObject({ partner: 'CHN', measure: 'GDP (current US$) NY.GDP.MKTP.CD' });
  });

  test('the bulk CSV normalises to the same facts as the API', () => {
    const out = normalise(shaped().records, { dataset: 'indicator', unit: 'US$', reference, fx: () => null });
    expect(find(out, (f) => f.table === 'indicator' && f.region === 'CHN' && f.period === '2023')).toMatchObject({ code: 'gdp', value: 17794782039220.9, value_usd: 17794782039220.9 });
  });

  test('`only` keeps the economies asked for: aggregates are skipped, not rejected', () => {
    const all = normalise(shaped().records, { dataset: 'indicator', unit: 'US$', reference, fx: () => null });
    expect(all.rejects.map((r) => r.reason)).toEqual(['unknown region "AFE": add an alias to data/reference/regions.csv', 'unknown region "AFE": add an alias to data/reference/regions.csv']);
    const kept = normalise(shaped().records, { dataset: 'indicator', unit: 'US$', reference, fx: () => null, only: ['JPN'] });
    expect(kept.rejects).toEqual([]);
    expect(new Set(kept.facts.map((f) => (f.table === 'indicator' ? f.region : '')))).toEqual(new Set(['JPN']));
    expect(kept.facts).toHaveLength(3);
    expect(kept.skipped['places outside `only`']).toBe(5);
  });
});
