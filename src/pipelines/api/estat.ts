// e-Stat (政府統計の総合窓口, api.e-stat.go.jp, API 3.0): Japan's official statistics, here the
// Ministry of Finance's 普通貿易統計 — Japan's trade with China by HS chapter, the mirror view of
// China's customs figures. One getStatsData request per table, paged by NEXT_KEY.
//
// The JSON is e-Stat's XML translated mechanically: attributes are `@name` keys, text is `$`, and an
// element that occurs once is an object rather than a one-item array (CLASS_OBJ, CLASS, VALUE,
// NOTE). Every list is read through `list()` so both forms work.
//
// Decisions:
// - Errors come back as HTTP 200 with RESULT.STATUS: 0 is data, 1 is "no data for this query"
//   (`empty`, not an error), 2 is data with a partial error (a warning), anything else (100 and up:
//   a bad appId, an unknown statsDataId, a bad parameter) is a UserError quoting ERROR_MSG.
// - A value's dimensions are looked up in CLASS_INF by the class ids the config names (`classes`),
//   because e-Stat numbers a table's classifications (cat01, cat02, …) differently per table.
// - Special characters listed in DATA_INF.NOTE (`-` 該当数値なし, `***` 秘匿, `x`, `…`) are missing
//   values, never 0; other values go through the lexicon's parseNumber, which also reads `1,234`.
// - The product is an HS code read from the class name (`27 鉱物性燃料…`, `第27類`, `２７_…`) or,
//   when the name carries no code, a 2/4/6-digit class code in an existing chapter (01–97); TOTAL
//   for a total class (`総額`, `00 合計`, `全品目`). Anything else — a 9-digit 統計品目番号, a 概況品
//   group — is a record with an `error`, so it becomes a reject instead of normalise's default
//   TOTAL, which would double-count it.
// - The period is the time class's name (`2023年`, `2023年1月`); when that does not read as a
//   period, its code (`2023000000` a year, `2023000101` January, `2023000406` April–June).
// - Reporter is JPN: e-Stat publishes Japan's statistics (override with `reporter`).
import * as z from 'zod';
import { UserError } from '../../errors.js';
import { isTotalLabel, parseNumber, parsePeriod } from '../lexicon/index.js';
import type { SourceRecord } from '../types.js';
import type { ApiAdapter, ApiPageResult, ApiReadContext, ApiRequest } from './types.js';

/** Filter parameters getStatsData takes: lvTab, cdTab, cdTabFrom, cdTimeTo, cdArea, cdCat01 … cdCat15. */
const FILTER_KEY = /^(?:lv|cd)(?:Tab|Time|Area|Cat(?:0[1-9]|1[0-5]))(?:From|To)?$/;

const classId = z
  .string()
  .regex(/^(?:tab|time|area|cat(?:0[1-9]|1[0-5]))$/, 'is not an e-Stat class id (tab, time, area, cat01 … cat15)');

const DEFAULT_CLASSES = { partner: 'area', flow: 'cat01', product: 'cat02', period: 'time' } as const;

export const estatParams = z.strictObject({
  type: z.literal('estat').describe('e-Stat (api.e-stat.go.jp, API 3.0); the source url is the JSON API root, https://api.e-stat.go.jp/rest/3.0/app/json.'),
  // An empty appId is valid config (`${ESTAT_APP_ID:-}`), so an online config loads on a machine
  // without the key; the pull of this one source then fails with the line from `plan`.
  app_id: z
    .string()
    .describe('The e-Stat application ID (appId), a secret: write `${ESTAT_APP_ID}` and set the variable. Register at https://www.e-stat.go.jp/api/.'),
  stats_data_id: z
    .string()
    .regex(/^\d{10}$/, 'is not an e-Stat statsDataId (10 digits, e.g. "0003425295"; quote it in YAML)')
    .describe('The table\'s statsDataId (統計表ID, 10 digits, quoted), as in https://www.e-stat.go.jp/dbview?sid=<id>.'),
  query: z
    .record(
      z.string().regex(FILTER_KEY, 'is not a getStatsData filter (lvTab, cdTab, cdTime, cdTimeFrom, cdArea, cdCat01 … cdCat15)'),
      z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
    )
    .default({})
    .describe('getStatsData filters, e.g. `{cdArea: "105", cdTimeFrom: "2015000000"}`; a list is sent comma-separated. Codes are strings: quote them so YAML keeps leading zeros. Default: none (the whole table).'),
  classes: z
    .strictObject({
      partner: classId.default(DEFAULT_CLASSES.partner).describe('Class id of the partner country (default `area`).'),
      flow: classId.nullable().default(DEFAULT_CLASSES.flow).describe('Class id of 輸出/輸入 (default `cat01`); null when the table has one flow (set `flow`).'),
      product: classId.nullable().default(DEFAULT_CLASSES.product).describe('Class id of the HS chapter (default `cat02`); null when the table holds totals only.'),
      period: classId.default(DEFAULT_CLASSES.period).describe('Class id of the year or month (default `time`).'),
    })
    .default({ ...DEFAULT_CLASSES })
    .describe('Which of the table\'s classifications (CLASS_OBJ @id) holds each dimension; the table\'s `tab` item becomes the measure (金額, 数量).'),
  flow: z
    .enum(['export', 'import'])
    .optional()
    .describe('The flow of every value, for a table with no flow classification (`classes.flow: null`). Default: read from the flow class.'),
  reporter: z.string().min(1).default('JPN').describe('The reporting country (default JPN: e-Stat publishes Japan\'s statistics).'),
  limit: z
    .number()
    .int()
    .min(1)
    .max(100000)
    .default(100000)
    .describe('Values per request (e-Stat\'s maximum, 100000, by default); larger answers continue with NEXT_KEY.'),
});
export type EstatParams = z.infer<typeof estatParams>;

/** Statuses that mean the appId is wrong or missing (100 認証に失敗しました, 101 no appId). */
const AUTH_STATUSES = new Set([100, 101]);
const PRODUCT_TOTALS = new Set(['総額', '全品目', '品目計', '全商品']);

/**
 * The params each planned request was made for. The adapter contract's `read` gets the answer and
 * its request but not the source's params, which say how to read it (`classes`, `flow`,
 * `reporter`); `plan` and `read` note them here for the requests they return. A WeakMap, so a
 * finished pull leaves nothing behind. `read`'s optional fourth argument takes precedence.
 */
const planned = new WeakMap<ApiRequest, EstatParams>();

export const estat = {
  type: 'estat',

  plan(base: string, params: EstatParams): ApiRequest[] {
    if (params.app_id.trim() === '') {
      throw new UserError('api.app_id is empty: e-Stat needs an application ID; register at https://www.e-stat.go.jp/api/ and set ESTAT_APP_ID, or set enabled: false');
    }
    const url = new URL(`${base.replace(/\/+$/, '')}/getStatsData`);
    const q = url.searchParams;
    q.set('appId', params.app_id);
    q.set('statsDataId', params.stats_data_id);
    q.set('metaGetFlg', 'Y');
    q.set('cntGetFlg', 'N');
    q.set('sectionHeaderFlg', '1');
    q.set('limit', String(params.limit));
    for (const [key, value] of Object.entries(params.query)) q.set(key, Array.isArray(value) ? value.join(',') : value);
    const request: ApiRequest = { url: url.toString(), label: `statsDataId ${params.stats_data_id}` };
    planned.set(request, params);
    return [request];
  },

  read(body: unknown, request: ApiRequest, ctx: ApiReadContext, params?: EstatParams): ApiPageResult {
    const p = params ?? planned.get(request) ?? defaultsFor(request);
    const out = readPage(body, request, ctx, p);
    for (const n of out.next) planned.set(n, p);
    return out;
  },
} satisfies ApiAdapter<EstatParams>;

/** The default reading of a request not planned here (e.g. replayed from an archive). */
function defaultsFor(request: ApiRequest): EstatParams {
  let id = '0000000000';
  try {
    id = new URL(request.url).searchParams.get('statsDataId') ?? id;
  } catch {
    // an unparseable URL keeps the placeholder id; the answer decides the rest
  }
  return { type: 'estat', app_id: '', stats_data_id: id, query: {}, classes: { ...DEFAULT_CLASSES }, reporter: 'JPN', limit: 100000 };
}

interface EstatClass {
  code: string;
  name: string;
  unit?: string;
}

function readPage(body: unknown, request: ApiRequest, ctx: ApiReadContext, params: EstatParams): ApiPageResult {
  const fail = (what: string, todo: string): never => {
    throw new UserError(oneLine(`${ctx.sourceId}: ${ctx.url}: ${what}; ${todo}`));
  };
  const shape = (what: string): never =>
    fail(`unexpected e-Stat answer: ${what}`, 'check that the source url is the e-Stat JSON API root (https://api.e-stat.go.jp/rest/3.0/app/json)');

  const root = obj(obj(body)?.GET_STATS_DATA);
  if (!root) return shape('no GET_STATS_DATA');
  const result = obj(root.RESULT);
  const status = result ? toInt(result.STATUS) : null;
  if (status === null) return shape('no GET_STATS_DATA.RESULT.STATUS');
  const message = typeof result?.ERROR_MSG === 'string' ? result.ERROR_MSG.trim() : '';

  if (status === 1) return { records: [], next: [], empty: message || 'no data for this query', stable: stableBody(body) };
  if (status !== 0 && status !== 2) {
    const todo = AUTH_STATUSES.has(status) || message.includes('アプリケーションID')
      ? 'set ESTAT_APP_ID to your e-Stat application ID (https://www.e-stat.go.jp/api/)'
      : 'check api.stats_data_id and api.query against the table on https://www.e-stat.go.jp';
    return fail(`e-Stat answered status ${status} "${message}"`, todo);
  }
  const warnings = status === 2 ? [oneLine(`e-Stat answered status 2 "${message}": some values may be missing`)] : [];

  const data = obj(root.STATISTICAL_DATA);
  if (!data) return shape('status 0 without STATISTICAL_DATA');
  const classInf = obj(data.CLASS_INF);
  if (!classInf) return shape('no CLASS_INF (metaGetFlg=Y must be sent)');
  const classes = new Map<string, Map<string, EstatClass>>();
  for (const o of list(classInf.CLASS_OBJ)) {
    const co = obj(o);
    const id = co ? str(co['@id']) : null;
    if (!co || !id) return shape('a CLASS_OBJ without @id');
    const byCode = new Map<string, EstatClass>();
    for (const c of list(co.CLASS)) {
      const cl = obj(c);
      const code = cl ? str(cl['@code']) : null;
      if (!cl || code === null) return shape(`a CLASS of ${id} without @code`);
      const entry: EstatClass = { code, name: str(cl['@name']) ?? code };
      const unit = str(cl['@unit']);
      if (unit) entry.unit = unit;
      byCode.set(code, entry);
    }
    classes.set(id, byCode);
  }

  const mapping = params.classes;
  for (const [dim, id] of Object.entries(mapping) as [string, string | null][]) {
    if (id !== null && !classes.has(id)) {
      const known = [...classes.keys()].join(', ');
      fail(`table ${params.stats_data_id} has no classification "${id}" (it has ${known})`, `set api.classes.${dim} to the class that holds the ${dim}`);
    }
  }
  if (mapping.flow === null && params.flow === undefined) fail('api.classes.flow is null and api.flow is not set', 'set api.flow to export or import');

  const dataInf = obj(data.DATA_INF);
  if (!dataInf) return shape('status 0 without DATA_INF');
  const markers = new Map<string, string>();
  for (const n of list(dataInf.NOTE)) {
    const char = str(obj(n)?.['@char']);
    if (char) markers.set(char, str(obj(n)?.$) ?? char);
  }

  const records: SourceRecord[] = [];
  list(dataInf.VALUE).forEach((v, i) => {
    const value = obj(v);
    const cell = `${ctx.page}/VALUE[${i}]`;
    if (!value) {
      shape(`VALUE[${i}] is not an object`);
      return;
    }
    records.push(readValue(value, cell, classes, markers, params));
  });

  const next: ApiRequest[] = [];
  const info = obj(data.RESULT_INF);
  const nextKey = info ? toInt(info.NEXT_KEY) : null;
  if (info && info.NEXT_KEY !== undefined && info.NEXT_KEY !== null) {
    const from = toInt(info.FROM_NUMBER) ?? 1;
    if (nextKey === null || nextKey <= from) return shape(`NEXT_KEY ${String(info.NEXT_KEY)} does not move past FROM_NUMBER ${from}`);
    const url = new URL(request.url);
    url.searchParams.set('startPosition', String(nextKey));
    next.push({ url: url.toString(), label: `statsDataId ${params.stats_data_id} from ${nextKey}`, ...(request.headers ? { headers: request.headers } : {}) });
  }

  const out: ApiPageResult = { records, next, stable: stableBody(body) };
  if (warnings.length > 0) out.warnings = warnings;
  return out;
}

function readValue(
  value: Record<string, unknown>,
  cell: string,
  classes: Map<string, Map<string, EstatClass>>,
  markers: Map<string, string>,
  params: EstatParams,
): SourceRecord {
  const errors: string[] = [];
  const lookup = (id: string | null): EstatClass | null => {
    if (id === null) return null;
    const code = str(value[`@${id}`]);
    if (code === null) {
      errors.push(`the value has no ${id} code`);
      return null;
    }
    const found = classes.get(id)?.get(code);
    // A code missing from CLASS_INF is kept as its own label, so the reject names it.
    return found ?? { code, name: code };
  };
  const map = params.classes;
  const partner = lookup(map.partner);
  const flow = lookup(map.flow);
  const productClass = lookup(map.product);
  const time = lookup(map.period);
  const tabCode = str(value['@tab']);
  const tab = tabCode === null ? undefined : classes.get('tab')?.get(tabCode);

  const dims: SourceRecord['dims'] = { reporter: params.reporter };
  if (partner) dims.partner = partner.name;
  if (flow) dims.flow = flow.name;
  else if (params.flow) dims.flow = params.flow;
  if (time) dims.period = periodOf(time);
  if (tab) dims.measure = tab.name;
  if (productClass) {
    const product = productOf(productClass);
    if (product) dims.product = product;
    else errors.push(`product "${productClass.name}" is not an HS chapter, heading or subheading, nor a total: filter it out with api.query`);
  } else if (map.product === null) {
    dims.product = 'TOTAL';
  }

  const raw = typeof value.$ === 'string' || typeof value.$ === 'number' ? value.$ : null;
  const unit = str(value['@unit']) ?? tab?.unit ?? null;
  const record: SourceRecord = {
    cell,
    dims,
    raw,
    value: null,
    unit,
    total: partner ? isTotalLabel(partner.name) : false,
    indent: 0,
    illustrative: false,
  };
  const text = typeof raw === 'string' ? raw.trim() : raw;
  if (typeof text === 'string' && markers.has(text)) {
    record.missing = text;
  } else {
    const parsed = parseNumber(text);
    record.value = parsed.value;
    if (parsed.missing !== undefined) record.missing = parsed.missing;
    if (parsed.error !== undefined) record.error = parsed.error;
    if (parsed.mark !== undefined) record.mark = parsed.mark;
  }
  if (errors.length > 0 && record.value !== null) {
    record.value = null;
    record.error = errors.join('; ');
  }
  return record;
}

/** `HS 27` from `27 鉱物性燃料…`, `第27類`, `２７_…` or a 2/4/6-digit class code; `TOTAL` for a total; else null. */
function productOf(c: EstatClass): string | null {
  const name = c.name.normalize('NFKC').trim();
  // A total may carry a code of its own (`00 総額`, `000_合計`).
  const bare = name.replace(/^[\d\s_.:-]+(?=\D)/, '');
  if (PRODUCT_TOTALS.has(bare) || isTotalLabel(bare)) return 'TOTAL';
  const m = /^(?:第\s*)?(\d{2}|\d{4}|\d{6})(?:\s*類)?(?=$|[\s_.:：、,)）])/.exec(name);
  if (m) return hsCode(m[1]!);
  // e-Stat's own class codes are arbitrary; one is read as HS only when the name has no code.
  if (!/^\d/.test(name)) return hsCode(c.code);
  return null;
}

/** `HS 27` for a 2/4/6-digit code in an existing HS chapter (01–97, not 77), else null. */
function hsCode(code: string): string | null {
  if (!/^(?:\d{2}|\d{4}|\d{6})$/.test(code)) return null;
  const chapter = Number(code.slice(0, 2));
  return chapter >= 1 && chapter <= 97 && chapter !== 77 ? `HS ${code}` : null;
}

/** The time class's name when it reads as a period, else one built from e-Stat's 10-digit time code. */
function periodOf(c: EstatClass): string {
  if (parsePeriod(c.name)) return c.name;
  const m = /^(\d{4})00(\d{2})(\d{2})$/.exec(c.code);
  if (!m) return c.name;
  const [, year, from, to] = m as unknown as [string, string, string, string];
  if (from === '00' && to === '00') return `${year}年`;
  const a = Number(from);
  const b = Number(to);
  return a === b ? `${year}年${a}月` : `${year}年${a}-${b}月`;
}

/** The body without RESULT.DATE, which changes on every call. */
function stableBody(body: unknown): unknown {
  const root = obj(obj(body)?.GET_STATS_DATA);
  const result = root ? obj(root.RESULT) : null;
  if (!root || !result) return body;
  const { DATE: _date, ...rest } = result;
  return { ...(body as Record<string, unknown>), GET_STATS_DATA: { ...root, RESULT: rest } };
}

function obj(v: unknown): Record<string, unknown> | null {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

/** e-Stat writes a single element as an object, several as an array, none as nothing. */
function list(v: unknown): unknown[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

function str(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return null;
}

function toInt(v: unknown): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : NaN;
  return Number.isInteger(n) ? n : null;
}

function oneLine(s: string): string {
  return s.replace(/\s*[\r\n]+\s*/g, ' ');
}
