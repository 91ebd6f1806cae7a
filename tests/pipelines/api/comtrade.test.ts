// The UN Comtrade adapter: planned requests (endpoints, key header, chunking under the record cap),
// reading recorded v1 answers (totals only, breakdowns and re-exports left out, vintages, caps,
// empty and error answers) and the facts those records become through normalise.
//
// Fixtures (tests/fixtures/api/comtrade) are answers in the v1 format, one row per line. The 2023
// totals are China Customs' published figures as Comtrade carries them (exports to Japan ≈ US$157.5 bn,
// imports ≈ 160.8 bn; Russia 111.0 / 129.1 bn; Korea 149.0 / 162.7 bn; world 3.38 / 2.56 tn) with
// invented lower digits; the chapter values and the breakdown rows are plausible, not published.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, UserError } from '../../../src/errors.js';
import {
  comtrade,
  comtradeAdapter,
  comtradeCode,
  comtradeParams,
  type ComtradeParams,
} from '../../../src/pipelines/api/comtrade.js';
import type { ApiReadContext, ApiRequest } from '../../../src/pipelines/api/types.js';
import { normalise } from '../../../src/pipelines/normalise.js';
import { loadReference } from '../../../src/pipelines/reference.js';
import type { TradeFact } from '../../../src/pipelines/types.js';

const BASE = 'http://127.0.0.1:8123';
const reference = loadReference();

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../fixtures/api/comtrade/${name}`, import.meta.url), 'utf8'));
}

function params(input: Record<string, unknown>): ComtradeParams {
  return comtradeParams.parse({ type: 'comtrade', ...input });
}

function query(url: string): Record<string, string> {
  return Object.fromEntries(new URL(url).searchParams);
}

/** The one request a params block plans (fails when it plans more). */
function only(input: Record<string, unknown>): ApiRequest {
  const reqs = comtrade.plan(BASE, params(input));
  expect(reqs).toHaveLength(1);
  return reqs[0]!;
}

function ctx(req: ApiRequest, page = 0): ApiReadContext {
  return { sourceId: 'un-comtrade', page, url: req.url };
}

function facts(records: Parameters<typeof normalise>[0]) {
  return normalise(records, { dataset: 'trade', reference, fx: () => null });
}

const TOTALS = { partners: ['JPN', 'RUS', 'KOR', 'WLD'], years: 2023 };

describe('comtrade params', () => {
  it('defaults to China, exports and imports, all commodities, annual', () => {
    const p = params({ partners: ['JPN'], years: '2015:2024' });
    expect(p).toMatchObject({ reporters: ['CHN'], flows: ['X', 'M'], products: ['TOTAL'], frequency: 'A' });
    expect(p.key).toBeUndefined();
    expect(p.max_records).toBeUndefined();
  });

  it('refuses unknown fields, flows, four-digit codes and backwards ranges', () => {
    expect(comtradeParams.safeParse({ type: 'comtrade', partners: ['JPN'], years: 2023, extra: 1 }).success).toBe(false);
    expect(comtradeParams.safeParse({ type: 'comtrade', partners: ['JPN'], years: 2023, flows: ['DX'] }).success).toBe(false);
    expect(comtradeParams.safeParse({ type: 'comtrade', partners: ['JPN'], years: 2023, products: ['2709'] }).success).toBe(false);
    expect(comtradeParams.safeParse({ type: 'comtrade', partners: ['JPN'], years: '2024:2015' }).success).toBe(false);
    expect(comtradeParams.safeParse({ type: 'comtrade', partners: ['jpn'], years: 2023 }).success).toBe(false);
  });

  it('describes every field (the editors\' JSON Schema shows the descriptions)', () => {
    for (const [name, field] of Object.entries(comtradeParams.shape)) {
      expect(field.description, name).toBeTruthy();
    }
  });
});

describe('comtrade M49 mapping', () => {
  it('uses countries.csv m49 codes, World 0, and Comtrade\'s own codes where they differ', () => {
    expect(comtradeCode(reference, 'CHN')).toBe(156);
    expect(comtradeCode(reference, 'JPN')).toBe(392);
    expect(comtradeCode(reference, 'RUS')).toBe(643);
    expect(comtradeCode(reference, 'KOR')).toBe(410);
    expect(comtradeCode(reference, 'BRA')).toBe(76); // `076` in countries.csv
    expect(comtradeCode(reference, 'WLD')).toBe(0);
    expect(comtradeCode(reference, 'USA')).toBe(842);
    expect(comtradeCode(reference, 'FRA')).toBe(251);
    expect(comtradeCode(reference, 'IND')).toBe(699);
    expect(comtradeCode(reference, 'CHE')).toBe(757);
    expect(comtradeCode(reference, 'NOR')).toBe(579);
    expect(comtradeCode(reference, 'XXX')).toBeNull();
  });

  it('plans partners as Comtrade codes and refuses codes Comtrade has no area for', () => {
    const req = only({ partners: ['USA', 'FRA', 'IND', 'CHE', 'NOR', 'WLD'], years: 2023 });
    expect(query(req.url).partnerCode).toBe('842,251,699,757,579,0');
    expect(() => comtrade.plan(BASE, params({ partners: ['TWN'], years: 2023 }))).toThrow(/api\.partners: TWN has no Comtrade area code.*Other Asia, nes/);
    expect(() => comtrade.plan(BASE, params({ partners: ['XXX'], years: 2023 }))).toThrow(ConfigError);
    expect(() => comtrade.plan(BASE, params({ reporters: ['WLD'], partners: ['JPN'], years: 2023 }))).toThrow(/api\.reporters: WLD/);
  });

  it('reads Comtrade codes back to warehouse codes (USA is 842, not 840)', () => {
    const req = only({ reporters: ['USA'], partners: ['CHN'], years: 2023, flows: ['M'] });
    const row = {
      freqCode: 'A', refYear: 2023, refMonth: 52, period: '2023', reporterCode: 842, reporterISO: 'USA', reporterDesc: 'USA',
      flowCode: 'M', partnerCode: 156, partnerISO: 'CHN', partnerDesc: 'China', partner2Code: 0, cmdCode: 'TOTAL',
      customsCode: 'C00', motCode: 0, primaryValue: 448_000_000_000,
    };
    const other = { ...row, partnerCode: 490, partnerISO: 'S19', partnerDesc: 'Other Asia, nes' };
    const page = comtrade.read({ elapsedTime: '0.1 secs', count: 2, data: [row, other], error: '' }, req, ctx(req));
    expect(page.records.map((r) => [r.dims.reporter, r.dims.partner])).toEqual([
      ['USA', 'CHN'],
      ['USA', 'Other Asia, nes'],
    ]);
    // The area the warehouse does not know is a visible reject naming it, not a guess.
    const out = facts(page.records);
    expect(out.facts).toHaveLength(1);
    expect(out.rejects[0]?.reason).toMatch(/unknown partner "Other Asia, nes"/);
  });
});

describe('comtrade plan', () => {
  it('without a key asks the public preview endpoint for totals only, with no key anywhere', () => {
    for (const key of [undefined, '', '  ']) {
      const req = only({ ...TOTALS, years: [2022, 2023], key });
      expect(req.url.startsWith(`${BASE}/public/v1/preview/C/A/HS?`)).toBe(true);
      expect(req.url).toContain('reporterCode=156&period=2022,2023&partnerCode=392,643,410,0&flowCode=X,M&cmdCode=TOTAL');
      expect(query(req.url)).toMatchObject({ customsCode: 'C00', motCode: '0', partner2Code: '0', maxRecords: '500', includeDesc: 'true' });
      expect(req.headers).toBeUndefined();
      expect(req.label).toBe('CHN→JPN,RUS,KOR,WLD X,M 2022,2023 TOTAL');
    }
  });

  it('with a key asks the data endpoint and sends the key in the Ocp-Apim-Subscription-Key header only', () => {
    const req = only({ ...TOTALS, years: '2015:2024', products: ['TOTAL', 'AG2'], key: 'k3y-secret-0123' });
    expect(req.url.startsWith(`${BASE}/data/v1/get/C/A/HS?`)).toBe(true);
    expect(req.url).not.toContain('k3y-secret-0123');
    expect(req.headers).toEqual({ 'Ocp-Apim-Subscription-Key': 'k3y-secret-0123' });
    expect(query(req.url)).toMatchObject({ cmdCode: 'TOTAL,AG2', maxRecords: '100000', period: '2015,2016,2017,2018,2019,2020,2021,2022,2023,2024' });
  });

  it('strips a trailing slash from the API root', () => {
    const req = comtrade.plan(`${BASE}/`, params({ partners: ['JPN'], years: 2023 }))[0]!;
    expect(req.url.startsWith(`${BASE}/public/v1/preview/`)).toBe(true);
  });

  it('chunks keyless requests so none can exceed 500 records', () => {
    // 4 partners × 2 flows × 10 years × (TOTAL + 99 chapters) = 8,000 rows at most.
    const reqs = comtrade.plan(BASE, params({ ...TOTALS, years: '2015:2024', products: ['TOTAL', 'AG2'] }));
    const seen = new Set<string>();
    for (const req of reqs) {
      const q = query(req.url);
      const cmds = q.cmdCode!.split(',').reduce((n, c) => n + (c === 'AG2' ? 99 : 1), 0);
      const bound = q.partnerCode!.split(',').length * q.flowCode!.split(',').length * q.period!.split(',').length * cmds;
      expect(bound, req.label).toBeLessThanOrEqual(500);
      for (const period of q.period!.split(','))
        for (const partner of q.partnerCode!.split(','))
          for (const flow of q.flowCode!.split(',')) {
            const key = `${period}|${partner}|${flow}`;
            expect(seen.has(key), key).toBe(false);
            seen.add(key);
          }
    }
    // Every period × partner × flow asked exactly once.
    expect(seen.size).toBe(10 * 4 * 2);
    expect(reqs.length).toBe(20);
    expect(reqs.map((r) => query(r.url).period)).toContain('2015');
  });

  it('keeps all-commodity totals for a decade in one keyless call', () => {
    const req = only({ ...TOTALS, years: '2015:2024' });
    expect(query(req.url).period).toBe('2015,2016,2017,2018,2019,2020,2021,2022,2023,2024');
  });

  it('drops chapters AG2 already covers, and honours a smaller max_records', () => {
    const req = only({ partners: ['JPN'], years: 2023, flows: ['X'], products: ['AG2', '27', 'TOTAL'] });
    expect(query(req.url).cmdCode).toBe('AG2,TOTAL');
    const reqs = comtrade.plan(BASE, params({ partners: ['JPN'], years: 2023, flows: ['X'], products: 'AG2', max_records: 50 }));
    expect(reqs).toHaveLength(2);
    expect(reqs.map((r) => query(r.url).cmdCode!.split(',').length)).toEqual([49, 48]);
    expect(reqs.every((r) => query(r.url).maxRecords === '50')).toBe(true);
    expect(query(reqs[0]!.url).cmdCode!.startsWith('01,02,03')).toBe(true);
  });

  it('asks for re-exports only when listed, and monthly periods when frequency is M', () => {
    const req = only({ partners: ['JPN'], years: 2023, flows: ['X', 'M', 'RX'], frequency: 'M' });
    expect(req.url.startsWith(`${BASE}/public/v1/preview/C/M/HS?`)).toBe(true);
    expect(query(req.url)).toMatchObject({ flowCode: 'X,M,RX', period: '202301,202302,202303,202304,202305,202306,202307,202308,202309,202310,202311,202312' });
  });
});

describe('comtrade read', () => {
  const totals = only({ ...TOTALS });

  it('reads the total rows as records in the pipeline\'s terms', () => {
    const page = comtrade.read(fixture('preview-total-2023.json'), totals, ctx(totals, 3));
    expect(page.next).toEqual([]);
    expect(page.empty).toBeUndefined();
    expect(page.records).toHaveLength(8);
    const toJapan = page.records.find((r) => r.dims.partner === 'JPN' && r.dims.flow === 'Exports');
    expect(toJapan).toEqual({
      cell: '3/data[6]',
      dims: { reporter: 'CHN', partner: 'JPN', flow: 'Exports', product: 'TOTAL', period: '2023' },
      raw: 157478563412.871,
      value: 157478563412.871,
      unit: 'US$',
      total: false,
      indent: 0,
      illustrative: false,
    });
    expect(page.records.filter((r) => r.dims.partner === 'WLD').every((r) => r.total)).toBe(true);
  });

  it('leaves breakdown rows and unasked re-exports out, with warnings, never summing them', () => {
    const page = comtrade.read(fixture('preview-total-2023.json'), totals, ctx(totals));
    const fromRussia = page.records.filter((r) => r.dims.partner === 'RUS' && r.dims.flow === 'Imports');
    expect(fromRussia.map((r) => r.value)).toEqual([129139884205]);
    expect(page.records.some((r) => r.dims.flow === 'Re-exports')).toBe(false);
    expect(page.warnings).toEqual([
      expect.stringMatching(/^un-comtrade: .*left out 1 re-exports \(RX\) rows/),
      expect.stringMatching(/skipped 4 breakdown rows \(by customs procedure, mode of transport or second partner\)/),
    ]);
  });

  it('turns the records into the right facts', () => {
    const page = comtrade.read(fixture('preview-total-2023.json'), totals, ctx(totals, 0));
    const out = facts(page.records);
    expect(out.rejects).toEqual([]);
    const trade = out.facts as TradeFact[];
    const pick = (partner: string, flow: string) => trade.find((f) => f.partner === partner && f.flow === flow);
    expect(pick('JPN', 'export')).toMatchObject({
      table: 'trade_flow', reporter: 'CHN', partner: 'JPN', flow: 'export', product: 'TOTAL', period: '2023', period_kind: 'year',
      value: 157478563412.871, unit: 'US$', currency: 'USD', value_usd: 157478563412.871, cell: '0/data[6]',
    });
    expect(pick('JPN', 'import')?.value_usd).toBe(160805287934);
    expect(pick('RUS', 'export')?.value_usd).toBe(110970127655);
    expect(pick('KOR', 'import')?.value_usd).toBe(162697420178);
    expect(pick('WLD', 'export')?.value_usd).toBe(3379954689716.519);
    expect(pick('WLD', 'import')?.value_usd).toBe(2556846783129);
    expect(trade).toHaveLength(8);
  });

  it('reads chapters as HS products and a null value as missing, never 0', () => {
    const req = only({ partners: ['JPN'], years: 2023, flows: ['X'], products: 'AG2' });
    const page = comtrade.read(fixture('preview-ag2-jpn-2023.json'), req, ctx(req, 1));
    expect(page.records.map((r) => r.dims.product)).toEqual(['HS 03', 'HS 27', 'HS 39', 'HS 61', 'HS 62', 'HS 84', 'HS 85', 'HS 93', 'HS 94']);
    const arms = page.records.find((r) => r.dims.product === 'HS 93');
    expect(arms).toMatchObject({ value: null, raw: null, missing: 'null', cell: '1/data[7]' });
    const out = facts(page.records);
    expect(out.skipped).toEqual({ missing: 1 });
    expect(out.rejects).toEqual([]);
    const electrical = (out.facts as TradeFact[]).find((f) => f.product === 'HS:85');
    expect(electrical).toMatchObject({ reporter: 'CHN', partner: 'JPN', flow: 'export', period: '2023', value_usd: 36512990218 });
    expect(out.facts.some((f) => f.table === 'trade_flow' && f.product === 'HS:93')).toBe(false);
  });

  it('loads nothing for a key that has breakdowns but no total row, and says so', () => {
    const req = only({ partners: ['RUS'], years: 2023, flows: ['M'], products: ['27', '03'] });
    const page = comtrade.read(fixture('preview-no-total.json'), req, ctx(req));
    expect(page.records.map((r) => r.dims.product)).toEqual(['HS 03']);
    expect(page.warnings?.join('\n')).toMatch(/1 keys have breakdown rows but no total row, so nothing was loaded for them .*CHN→RUS M 27 2023/);
  });

  it('keeps chapters across HS vintages and prefers the reported classification for one key', () => {
    const req = only({ partners: ['JPN'], years: [2021, 2022], flows: ['X'], products: ['27'] });
    const page = comtrade.read(fixture('preview-vintages.json'), req, ctx(req));
    expect(page.records.map((r) => [r.dims.period, r.cell])).toEqual([
      ['2021', '0/data[0]'],
      ['2022', '0/data[2]'], // the H6 row the reporter published, not the H5 conversion at data[1]
    ]);
    expect(page.warnings?.join('\n')).toMatch(/1 values came twice \(as in two HS vintages\)/);
    expect(facts(page.records).rejects).toEqual([]);
  });

  it('skips codes finer than a chapter with a warning', () => {
    const req = only({ partners: ['JPN'], years: 2023, flows: ['X'], products: ['27'] });
    const row = { freqCode: 'A', period: '2023', reporterCode: 156, reporterISO: 'CHN', flowCode: 'X', partnerCode: 392, partnerISO: 'JPN', partner2Code: 0, customsCode: 'C00', motCode: 0 };
    const body = { elapsedTime: '0.1 secs', count: 2, data: [{ ...row, cmdCode: '27', primaryValue: 2.07e9 }, { ...row, cmdCode: '2710', primaryValue: 1.5e9 }], error: '' };
    const page = comtrade.read(body, req, ctx(req));
    expect(page.records.map((r) => r.dims.product)).toEqual(['HS 27']);
    expect(page.warnings?.[0]).toMatch(/skipped 1 rows with codes finer than an HS chapter \(2710\)/);
  });

  it('loads re-exports only when asked, under their own label', () => {
    const req = only({ ...TOTALS, flows: ['X', 'M', 'RX'] });
    const page = comtrade.read(fixture('preview-total-2023.json'), req, ctx(req));
    expect(page.records.filter((r) => r.dims.flow === 'Re-exports')).toHaveLength(1);
    const out = facts(page.records);
    expect(out.rejects).toEqual([]);
    expect(out.facts.filter((f) => f.table === 'trade_flow' && f.flow === 're-export')).toEqual([expect.objectContaining({ reporter: 'CHN', partner: 'WLD', period: '2023', value: 1204377512 })]);
  });

  it('reads monthly periods as YYYY-MM', () => {
    const req = only({ partners: ['JPN'], years: 2023, flows: ['X'], frequency: 'M' });
    const row = { freqCode: 'M', refYear: 2023, refMonth: 6, period: '202306', reporterCode: 156, reporterISO: 'CHN', flowCode: 'X', partnerCode: 392, partnerISO: 'JPN', partner2Code: 0, cmdCode: 'TOTAL', customsCode: 'C00', motCode: 0, primaryValue: 1.27e10 };
    const page = comtrade.read({ elapsedTime: '0.1 secs', count: 1, data: [row], error: '' }, req, ctx(req));
    expect(page.records[0]?.dims.period).toBe('2023-06');
    expect(facts(page.records).facts[0]).toMatchObject({ period: '2023-06', period_kind: 'month' });
  });

  it('reports an empty answer as empty, not an error', () => {
    const page = comtrade.read(fixture('preview-empty.json'), totals, ctx(totals));
    expect(page).toMatchObject({ records: [], next: [], empty: `no data for ${totals.label}` });
  });

  it('throws a one-line UserError for an error answer and for an unexpected shape', () => {
    const fail = (body: unknown): UserError => {
      try {
        comtrade.read(body, totals, ctx(totals));
      } catch (e) {
        expect(e).toBeInstanceOf(UserError);
        return e as UserError;
      }
      return expect.unreachable('read did not throw');
    };
    const error = fail(fixture('error.json'));
    expect(error.message).toMatch(/^un-comtrade: http:\/\/127\.0\.0\.1:8123\/public\/v1\/preview\/C\/A\/HS\?.*: Comtrade answered with an error: "Invalid period: 1899\./);
    for (const body of [null, [], 'text', { elapsedTime: '0.1 secs', count: 0 }, { count: 1, data: { rows: [] }, error: '' }, { count: 1, data: [7], error: '' }]) {
      const e = fail(body);
      expect(e.message).toMatch(/^un-comtrade: .*unexpected answer from Comtrade/);
      expect(e.message).not.toContain('\n');
    }
  });

  it('drops elapsedTime from the archived answer so an unchanged dataset hashes the same', () => {
    const a = comtrade.read(fixture('preview-total-2023.json'), totals, ctx(totals));
    const b = comtrade.read({ ...(fixture('preview-total-2023.json') as object), elapsedTime: '1.93 secs' }, totals, ctx(totals));
    expect(a.stable).not.toHaveProperty('elapsedTime');
    expect(JSON.stringify(a.stable)).toBe(JSON.stringify(b.stable));
    expect(a.stable).toHaveProperty('data');
    const empty = comtrade.read(fixture('preview-empty.json'), totals, ctx(totals));
    expect(empty.stable).toEqual({ count: 0, data: [], error: '' });
  });
});

describe('comtrade record cap', () => {
  /** A capped answer: `count` rows of chapter data for the request, the way the preview truncates. */
  function capped(n: number): unknown {
    const row = (i: number) => ({
      typeCode: 'C', freqCode: 'A', refYear: 2023, refMonth: 52, period: '2023', reporterCode: 156, reporterISO: 'CHN', reporterDesc: 'China',
      flowCode: 'X', partnerCode: 392, partnerISO: 'JPN', partnerDesc: 'Japan', partner2Code: 0, classificationCode: 'H6',
      cmdCode: String((i % 97) + 1).padStart(2, '0'), customsCode: i < 97 ? 'C00' : 'C01', motCode: 0, primaryValue: 1e6 + i,
    });
    return { elapsedTime: '2.1 secs', count: n, data: Array.from({ length: n }, (_, i) => row(i)), error: '' };
  }

  it('splits a capped answer in two via next, loads none of it and warns', () => {
    const req = only({ partners: ['JPN', 'RUS'], years: 2023, flows: ['X'], products: 'AG2' });
    const page = comtrade.read(capped(500), req, ctx(req));
    expect(page.records).toEqual([]);
    expect(page.next).toHaveLength(2);
    expect(page.next.map((r) => query(r.url).partnerCode)).toEqual(['392', '643']);
    expect(page.next.every((r) => r.url.startsWith(`${BASE}/public/v1/preview/C/A/HS?`) && query(r.url).maxRecords === '500')).toBe(true);
    expect(page.next[0]!.label).toBe('CHN→JPN X 2023 AG2');
    expect(page.warnings?.[0]).toMatch(/^un-comtrade: http:.*: the answer reached the 500-record cap; not loaded, asked again in two smaller requests$/);
  });

  it('splits all chapters into two named halves and keeps the key header', () => {
    const req = only({ partners: ['JPN'], years: 2023, flows: ['X'], products: 'AG2', key: 'k3y-secret-0123', max_records: 500 });
    const page = comtrade.read(capped(500), req, ctx(req));
    expect(page.next.map((r) => query(r.url).cmdCode!.split(',').length)).toEqual([49, 48]);
    expect(page.next.every((r) => r.headers?.['Ocp-Apim-Subscription-Key'] === 'k3y-secret-0123')).toBe(true);
  });

  it('fails when an answer that cannot be split is capped, naming what to do', () => {
    const req = only({ partners: ['JPN'], years: 2023, flows: ['X'], products: ['27'] });
    expect(() => comtrade.read(capped(500), req, ctx(req))).toThrow(
      /^un-comtrade: http:\/\/127\.0\.0\.1:8123\/.*: the answer was capped at 500 records, so it is incomplete and nothing was loaded; set COMTRADE_API_KEY .* or narrow the query/,
    );
  });

  it('treats a count above the rows returned as truncated', () => {
    const req = only({ partners: ['JPN', 'RUS'], years: 2023, flows: ['X'], products: ['27'] });
    const body = capped(2) as { count: number };
    body.count = 3;
    expect(comtrade.read(body, req, ctx(req)).next).toHaveLength(2);
  });
});

describe('comtradeAdapter', () => {
  it('reads the reference only when first needed', () => {
    let calls = 0;
    const adapter = comtradeAdapter(() => {
      calls++;
      return reference;
    });
    expect(calls).toBe(0);
    expect(adapter.type).toBe('comtrade');
    adapter.plan(BASE, params({ partners: ['JPN'], years: 2023 }));
    expect(calls).toBe(1);
  });
});
