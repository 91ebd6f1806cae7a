// UN Comtrade (comtradeapi.un.org, API v1): China's merchandise trade by partner, flow and HS chapter,
// the national comparator for the trade intensity index and the product data for RCA.
//
// Decisions:
// - Endpoint: without a key, the public preview `{base}/public/v1/preview/C/{freq}/HS` (at most 500
//   records a call); with one, `{base}/data/v1/get/C/{freq}/HS` and the key in the
//   Ocp-Apim-Subscription-Key header (never in the URL, so it never reaches a log or the archive).
// - Totals only: every request asks for customsCode=C00, motCode=0 and partner2Code=0, and `read`
//   still keeps only such rows. A breakdown row (a customs procedure, a mode of transport, a second
//   partner) is skipped, never summed; a key that has breakdowns but no total row loads nothing and
//   says so, because the sum of the parts Comtrade happens to return is not the published total.
// - The record cap: requests are planned from an upper bound of the rows they can return (one per
//   reporter × partner × flow × period × product, chapters counted as 99) so none reaches the cap.
//   An answer that still reaches it is incomplete: it is archived but not loaded, and is split in
//   two via `next` (a warning); an answer that cannot be split fails. Never a truncated load.
// - HS vintages: `classificationCode=HS` returns each reporter-year in the vintage it reported
//   (China: H5 for 2017–2021, H6 from 2022). Two-digit chapters are the same in every vintage
//   H0…H6, so a chapter series across years is comparable; four- and six-digit codes are not
//   (headings are split, merged and renumbered between vintages) and the warehouse has no
//   correspondence tables, so the adapter asks for chapters only and skips finer rows with a warning.
//   When one key comes in two vintages the originally reported one wins (isOriginalClassification).
// - Flows: exports (X) and imports (M). Re-exports and re-imports (RX, RM) are left out unless asked
//   for: under the general trade system X and M already include them, so loading them beside X/M
//   would count them twice. When asked for they keep their own label (`Re-exports`) and load as
//   the warehouse's `re-export`/`re-import` flows, which the brief's analysis leaves out.
// - Countries: params use warehouse codes (ISO3, WLD); Comtrade's area codes are M49 except where
//   Comtrade keeps its own (COMTRADE_CODES). Taiwan has no code of its own in Comtrade (its trade is
//   published as 490 "Other Asia, nes"), so TWN is refused rather than silently mapped.
import * as z from 'zod';
import { ConfigError, UserError } from '../../errors.js';
import { loadReference, type Reference } from '../reference.js';
import type { SourceRecord } from '../types.js';
import type { ApiAdapter, ApiPageResult, ApiReadContext, ApiRequest } from './types.js';

const FLOW_CODES = ['X', 'M', 'RX', 'RM'] as const;
type FlowCode = (typeof FLOW_CODES)[number];

/** How a flow code reads in the pipeline's terms (what parseFlow understands). */
const FLOW_LABELS: Record<FlowCode, string> = { X: 'Exports', M: 'Imports', RX: 'Re-exports', RM: 'Re-imports' };

/** The preview endpoint's documented cap; the subscription endpoint's per-call limit. */
export const PREVIEW_MAX_RECORDS = 500;
export const KEYED_MAX_RECORDS = 100_000;

/** An upper bound of the rows `AG2` returns per reporter, partner, flow and period. */
const AG2_ROWS = 99;
/** The chapters `AG2` stands for when it must be split: 01–97 and 99 (77 is reserved, 98 is for national use). */
const ALL_CHAPTERS = Array.from({ length: 99 }, (_, i) => String(i + 1).padStart(2, '0')).filter((c) => c !== '77' && c !== '98');

/**
 * Comtrade's area codes where they are not the M49 code in countries.csv. Comtrade keeps the
 * codes of the customs territories these countries report for (USA with Puerto Rico and the US
 * Virgin Islands, France with Monaco, India and Switzerland and Norway as reported), and World is 0.
 */
export const COMTRADE_CODES: Readonly<Record<string, number>> = {
  WLD: 0,
  USA: 842,
  FRA: 251,
  IND: 699,
  CHE: 757,
  NOR: 579,
};

/** Warehouse codes Comtrade has no area for, and what to do instead. */
const NO_COMTRADE_CODE: Readonly<Record<string, string>> = {
  TWN: 'Comtrade publishes Taiwan only inside 490 "Other Asia, nes", which is not the same thing; use a Taiwan source instead',
};

const warehouseCode = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO3 code such as JPN, or WLD for the world');
const product = z.union([
  z.literal('TOTAL').describe('All commodities.'),
  z.literal('AG2').describe('Every HS chapter (two-digit code).'),
  z.string().regex(/^\d{2}$/, 'must be TOTAL, AG2 or a two-digit HS chapter such as 27').describe('One HS chapter, e.g. 27.'),
]);
const year = z.number().int().min(1962).max(2100);

export const comtradeParams = z
  .strictObject({
    type: z.literal('comtrade').describe('UN Comtrade API v1 (comtradeapi.un.org); `url` is the API root, e.g. https://comtradeapi.un.org.'),
    reporters: z
      .array(warehouseCode)
      .min(1)
      .default(['CHN'])
      .describe('Reporting countries as warehouse codes (ISO3), e.g. [CHN]; default [CHN]. Mapped to Comtrade area codes.'),
    partners: z
      .array(warehouseCode)
      .min(1)
      .describe('Partner countries as warehouse codes (ISO3), WLD for the world, e.g. [JPN, RUS, KOR, WLD].'),
    flows: z
      .array(z.enum(FLOW_CODES))
      .min(1)
      .default(['X', 'M'])
      .describe('Flow codes: X exports, M imports (default [X, M]); RX re-exports and RM re-imports only when asked for (X and M already include them); they load as the flows re-export and re-import.'),
    products: z
      .union([product, z.array(product).min(1)])
      .default(['TOTAL'])
      .describe('TOTAL (all commodities), AG2 (every HS chapter) and/or two-digit chapters, e.g. [TOTAL, AG2]; default [TOTAL]. Finer codes are not comparable across HS vintages.'),
    years: z
      .union([
        z
          .string()
          .regex(/^\d{4}:\d{4}$/, 'must be FIRST:LAST, e.g. 2015:2024')
          .refine((s) => Number(s.slice(0, 4)) <= Number(s.slice(5)), 'the first year must not be after the last')
          .describe('A range of years, FIRST:LAST, e.g. 2015:2024.'),
        year.describe('One year, e.g. 2023.'),
        z.array(year).min(1).describe('A list of years, e.g. [2022, 2023].'),
      ])
      .describe('The years to pull: a range "2015:2024", one year or a list.'),
    frequency: z
      .enum(['A', 'M'])
      .default('A')
      .describe('A annual (default) or M monthly (each year becomes its twelve months, twelve times the records).'),
    key: z
      .string()
      .optional()
      .describe('Comtrade subscription key, e.g. ${COMTRADE_API_KEY:-}; empty or absent uses the keyless preview endpoint (500 records a call).'),
    max_records: z
      .number()
      .int()
      .min(1)
      .max(250_000)
      .optional()
      .describe('Most records one call may return; default 500 without a key (the preview endpoint\'s cap, also its maximum) and 100000 with one. Requests are planned to stay under it.'),
  })
  .describe('UN Comtrade: trade by reporter, partner, flow, HS chapter and year.');
export type ComtradeParams = z.infer<typeof comtradeParams>;

/** One planned query, in Comtrade's own codes. */
interface Query {
  reporters: number[];
  partners: number[];
  flows: FlowCode[];
  /** `2023` (annual) or `202301` (monthly). */
  periods: string[];
  /** `TOTAL`, `AG2` or two-digit chapters. */
  cmds: string[];
}

/** The Comtrade area code of a warehouse code, or null when the reference has no M49 for it. */
export function comtradeCode(reference: Reference, code: string): number | null {
  const special = COMTRADE_CODES[code];
  if (special !== undefined) return special;
  const m49 = reference.entry(code)?.m49;
  return m49 && /^\d{1,3}$/.test(m49) ? Number(m49) : null;
}

function yearsOf(years: ComtradeParams['years']): number[] {
  if (typeof years === 'number') return [years];
  if (Array.isArray(years)) return [...new Set(years)].sort((a, b) => a - b);
  const from = Number(years.slice(0, 4));
  const to = Number(years.slice(5));
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

function productList(products: ComtradeParams['products']): string[] {
  const list = [...new Set(Array.isArray(products) ? products : [products])];
  // AG2 already returns every chapter: asking for one again would return it twice.
  return list.includes('AG2') ? list.filter((p) => p === 'TOTAL' || p === 'AG2') : list;
}

/** An upper bound of the rows a query can return when only totals are asked for. */
function estimate(q: Query): number {
  const cmds = q.cmds.reduce((n, c) => n + (c === 'AG2' ? AG2_ROWS : 1), 0);
  return q.reporters.length * q.partners.length * q.flows.length * q.periods.length * cmds;
}

/** Halves a query along the first dimension that has more than one value; null when it cannot be split. */
function halve(q: Query): [Query, Query] | null {
  const dims = ['periods', 'partners', 'flows', 'reporters', 'cmds'] as const;
  for (const dim of dims) {
    const values: readonly (string | number)[] = q[dim];
    if (values.length < 2) continue;
    const mid = Math.ceil(values.length / 2);
    return [
      { ...q, [dim]: values.slice(0, mid) },
      { ...q, [dim]: values.slice(mid) },
    ];
  }
  if (q.cmds.length === 1 && q.cmds[0] === 'AG2') {
    // All chapters in one call: name them, so the list can be halved.
    const mid = Math.ceil(ALL_CHAPTERS.length / 2);
    return [
      { ...q, cmds: ALL_CHAPTERS.slice(0, mid) },
      { ...q, cmds: ALL_CHAPTERS.slice(mid) },
    ];
  }
  return null;
}

function chunk(q: Query, cap: number): Query[] {
  if (estimate(q) <= cap) return [q];
  const halves = halve(q);
  if (!halves) return [q];
  return [...chunk(halves[0], cap), ...chunk(halves[1], cap)];
}

/** The part of a request URL before the query: `{base}/public/v1/preview/C/A/HS`. */
function endpoint(base: string, keyed: boolean, frequency: 'A' | 'M'): string {
  const root = base.replace(/\/+$/, '');
  return `${root}/${keyed ? 'data/v1/get' : 'public/v1/preview'}/C/${frequency}/HS`;
}

function queryString(q: Query, cap: number): string {
  // Commas are left as they are: Comtrade's examples use them unescaped, and every value is a code.
  const params: [string, string][] = [
    ['reporterCode', q.reporters.join(',')],
    ['period', q.periods.join(',')],
    ['partnerCode', q.partners.join(',')],
    ['flowCode', q.flows.join(',')],
    ['cmdCode', q.cmds.join(',')],
    ['customsCode', 'C00'],
    ['motCode', '0'],
    ['partner2Code', '0'],
    ['maxRecords', String(cap)],
    ['format', 'JSON'],
    ['breakdownMode', 'classic'],
    ['includeDesc', 'true'],
  ];
  return params.map(([k, v]) => `${k}=${encodeURIComponent(v).replace(/%2C/g, ',')}`).join('&');
}

function label(q: Query, names: Map<number, string>): string {
  const area = (n: number) => names.get(n) ?? String(n);
  const periods = q.periods.length > 2 ? `${q.periods[0]}–${q.periods[q.periods.length - 1]}` : q.periods.join(',');
  const cmds = q.cmds.length > 4 ? `${q.cmds[0]}–${q.cmds[q.cmds.length - 1]}` : q.cmds.join(',');
  return `${q.reporters.map(area).join(',')}→${q.partners.map(area).join(',')} ${q.flows.join(',')} ${periods} ${cmds}`;
}

function request(prefix: string, q: Query, cap: number, headers: Record<string, string> | undefined, names: Map<number, string>): ApiRequest {
  const r: ApiRequest = { url: `${prefix}?${queryString(q, cap)}`, label: label(q, names) };
  if (headers) r.headers = { ...headers };
  return r;
}

/** Reads a planned query back from its URL (for splitting a capped answer). */
function parseRequest(url: string): { prefix: string; query: Query; cap: number } | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  const list = (name: string): string[] => (u.searchParams.get(name) ?? '').split(',').filter(Boolean);
  const nums = (name: string): number[] => list(name).map(Number).filter(Number.isInteger);
  const cap = Number(u.searchParams.get('maxRecords'));
  return {
    prefix: `${u.origin}${u.pathname}`,
    query: {
      reporters: nums('reporterCode'),
      partners: nums('partnerCode'),
      flows: list('flowCode').filter((f): f is FlowCode => (FLOW_CODES as readonly string[]).includes(f)),
      periods: list('period'),
      cmds: list('cmdCode'),
    },
    cap: Number.isInteger(cap) && cap > 0 ? cap : PREVIEW_MAX_RECORDS,
  };
}

function resolveArea(reference: Reference, code: string, key: 'reporters' | 'partners'): number {
  const instead = NO_COMTRADE_CODE[code];
  if (instead) throw new ConfigError(`api.${key}: ${code} has no Comtrade area code: ${instead}`);
  if (key === 'reporters' && code === 'WLD') {
    throw new ConfigError('api.reporters: WLD cannot report to Comtrade; list reporting countries such as CHN');
  }
  const n = comtradeCode(reference, code);
  if (n === null) {
    throw new ConfigError(`api.${key}: ${code} is not a country in data/reference/countries.csv (with an m49 code); use ISO3 codes such as JPN, or WLD for the world`);
  }
  return n;
}

// ─── read ────────────────────────────────────────────────────────────────────────────────────────

/** The fields of a Comtrade v1 data row the adapter reads (the row has many more). */
interface ComtradeRow {
  freqCode?: unknown;
  refYear?: unknown;
  refMonth?: unknown;
  period?: unknown;
  reporterCode?: unknown;
  reporterISO?: unknown;
  reporterDesc?: unknown;
  flowCode?: unknown;
  partnerCode?: unknown;
  partnerISO?: unknown;
  partnerDesc?: unknown;
  partner2Code?: unknown;
  classificationCode?: unknown;
  isOriginalClassification?: unknown;
  cmdCode?: unknown;
  customsCode?: unknown;
  motCode?: unknown;
  primaryValue?: unknown;
}

/**
 * The warehouse code of a row's area: World (0) is WLD; otherwise the row's ISO3 code when the
 * reference knows it and maps it back to the same Comtrade code (Comtrade's ISO fields also hold
 * its own codes, such as W00 for World or S19 for "Other Asia, nes"); else null.
 */
function areaCode(reference: Reference, code: unknown, iso: unknown): string | null {
  if (code === 0) return 'WLD';
  if (typeof code !== 'number' || typeof iso !== 'string' || !/^[A-Z]{3}$/.test(iso)) return null;
  const entry = reference.entry(iso);
  if (!entry || entry.kind !== 'country') return null;
  return comtradeCode(reference, iso) === code ? iso : null;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** True for the total row of a key: all customs procedures, all modes of transport, no second partner. */
function isTotalRow(row: ComtradeRow): boolean {
  // A field Comtrade leaves out (or null) is not broken down along it.
  const customs = row.customsCode ?? 'C00';
  const mot = row.motCode ?? 0;
  const partner2 = row.partner2Code ?? 0;
  return String(customs) === 'C00' && String(mot) === '0' && String(partner2) === '0';
}

/** `2023` for annual rows, `2023-06` for monthly ones; null when the row carries neither. */
function periodOf(row: ComtradeRow): string | null {
  const p = typeof row.period === 'string' || typeof row.period === 'number' ? String(row.period) : '';
  if (/^\d{6}$/.test(p)) return `${p.slice(0, 4)}-${p.slice(4)}`;
  if (/^\d{4}$/.test(p)) return p;
  if (typeof row.refYear === 'number') {
    const monthly = row.freqCode === 'M' && typeof row.refMonth === 'number' && row.refMonth >= 1 && row.refMonth <= 12;
    return monthly ? `${row.refYear}-${String(row.refMonth).padStart(2, '0')}` : String(row.refYear);
  }
  return null;
}

function sample(keys: string[]): string {
  return keys.length > 3 ? `${keys.slice(0, 3).join('; ')}; … (${keys.length} in all)` : keys.join('; ');
}

function readPage(reference: Reference, body: unknown, req: ApiRequest, ctx: ApiReadContext): ApiPageResult {
  const shape = (what: string) =>
    new UserError(`${ctx.sourceId}: ${ctx.url}: unexpected answer from Comtrade (${what}); check the source's url is the API root, e.g. https://comtradeapi.un.org`);
  if (!isObject(body)) throw shape('not a JSON object');
  if (typeof body.error === 'string' && body.error.trim() !== '') {
    const text = body.error.trim().replace(/\s+/g, ' ').slice(0, 300);
    throw new UserError(`${ctx.sourceId}: ${ctx.url}: Comtrade answered with an error: "${text}"; check the api block (codes, years, flows) against the Comtrade documentation`);
  }
  if (!('data' in body)) throw shape('no "data"');
  const data = body.data;
  if (!Array.isArray(data)) throw shape('"data" is not a list');
  const { elapsedTime: _elapsed, ...stable } = body;

  if (data.length === 0) {
    return { records: [], next: [], empty: `no data for ${req.label}`, stable };
  }

  const planned = parseRequest(req.url);
  const cap = planned?.cap ?? PREVIEW_MAX_RECORDS;
  const count = typeof body.count === 'number' ? body.count : data.length;
  if (count >= cap || data.length >= cap || count > data.length) {
    const halves = planned ? halve(planned.query) : null;
    if (!planned || !halves) {
      throw new UserError(
        `${ctx.sourceId}: ${ctx.url}: the answer was capped at ${cap} records, so it is incomplete and nothing was loaded; set COMTRADE_API_KEY (the keyed endpoint returns up to ${KEYED_MAX_RECORDS}) or narrow the query (fewer partners, years or products)`,
      );
    }
    const names = new Map<number, string>();
    for (const item of data) {
      if (!isObject(item)) continue;
      for (const [code, iso] of [[item.reporterCode, item.reporterISO], [item.partnerCode, item.partnerISO]] as const) {
        const known = areaCode(reference, code, iso);
        if (known && typeof code === 'number') names.set(code, known);
      }
    }
    return {
      records: [],
      next: halves.map((q) => request(planned.prefix, q, cap, req.headers, names)),
      warnings: [`${ctx.sourceId}: ${ctx.url}: the answer reached the ${cap}-record cap; not loaded, asked again in two smaller requests`],
      stable,
    };
  }

  const askedFlows = planned?.query.flows ?? [];
  const asked = new Set<string>(askedFlows.length > 0 ? askedFlows : ['X', 'M']);
  const area = (code: unknown, iso: unknown, desc: unknown): string =>
    // Not a country the warehouse knows: the publisher's own name, which normalise rejects by name.
    areaCode(reference, code, iso) ?? (typeof desc === 'string' && desc ? desc : `Comtrade area ${String(code)}`);

  const warnings: string[] = [];
  const leftOut = new Map<string, number>();
  const fine: string[] = [];
  let breakdowns = 0;
  const totals = new Map<string, { index: number; row: ComtradeRow }>();
  const brokenDown = new Set<string>();
  const keyLabel = new Map<string, string>();
  let vintageClash = 0;

  data.forEach((item, index) => {
    if (!isObject(item)) throw shape(`data[${index}] is not an object`);
    const row = item as ComtradeRow;
    const flow = typeof row.flowCode === 'string' ? row.flowCode : '';
    if (!asked.has(flow)) {
      leftOut.set(flow || '?', (leftOut.get(flow || '?') ?? 0) + 1);
      return;
    }
    const cmd = typeof row.cmdCode === 'string' || typeof row.cmdCode === 'number' ? String(row.cmdCode) : '';
    if (cmd !== 'TOTAL' && !/^\d{2}$/.test(cmd)) {
      fine.push(cmd || '?');
      return;
    }
    const period = periodOf(row);
    const key = `${String(row.reporterCode)}|${String(row.partnerCode)}|${flow}|${cmd}|${period ?? '?'}`;
    keyLabel.set(key, `${area(row.reporterCode, row.reporterISO, row.reporterDesc)}→${area(row.partnerCode, row.partnerISO, row.partnerDesc)} ${flow} ${cmd} ${period ?? '?'}`);
    if (!isTotalRow(row)) {
      breakdowns++;
      brokenDown.add(key);
      return;
    }
    const first = totals.get(key);
    if (first) {
      vintageClash++;
      // Two total rows for one key (two HS vintages): the one the reporter published wins.
      if (first.row.isOriginalClassification !== true && row.isOriginalClassification === true) totals.set(key, { index, row });
      return;
    }
    totals.set(key, { index, row });
  });

  const records: SourceRecord[] = [];
  for (const [, { index, row }] of totals) {
    const flow = row.flowCode as FlowCode;
    const cmd = String(row.cmdCode);
    const value = row.primaryValue;
    const rec: SourceRecord = {
      cell: `${ctx.page}/data[${index}]`,
      dims: {
        reporter: area(row.reporterCode, row.reporterISO, row.reporterDesc),
        partner: area(row.partnerCode, row.partnerISO, row.partnerDesc),
        flow: FLOW_LABELS[flow],
        product: cmd === 'TOTAL' ? 'TOTAL' : `HS ${cmd}`,
      },
      raw: typeof value === 'number' || typeof value === 'string' ? value : null,
      value: null,
      unit: 'US$',
      total: row.partnerCode === 0,
      indent: 0,
      illustrative: false,
    };
    const period = periodOf(row);
    if (period !== null) rec.dims.period = period;
    if (value === null || value === undefined) rec.missing = 'null';
    else if (typeof value === 'number' && Number.isFinite(value)) rec.value = value;
    else rec.error = `primaryValue is not a number: ${JSON.stringify(value)}`;
    records.push(rec);
  }

  if (leftOut.size > 0) {
    const what = [...leftOut].map(([f, n]) => `${n} ${FLOW_LABELS[f as FlowCode]?.toLowerCase() ?? `flow ${f}`} (${f})`).join(', ');
    warnings.push(`${ctx.sourceId}: ${ctx.url}: left out ${what} rows: flows not asked for in api.flows`);
  }
  if (fine.length > 0) {
    warnings.push(`${ctx.sourceId}: ${ctx.url}: skipped ${fine.length} rows with codes finer than an HS chapter (${sample([...new Set(fine)])}): not comparable across HS vintages`);
  }
  const noTotal = [...brokenDown].filter((k) => !totals.has(k));
  if (breakdowns > 0) {
    warnings.push(`${ctx.sourceId}: ${ctx.url}: skipped ${breakdowns} breakdown rows (by customs procedure, mode of transport or second partner); only totals are loaded`);
  }
  if (noTotal.length > 0) {
    warnings.push(
      `${ctx.sourceId}: ${ctx.url}: ${noTotal.length} keys have breakdown rows but no total row, so nothing was loaded for them (the parts need not add up to the total): ${sample(noTotal.map((k) => keyLabel.get(k) ?? k))}`,
    );
  }
  if (vintageClash > 0) {
    warnings.push(`${ctx.sourceId}: ${ctx.url}: ${vintageClash} values came twice (as in two HS vintages); kept the one in the reported classification`);
  }

  const result: ApiPageResult = { records, next: [], stable };
  if (warnings.length > 0) result.warnings = warnings;
  return result;
}

/**
 * The Comtrade adapter over a reference (the code lists); `reference` is called when first needed,
 * so importing this module (the config schema does) reads no files.
 */
export function comtradeAdapter(reference: () => Reference = () => loadReference()): ApiAdapter<ComtradeParams> {
  return {
    type: 'comtrade',
    plan(base: string, params: ComtradeParams): ApiRequest[] {
      const ref = reference();
      const key = params.key?.trim() ?? '';
      const keyed = key !== '';
      const endpointCap = keyed ? KEYED_MAX_RECORDS : PREVIEW_MAX_RECORDS;
      const cap = Math.min(params.max_records ?? endpointCap, keyed ? 250_000 : PREVIEW_MAX_RECORDS);
      const reporters = [...new Set(params.reporters)];
      const partners = [...new Set(params.partners)];
      const names = new Map<number, string>();
      const area = (code: string, which: 'reporters' | 'partners'): number => {
        const n = resolveArea(ref, code, which);
        names.set(n, code);
        return n;
      };
      const years = yearsOf(params.years);
      const periods =
        params.frequency === 'M'
          ? years.flatMap((y) => Array.from({ length: 12 }, (_, m) => `${y}${String(m + 1).padStart(2, '0')}`))
          : years.map(String);
      const query: Query = {
        reporters: reporters.map((c) => area(c, 'reporters')),
        partners: partners.map((c) => area(c, 'partners')),
        flows: [...new Set(params.flows)],
        periods,
        cmds: productList(params.products),
      };
      const headers = keyed ? { 'Ocp-Apim-Subscription-Key': key } : undefined;
      const prefix = endpoint(base, keyed, params.frequency);
      return chunk(query, cap).map((q) => request(prefix, q, cap, headers, names));
    },
    read(body: unknown, req: ApiRequest, ctx: ApiReadContext): ApiPageResult {
      return readPage(reference(), body, req, ctx);
    },
  };
}

export const comtrade: ApiAdapter<ComtradeParams> = comtradeAdapter();
