import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { UserError, redactUrl } from '../../../src/errors.js';
import { estat, estatParams, type EstatParams } from '../../../src/pipelines/api/estat.js';
import type { ApiReadContext, ApiRequest } from '../../../src/pipelines/api/types.js';
import { normalise } from '../../../src/pipelines/normalise.js';
import { loadReference } from '../../../src/pipelines/reference.js';
import type { SourceRecord, TradeFact } from '../../../src/pipelines/types.js';
import { thrown } from '../../helpers/thrown.js';

const fixtures = fileURLToPath(new URL('../../fixtures/api/estat/', import.meta.url));
const answer = (name: string): Record<string, unknown> => JSON.parse(readFileSync(`${fixtures}${name}`, 'utf8')) as Record<string, unknown>;

const BASE = 'http://127.0.0.1:4010/rest/3.0/app/json';
const APP_ID = 'a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0';
const params = (extra: Record<string, unknown> = {}): EstatParams =>
  estatParams.parse({ type: 'estat', app_id: APP_ID, stats_data_id: '0003425295', query: { cdArea: '105', cdTime: '2023000000' }, limit: 6, ...extra });

function first(p: EstatParams = params()): ApiRequest {
  const [request] = estat.plan(BASE, p);
  return request!;
}
const ctx = (request: ApiRequest, page = 0): ApiReadContext => ({ sourceId: 'jp-customs-china', page, url: redactUrl(request.url) });
const japanFx = (c: string, _y: number) => (c === 'JPY' ? 140.49 : null);

describe('estatParams', () => {
  it('accepts an empty appId (the variable unset), and plan then says what to set', () => {
    const p = estatParams.parse({ type: 'estat', app_id: '', stats_data_id: '0003425295' });
    expect(() => estat.plan(BASE, p)).toThrowError('api.app_id is empty: e-Stat needs an application ID; register at https://www.e-stat.go.jp/api/ and set ESTAT_APP_ID, or set enabled: false');
  });

  it('fills the class mapping, limit and reporter with defaults', () => {
    const p = estatParams.parse({ type: 'estat', app_id: 'x', stats_data_id: '0003425295' });
    expect(p).toEqual({
      type: 'estat', app_id: 'x', stats_data_id: '0003425295', query: {}, reporter: 'JPN', limit: 100000,
      classes: { partner: 'area', flow: 'cat01', product: 'cat02', period: 'time' },
    });
    expect(estatParams.parse({ type: 'estat', app_id: 'x', stats_data_id: '0003425295', classes: { product: 'cat03' } }).classes)
      .toEqual({ partner: 'area', flow: 'cat01', product: 'cat03', period: 'time' });
  });

  it('refuses an empty appId, a malformed table id, unknown filters and unquoted codes', () => {
    const bad = (extra: Record<string, unknown>) =>
      estatParams.safeParse({ type: 'estat', app_id: 'x', stats_data_id: '0003425295', ...extra }).success;
    expect(bad({ stats_data_id: 3425295 })).toBe(false);
    expect(bad({ stats_data_id: '3425295' })).toBe(false);
    expect(bad({ query: { startPosition: '5' } })).toBe(false);
    expect(bad({ query: { appId: 'other' } })).toBe(false);
    expect(bad({ query: { cdCat01: 1 } })).toBe(false);
    expect(bad({ classes: { flow: 'cat16' } })).toBe(false);
    expect(bad({ colour: 'red' })).toBe(false);
    expect(bad({ query: { cdCat01: ['1', '2'], cdTimeFrom: '2015000000', lvArea: '1' } })).toBe(true);
  });
});

describe('estat.plan', () => {
  it('asks getStatsData for the table with metadata, the limit and the filters', () => {
    const request = first(params({ query: { cdArea: '105', cdCat01: ['1', '2'] } }));
    const url = new URL(request.url);
    expect(`${url.origin}${url.pathname}`).toBe(`${BASE}/getStatsData`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      appId: APP_ID, statsDataId: '0003425295', metaGetFlg: 'Y', cntGetFlg: 'N', sectionHeaderFlg: '1', limit: '6',
      cdArea: '105', cdCat01: '1,2',
    });
    expect(request.label).toBe('statsDataId 0003425295');
    expect(request.headers).toBeUndefined();
  });

  it('joins a base with a trailing slash and keeps the appId out of printed URLs', () => {
    const request = first(params({ query: {} }));
    expect(estat.plan(`${BASE}/`, params({ query: {} }))[0]!.url).toBe(request.url);
    expect(redactUrl(request.url)).not.toContain(APP_ID);
    expect(redactUrl(request.url)).toContain('appId=***');
  });
});

describe('estat.read', () => {
  it('reads a page into records in the pipeline\'s terms and asks for the next page at NEXT_KEY', () => {
    const request = first();
    const page = estat.read(answer('china-2023-page1.json'), request, ctx(request));
    expect(page.empty).toBeUndefined();
    expect(page.warnings).toBeUndefined();
    expect(page.records).toHaveLength(6);
    expect(page.records[0]).toEqual({
      cell: '0/VALUE[0]',
      dims: { reporter: 'JPN', partner: '中華人民共和国', flow: '輸出', product: 'TOTAL', period: '2023年', measure: '金額' },
      raw: '17763886214', value: 17763886214, unit: '千円', total: false, indent: 0, illustrative: false,
    });
    expect(page.records.map((r) => [r.dims.flow, r.dims.product, r.value])).toEqual([
      ['輸出', 'TOTAL', 17763886214],
      ['輸出', 'HS 27', 286503211],
      ['輸出', 'HS 84', 4217709532],
      ['輸出', 'HS 85', 3796518810],
      ['輸出', 'HS 93', null],
      ['輸入', 'TOTAL', 24498153190],
    ]);
    expect(page.next).toHaveLength(1);
    const next = new URL(page.next[0]!.url);
    expect(next.searchParams.get('startPosition')).toBe('7');
    expect(next.searchParams.get('appId')).toBe(APP_ID);
    expect(next.searchParams.get('cdArea')).toBe('105');
    expect(page.next[0]!.label).toBe('statsDataId 0003425295 from 7');
  });

  it('stops on the last page, numbering cells by the page in the bundle', () => {
    const request = first();
    const p1 = estat.read(answer('china-2023-page1.json'), request, ctx(request, 0));
    const p2 = estat.read(answer('china-2023-page2.json'), p1.next[0]!, ctx(p1.next[0]!, 1));
    expect(p2.next).toEqual([]);
    expect(p2.records.map((r) => r.cell)).toEqual(['1/VALUE[0]', '1/VALUE[1]', '1/VALUE[2]', '1/VALUE[3]']);
    expect(p2.records.map((r) => [r.dims.flow, r.dims.product])).toEqual([['輸入', 'HS 27'], ['輸入', 'HS 84'], ['輸入', 'HS 85'], ['輸入', 'HS 93']]);
  });

  it('reads the special characters listed in NOTE as missing, never 0', () => {
    const request = first();
    const p1 = estat.read(answer('china-2023-page1.json'), request, ctx(request));
    const p2 = estat.read(answer('china-2023-page2.json'), request, ctx(request, 1));
    const dash = p1.records[4]!;
    const secret = p2.records[3]!;
    expect(dash).toMatchObject({ raw: '-', value: null, missing: '-' });
    expect(secret).toMatchObject({ raw: '***', value: null, missing: '***' });
    expect(dash.error).toBeUndefined();
    expect(secret.error).toBeUndefined();
  });

  it('reads a one-value answer where VALUE, NOTE and every CLASS are objects, not arrays', () => {
    const request = first();
    const page = estat.read(answer('single-value.json'), request, ctx(request));
    expect(page.next).toEqual([]);
    expect(page.records).toEqual([{
      cell: '0/VALUE[0]',
      dims: { reporter: 'JPN', partner: '中華人民共和国', flow: '輸入', product: 'TOTAL', period: '2023年', measure: '金額' },
      raw: '24498153190', value: 24498153190, unit: '千円', total: false, indent: 0, illustrative: false,
    }]);
  });

  it('takes the unit from the tab class when a value carries none, and reads grouped numbers', () => {
    const body = answer('single-value.json');
    const value = dig(body, 'GET_STATS_DATA', 'STATISTICAL_DATA', 'DATA_INF', 'VALUE');
    delete value['@unit'];
    value.$ = '24,498,153,190';
    const request = first();
    const [record] = estat.read(body, request, ctx(request)).records;
    expect(record).toMatchObject({ unit: '千円', value: 24498153190, raw: '24,498,153,190' });
  });

  it('status 1 (no data for this query) is empty, not an error', () => {
    const request = first();
    const page = estat.read(answer('no-data.json'), request, ctx(request));
    expect(page).toMatchObject({ records: [], next: [], empty: '正常に終了しましたが、該当データはありませんでした。' });
  });

  it('status 2 (partly failed) keeps the values and warns', () => {
    const body = answer('single-value.json');
    Object.assign(dig(body, 'GET_STATS_DATA', 'RESULT'), { STATUS: 2, ERROR_MSG: '正常に終了しましたが、一部にエラーがあります。' });
    const request = first();
    const page = estat.read(body, request, ctx(request));
    expect(page.records).toHaveLength(1);
    expect(page.warnings).toEqual(['e-Stat answered status 2 "正常に終了しましたが、一部にエラーがあります。": some values may be missing']);
  });

  it('a wrong appId is one line naming the source, the redacted URL, e-Stat\'s message and ESTAT_APP_ID', () => {
    const request = first();
    const err = thrown(() => estat.read(answer('auth-error.json'), request, ctx(request)));
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toBe(
      `jp-customs-china: ${redactUrl(request.url)}: e-Stat answered status 100 "認証に失敗しました。アプリケーションIDを確認して下さい。"; ` +
        'set ESTAT_APP_ID to your e-Stat application ID (https://www.e-stat.go.jp/api/)',
    );
    expect(err.message).not.toContain(APP_ID);
    expect(err.message).not.toMatch(/\n/);
  });

  it('another error status quotes e-Stat\'s message and points at the table and filters', () => {
    const body = answer('auth-error.json');
    Object.assign(dig(body, 'GET_STATS_DATA', 'RESULT'), { STATUS: 103, ERROR_MSG: 'パラメータ cdCat01 の値が不正です。\n' });
    const request = first();
    const err = thrown(() => estat.read(body, request, ctx(request)));
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toMatch(/^jp-customs-china: http:\/\/127\.0\.0\.1:4010\/.*appId=\*\*\*.*: e-Stat answered status 103 "パラメータ cdCat01 の値が不正です。"; check api\.stats_data_id and api\.query/);
  });

  it('a body in another shape is a UserError, not a crash', () => {
    const request = first();
    for (const body of [null, [], 'error', {}, { GET_STATS_DATA: {} }, { GET_STATS_DATA: { RESULT: { STATUS: 0 } } }]) {
      const err = thrown(() => estat.read(body, request, ctx(request)));
      expect(err).toBeInstanceOf(UserError);
      expect(err.message).toMatch(/^jp-customs-china: .*: unexpected e-Stat answer: .*; check that the source url is the e-Stat JSON API root/);
      expect(err.message).not.toMatch(/\n/);
    }
  });

  it('a NEXT_KEY that does not move forward is refused rather than looped on', () => {
    const body = answer('china-2023-page1.json');
    dig(body, 'GET_STATS_DATA', 'STATISTICAL_DATA', 'RESULT_INF').NEXT_KEY = 1;
    const request = first();
    expect(thrown(() => estat.read(body, request, ctx(request))).message).toContain('NEXT_KEY 1 does not move past FROM_NUMBER 1');
  });

  it('names the classes a table has when the mapping points at one it lacks', () => {
    const request = first(params({ classes: { product: 'cat03' } }));
    const err = thrown(() => estat.read(answer('china-2023-page1.json'), request, ctx(request)));
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toContain('table 0003425295 has no classification "cat03" (it has tab, cat01, cat02, area, time); set api.classes.product');
  });

  it('reads with the params passed to read, or noted by plan for the requests it and read return', () => {
    // The same table with its classes mapped the other way round: cat02 as the flow is nonsense,
    // and shows the mapping is used.
    const swapped = params({ classes: { flow: 'cat02', product: 'cat01' } });
    const request = first(swapped);
    const page = estat.read(answer('china-2023-page1.json'), request, ctx(request));
    expect(page.records[0]!.dims.flow).toBe('総額');
    const again = estat.read(answer('china-2023-page2.json'), page.next[0]!, ctx(page.next[0]!, 1));
    expect(again.records[0]!.dims.flow).toBe('27 鉱物性燃料及び鉱物油並びにこれらの蒸留物、歴青物質並びに鉱物性ろう');
    const copy = { ...request };
    expect(estat.read(answer('china-2023-page1.json'), copy, ctx(copy)).records[0]!.dims.flow).toBe('輸出');
    expect(estat.read(answer('china-2023-page1.json'), copy, ctx(copy), swapped).records[0]!.dims.flow).toBe('総額');
  });

  it('a table with one flow takes it from api.flow; a totals-only table is TOTAL', () => {
    const body = answer('single-value.json');
    const objs = dig(body, 'GET_STATS_DATA', 'STATISTICAL_DATA', 'CLASS_INF').CLASS_OBJ as { '@id': string }[];
    dig(body, 'GET_STATS_DATA', 'STATISTICAL_DATA', 'CLASS_INF').CLASS_OBJ = objs.filter((o) => o['@id'] !== 'cat01' && o['@id'] !== 'cat02');
    const request = first(params({ classes: { flow: null, product: null }, flow: 'import' }));
    const [record] = estat.read(body, request, ctx(request)).records;
    expect(record!.dims).toMatchObject({ flow: 'import', product: 'TOTAL' });
    const noFlow = first(params({ classes: { flow: null, product: null } }));
    expect(thrown(() => estat.read(body, noFlow, ctx(noFlow))).message).toContain('set api.flow to export or import');
  });

  it('a product that is not an HS chapter, heading or total becomes an error, not TOTAL', () => {
    const body = answer('single-value.json');
    const objs = dig(body, 'GET_STATS_DATA', 'STATISTICAL_DATA', 'CLASS_INF').CLASS_OBJ as Record<string, unknown>[];
    objs[2]!.CLASS = { '@code': '270900000', '@name': '原油及び粗油', '@level': '3' };
    dig(body, 'GET_STATS_DATA', 'STATISTICAL_DATA', 'DATA_INF', 'VALUE')['@cat02'] = '270900000';
    const request = first();
    const [record] = estat.read(body, request, ctx(request)).records;
    expect(record).toMatchObject({ value: null, raw: '24498153190' });
    expect(record!.error).toBe('product "原油及び粗油" is not an HS chapter, heading or subheading, nor a total: filter it out with api.query');
    expect(record!.dims.product).toBeUndefined();
  });

  it('reads HS chapters written as 第27類, full-width or by code, and periods from the time code', () => {
    const body = answer('single-value.json');
    const classObjs = dig(body, 'GET_STATS_DATA', 'STATISTICAL_DATA', 'CLASS_INF').CLASS_OBJ as Record<string, unknown>[];
    const value = dig(body, 'GET_STATS_DATA', 'STATISTICAL_DATA', 'DATA_INF', 'VALUE');
    const cases: [Record<string, string>, Record<string, string>, string, string][] = [
      [{ '@code': '027', '@name': '第27類 鉱物性燃料' }, { '@code': '2023000101', '@name': '2023年1月' }, 'HS 27', '2023年1月'],
      [{ '@code': '085', '@name': '８５_電気機器' }, { '@code': '2023000303', '@name': '3月' }, 'HS 85', '2023年3月'],
      [{ '@code': '84', '@name': '原子炉、ボイラー及び機械類' }, { '@code': '2023000406', '@name': '第2四半期' }, 'HS 84', '2023年4-6月'],
      [{ '@code': '999', '@name': '合計' }, { '@code': '2022000000', '@name': '令和4年' }, 'TOTAL', '令和4年'],
    ];
    for (const [product, time, hs, period] of cases) {
      classObjs[2]!.CLASS = product;
      classObjs[4]!.CLASS = time;
      value['@cat02'] = product['@code']!;
      value['@time'] = time['@code']!;
      const request = first();
      const [record] = estat.read(body, request, ctx(request)).records;
      expect(record!.dims).toMatchObject({ product: hs, period });
    }
  });

  it('keeps a code missing from CLASS_INF as its own label, so the reject names it', () => {
    const body = answer('single-value.json');
    dig(body, 'GET_STATS_DATA', 'STATISTICAL_DATA', 'DATA_INF', 'VALUE')['@area'] = '999';
    const request = first();
    const [record] = estat.read(body, request, ctx(request)).records;
    expect(record!.dims.partner).toBe('999');
  });

  it('archives the answer without RESULT.DATE, so an unchanged table hashes the same', () => {
    const request = first();
    const a = answer('china-2023-page1.json');
    const b = answer('china-2023-page1.json');
    dig(b, 'GET_STATS_DATA', 'RESULT').DATE = '2025-07-01T09:00:00.000+09:00';
    const sa = estat.read(a, request, ctx(request)).stable;
    const sb = estat.read(b, request, ctx(request)).stable;
    expect(JSON.stringify(sa)).toBe(JSON.stringify(sb));
    expect(dig(sa as Record<string, unknown>, 'GET_STATS_DATA', 'RESULT')).toEqual({ STATUS: 0, ERROR_MSG: '正常に終了しました。' });
    // the body itself is left as received
    expect(dig(a, 'GET_STATS_DATA', 'RESULT').DATE).toBe('2025-06-02T10:15:31.201+09:00');
    const { DATE: _d, ...rest } = dig(answer('china-2023-page1.json'), 'GET_STATS_DATA', 'RESULT');
    expect({ ...(sa as Record<string, unknown>), GET_STATS_DATA: { ...dig(sa as Record<string, unknown>, 'GET_STATS_DATA'), RESULT: rest } }).toEqual(sa);
    expect(estat.read(answer('no-data.json'), request, ctx(request)).stable).not.toHaveProperty('GET_STATS_DATA.RESULT.DATE');
  });
});

describe('e-Stat records through normalise', () => {
  it('become Japan\'s trade facts with China in yen and US dollars; missing values are skipped, never 0', () => {
    const request = first();
    const p1 = estat.read(answer('china-2023-page1.json'), request, ctx(request, 0));
    const p2 = estat.read(answer('china-2023-page2.json'), p1.next[0]!, ctx(p1.next[0]!, 1));
    const records: SourceRecord[] = [...p1.records, ...p2.records];
    const out = normalise(records, { dataset: 'trade', reference: loadReference(), fx: japanFx });
    expect(out.rejects).toEqual([]);
    expect(out.skipped).toEqual({ missing: 2 });
    expect(out.unconverted).toEqual([]);
    const facts = out.facts as TradeFact[];
    expect(facts.map((f) => [f.flow, f.product, f.value])).toEqual([
      ['export', 'TOTAL', 17763886214],
      ['export', 'HS:27', 286503211],
      ['export', 'HS:84', 4217709532],
      ['export', 'HS:85', 3796518810],
      ['import', 'TOTAL', 24498153190],
      ['import', 'HS:27', 125477853],
      ['import', 'HS:84', 5176392041],
      ['import', 'HS:85', 6851947526],
    ]);
    expect(facts[4]).toEqual({
      table: 'trade_flow', reporter: 'JPN', partner: 'CHN', flow: 'import', product: 'TOTAL', period: '2023', period_kind: 'year',
      value: 24498153190, unit: '千円', currency: 'JPY', value_usd: (24498153190 * 1000) / 140.49, illustrative: false, cell: '0/VALUE[5]',
    });
    // ≈ 174 billion US dollars: Japan's imports from China in 2023
    expect(facts[4]!.value_usd! / 1e9).toBeCloseTo(174.4, 1);
    expect(facts.every((f) => f.reporter === 'JPN' && f.partner === 'CHN' && f.period === '2023')).toBe(true);
  });

  it('a non-HS product is a reject with its reason, not a TOTAL fact', () => {
    const body = answer('single-value.json');
    const objs = dig(body, 'GET_STATS_DATA', 'STATISTICAL_DATA', 'CLASS_INF').CLASS_OBJ as Record<string, unknown>[];
    objs[2]!.CLASS = { '@code': '0001', '@name': '食料品', '@level': '2' };
    dig(body, 'GET_STATS_DATA', 'STATISTICAL_DATA', 'DATA_INF', 'VALUE')['@cat02'] = '0001';
    const request = first();
    const out = normalise(estat.read(body, request, ctx(request)).records, { dataset: 'trade', reference: loadReference(), fx: japanFx });
    expect(out.facts).toEqual([]);
    expect(out.rejects).toEqual([{ cell: '0/VALUE[0]', reason: 'product "食料品" is not an HS chapter, heading or subheading, nor a total: filter it out with api.query', raw: '24498153190' }]);
  });
});

/** The object at a path in a parsed answer (tests edit fixtures in place through it). */
function dig(body: Record<string, unknown>, ...path: string[]): Record<string, unknown> {
  let at: unknown = body;
  for (const key of path) at = (at as Record<string, unknown>)[key];
  return at as Record<string, unknown>;
}
