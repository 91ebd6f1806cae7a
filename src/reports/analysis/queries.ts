// Dialect-agnostic reads of the warehouse for the briefs. Every query returns one row per fact —
// the same fact from several sources resolved to the source with the highest config `priority` —
// and every row carries its provenance and illustrative flag, so nothing downstream has to go back
// to the database to say where a number came from. The losing sources are not thrown away: when
// they disagree with the winner by more than 0.5% they travel with the row as `overruled`, so the
// brief can say so next to the figure.
import type { Kysely } from 'kysely';
import type { SourceConfig } from '../../config/schema.js';
import { FACT_KEYS, type Database } from '../../warehouse/database.js';
import { parseUnit } from '../../pipelines/lexicon/index.js';
import type { Provenance } from '../document.js';

/**
 * Source id → priority, higher wins. Iteration order is the tie-break (earlier wins), so build it
 * from the config in config order (`sourcePriority`). Sources missing from the map rank below every
 * listed one — a row left by a source since removed from the config must not beat a configured one.
 */
export type SourcePriority = ReadonlyMap<string, number>;

/** The priority map for `sources`, in config order (the tie-break). */
export function sourcePriority(sources: readonly Pick<SourceConfig, 'id' | 'priority'>[]): Map<string, number> {
  return new Map(sources.map((s) => [s.id, s.priority ?? 0]));
}

/** Relative difference above which two sources are said to disagree (0.5%). */
export const DISAGREEMENT_THRESHOLD = 0.005;

/** A lower-priority source's value for a fact, kept because it differs from the one used. */
export interface Overruled {
  source_id: string;
  /** The comparable value (US$ for money, else as published). */
  value: number | null;
  provenance: Provenance;
}

type FactTable = 'trade_flow' | 'investment_flow' | 'indicator';

/** One resolved annual fact. */
export interface ResolvedFact {
  table: FactTable;
  /** `2019`. */
  period: string;
  year: number;
  /** The value as published. */
  value: number;
  unit: string;
  currency: string | null;
  /** Plain US dollars; null when not money or not convertible (never 0). */
  value_usd: number | null;
  /** `value` in whole units of `currency` (万元 × 1e4 …); null when the unit is not money or unknown. */
  value_native: number | null;
  illustrative: boolean;
  provenance: Provenance;
  /** Lower-priority sources that give a value more than 0.5% away from this one. */
  overruled: Overruled[];
}

export interface TradeRow extends ResolvedFact {
  table: 'trade_flow';
  reporter: string;
  partner: string;
  flow: 'export' | 'import' | 'total';
  /** `TOTAL` or `HS:xxxx`. */
  product: string;
}

export interface InvestmentRow extends ResolvedFact {
  table: 'investment_flow';
  host: string;
  investor: string;
  measure: 'projects' | 'contracted' | 'utilized';
}

export interface IndicatorRow extends ResolvedFact {
  table: 'indicator';
  region: string;
  code: string;
}

export interface FxRow {
  currency: string;
  year: number;
  per_usd: number;
  provenance: Provenance;
}

/** A source as the brief's Data and methods section lists it: its latest loaded file. */
export interface SourceRun {
  source_id: string;
  /** Id of the latest `loaded` ingest run; null when the source never loaded. */
  run_id: number | null;
  sha256: string | null;
  fetched_at: string | null;
  url: string | null;
  finished_at: string | null;
  /** Publisher URLs cited in the file's notes, in order of appearance. */
  citations: string[];
}

type RawRow = Record<string, unknown> & {
  period: string;
  source_id: string;
  value: number;
  unit: string;
  currency: string | null;
  value_usd: number | null;
  illustrative: number | boolean;
  run_id: number;
  cell: string;
};

const YEAR = /^\d{4}$/;

/** Sort key of a source: higher priority first, then config order, then id (for unknown sources). */
function rankSources(priority: SourcePriority): (a: string, b: string) => number {
  const order = new Map([...priority.keys()].map((id, i) => [id, i]));
  return (a, b) => {
    const pa = priority.get(a) ?? Number.NEGATIVE_INFINITY;
    const pb = priority.get(b) ?? Number.NEGATIVE_INFINITY;
    if (pa !== pb) return pb - pa;
    const oa = order.get(a) ?? Number.MAX_SAFE_INTEGER;
    const ob = order.get(b) ?? Number.MAX_SAFE_INTEGER;
    if (oa !== ob) return oa - ob;
    return a < b ? -1 : a > b ? 1 : 0;
  };
}

/** The value two sources are compared on: US$ when both are money, else the published value in one unit. */
function comparable(a: RawRow, b: RawRow): [number, number] | null {
  if (a.value_usd !== null && b.value_usd !== null) return [Number(a.value_usd), Number(b.value_usd)];
  if (a.unit === b.unit) return [Number(a.value), Number(b.value)];
  return null;
}

function disagree(x: number, y: number): boolean {
  if (x === y) return false;
  const base = Math.max(Math.abs(x), Math.abs(y));
  return base > 0 && Math.abs(x - y) / base > DISAGREEMENT_THRESHOLD;
}

function provenanceOf(table: FactTable, row: RawRow): Provenance {
  // The full natural key (source included) is what `revision.key` holds, so the two join.
  const key = FACT_KEYS[table].map((k) => String(row[k])).join('|');
  return { table, source_id: row.source_id, cell: row.cell, run_id: row.run_id === null ? null : Number(row.run_id), key };
}

function nativeValue(row: RawRow): number | null {
  if (row.currency === null) return null;
  const unit = parseUnit(row.unit);
  if (!unit || unit.kind !== 'money') return null;
  return Number(row.value) * unit.scale;
}

/**
 * Groups rows by their key without the source, keeps the best-ranked source's row, and records the
 * others that disagree with it.
 */
function resolve<T extends ResolvedFact>(table: FactTable, rows: RawRow[], priority: SourcePriority, extra: (r: RawRow) => Omit<T, keyof ResolvedFact>): T[] {
  const keyCols = FACT_KEYS[table].filter((k) => k !== 'source_id');
  const groups = new Map<string, RawRow[]>();
  for (const row of rows) {
    if (!YEAR.test(String(row.period))) continue;
    const k = keyCols.map((c) => String(row[c])).join('|');
    const list = groups.get(k);
    if (list) list.push(row);
    else groups.set(k, [row]);
  }
  const order = rankSources(priority);
  const out: T[] = [];
  for (const list of groups.values()) {
    list.sort((a, b) => order(a.source_id, b.source_id));
    const best = list[0]!;
    const overruled: Overruled[] = [];
    for (const other of list.slice(1)) {
      const pair = comparable(best, other);
      if (pair && disagree(pair[0], pair[1])) overruled.push({ source_id: other.source_id, value: pair[1], provenance: provenanceOf(table, other) });
    }
    out.push({
      table,
      period: String(best.period),
      year: Number.parseInt(String(best.period), 10),
      value: Number(best.value),
      unit: best.unit,
      currency: best.currency,
      value_usd: best.value_usd === null ? null : Number(best.value_usd),
      value_native: nativeValue(best),
      illustrative: best.illustrative === true || Number(best.illustrative) === 1,
      provenance: provenanceOf(table, best),
      overruled,
      ...extra(best),
    } as T);
  }
  // A stable order makes snapshots and tables deterministic whatever order the database returns.
  return out.sort((a, b) => (a.provenance.key < b.provenance.key ? -1 : a.provenance.key > b.provenance.key ? 1 : 0));
}

/** Which product rows a trade query returns. */
export type ProductFilter = 'total' | 'hs' | 'all';

/**
 * Annual trade rows of the given reporters (all partners and flows unless narrowed), one per fact
 * after source priority. `products` defaults to `total` (the `TOTAL` rows).
 */
export async function queryTrade(
  db: Kysely<Database>,
  filter: { reporters: readonly string[]; partners?: readonly string[]; products?: ProductFilter },
  priority: SourcePriority,
): Promise<TradeRow[]> {
  if (filter.reporters.length === 0) return [];
  // The brief's analysis is of exports, imports and total trade; re-export rows (which exports
  // already include) are not part of it.
  let q = db.selectFrom('trade_flow').selectAll().where('period_kind', '=', 'year').where('reporter', 'in', [...filter.reporters]).where('flow', 'in', ['export', 'import', 'total']);
  if (filter.partners) {
    if (filter.partners.length === 0) return [];
    q = q.where('partner', 'in', [...filter.partners]);
  }
  const products = filter.products ?? 'total';
  if (products === 'total') q = q.where('product', '=', 'TOTAL');
  else if (products === 'hs') q = q.where('product', 'like', 'HS:%');
  const rows = (await q.execute()) as unknown as RawRow[];
  return resolve<TradeRow>('trade_flow', rows, priority, (r) => ({
    table: 'trade_flow',
    reporter: String(r.reporter),
    partner: String(r.partner),
    flow: r.flow as TradeRow['flow'],
    product: String(r.product),
  }));
}

/** Annual investment rows hosted by `hosts` (every investor and measure unless narrowed). */
export async function queryInvestment(
  db: Kysely<Database>,
  filter: { hosts: readonly string[]; investors?: readonly string[] },
  priority: SourcePriority,
): Promise<InvestmentRow[]> {
  if (filter.hosts.length === 0) return [];
  let q = db.selectFrom('investment_flow').selectAll().where('period_kind', '=', 'year').where('host', 'in', [...filter.hosts]);
  if (filter.investors) {
    if (filter.investors.length === 0) return [];
    q = q.where('investor', 'in', [...filter.investors]);
  }
  const rows = (await q.execute()) as unknown as RawRow[];
  return resolve<InvestmentRow>('investment_flow', rows, priority, (r) => ({
    table: 'investment_flow',
    host: String(r.host),
    investor: String(r.investor),
    measure: r.measure as InvestmentRow['measure'],
  }));
}

/** Annual indicator rows (`gdp`, `gdp_real_growth_pct`, …) of `regions`, every code unless narrowed. */
export async function queryIndicators(
  db: Kysely<Database>,
  filter: { regions: readonly string[]; codes?: readonly string[] },
  priority: SourcePriority,
): Promise<IndicatorRow[]> {
  if (filter.regions.length === 0) return [];
  let q = db.selectFrom('indicator').selectAll().where('period_kind', '=', 'year').where('region', 'in', [...filter.regions]);
  if (filter.codes) {
    if (filter.codes.length === 0) return [];
    q = q.where('code', 'in', [...filter.codes]);
  }
  const rows = (await q.execute()) as unknown as RawRow[];
  return resolve<IndicatorRow>('indicator', rows, priority, (r) => ({ table: 'indicator', region: String(r.region), code: String(r.code) }));
}

/** Annual FX rates of `currency` (units per US$), one per year after source priority. */
export async function queryFxRates(db: Kysely<Database>, currency: string, priority: SourcePriority): Promise<FxRow[]> {
  const rows = await db.selectFrom('fx_rate').selectAll().where('currency', '=', currency).execute();
  const order = rankSources(priority);
  const best = new Map<number, (typeof rows)[number]>();
  for (const row of rows) {
    if (!YEAR.test(row.period)) continue;
    const year = Number.parseInt(row.period, 10);
    const seen = best.get(year);
    if (!seen || order(row.source_id, seen.source_id) < 0) best.set(year, row);
  }
  return [...best.entries()]
    .sort(([a], [b]) => a - b)
    .map(([year, r]) => ({
      currency: r.currency,
      year,
      per_usd: Number(r.per_usd),
      provenance: { table: 'fx_rate', source_id: r.source_id, cell: r.cell, run_id: Number(r.run_id), key: FACT_KEYS.fx_rate.map((k) => String(r[k])).join('|') },
    }));
}

/**
 * Every source that has loaded at least once (or is named in `ids`), with its latest `loaded`
 * ingest run and the file that run read. Sources named in `ids` that never loaded come back with
 * nulls, so the brief can list them as configured but empty. Ordered by `ids`, then by source id.
 */
export async function querySources(db: Kysely<Database>, ids: readonly string[] = []): Promise<SourceRun[]> {
  // Both tables are small (one row per run / per file version): reducing in JS keeps this portable.
  const runs = await db
    .selectFrom('ingest_run')
    .select(['id', 'source_id', 'sha256', 'finished_at'])
    .where('status', '=', 'loaded')
    .orderBy('id')
    .execute();
  const latest = new Map<string, (typeof runs)[number]>();
  for (const run of runs) latest.set(run.source_id, run);
  const files = await db.selectFrom('source_file').select(['source_id', 'sha256', 'url', 'fetched_at', 'notes']).execute();
  const fileOf = new Map(files.map((f) => [`${f.source_id}|${f.sha256}`, f]));
  const order = [...new Set([...ids, ...[...latest.keys()].sort()])];
  return order.map((source_id) => {
    const run = latest.get(source_id);
    const file = run?.sha256 ? fileOf.get(`${source_id}|${run.sha256}`) : undefined;
    return {
      source_id,
      run_id: run ? Number(run.id) : null,
      sha256: run?.sha256 ?? null,
      fetched_at: file?.fetched_at ?? null,
      url: file?.url ?? null,
      finished_at: run?.finished_at ?? null,
      citations: citationsIn(file?.notes ?? null),
    };
  });
}

/** The http(s) URLs in a file's stored note lines, de-duplicated, in order. */
export function citationsIn(notes: string | null): string[] {
  if (!notes) return [];
  let lines: unknown;
  try {
    lines = JSON.parse(notes);
  } catch {
    return [];
  }
  if (!Array.isArray(lines)) return [];
  const urls: string[] = [];
  for (const line of lines) {
    if (typeof line !== 'string') continue;
    // Chinese notes run URLs into full-width punctuation: stop at whitespace, CJK brackets and separators.
    for (const m of line.matchAll(/https?:\/\/[^\s;；，,（）()【】「」]+/g)) {
      const url = m[0].replace(/[.。、]+$/, '');
      if (!urls.includes(url)) urls.push(url);
    }
  }
  return urls;
}
