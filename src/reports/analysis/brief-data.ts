// The analysis of a subject–partner brief (the paper's five sections), computed from resolved
// warehouse facts with the pure maths of indicators.ts. `buildBriefData` is pure — facts in, analysis
// out — so it is tested without a database; `gatherBriefData` is the one call that queries first.
//
// Every number is a `Metric`: a value (null when the loaded sources lack it, never 0), the unit, the
// period, the formula for derived numbers, the illustrative flag and the warehouse rows behind it.
// Labels are not here: they are language, and compose takes them from the catalogue by `kind`.
import type { Kysely } from 'kysely';
import type { BriefConfig, SourceConfig } from '../../config/schema.js';
import type { Database } from '../../warehouse/database.js';
import type { Provenance, SourceEntry } from '../document.js';
import type { HsSection } from '../../pipelines/reference.js';
import {
  balance,
  dependence,
  growth,
  hhi,
  hhiNormalised,
  openness,
  rankOf,
  rca,
  rcaInMarket,
  seriesCagr,
  share,
  topN,
  tradeComplementarity,
  tradeIntensity,
  untappedPotential,
  gapPercentagePoints,
  yearsCovered,
  type DependenceLevel,
  type Series,
} from './indicators.js';
import type { FORMULAS } from './indicators.js';
import {
  queryFxRates,
  queryIndicators,
  queryInvestment,
  querySources,
  queryTrade,
  sourcePriority,
  type FxRow,
  type IndicatorRow,
  type InvestmentRow,
  type Overruled,
  type ResolvedFact,
  type TradeRow,
} from './queries.js';

/** The catalogue key of a metric's label; compose turns it into words. */
/** Fewest partner countries a year must list before partners are ranked and concentration computed. */
export const MIN_PARTNERS_RANKED = 3;

export type MetricKind =
  | 'trade.total'
  | 'trade.exports'
  | 'trade.imports'
  | 'trade.balance'
  | 'trade.growth'
  | 'trade.cagr'
  | 'trade.share'
  | 'trade.rank'
  | 'trade.benchmarkShare'
  | 'tii'
  | 'untapped.expected'
  | 'untapped.gap'
  | 'hhi'
  | 'hhiNormalised'
  | 'gdp.usd'
  | 'gdp.cny'
  | 'gdp.growth'
  | 'gdp.perCapita'
  | 'openness'
  | 'investment.projects'
  | 'investment.contracted'
  | 'investment.utilized'
  | 'investment.share'
  | 'rca'
  | 'rcaInMarket'
  | 'product.share'
  | 'complementarity'
  | 'growthGap';

export type FormulaKey = keyof typeof FORMULAS;

/** A conflict between the source used and a lower-priority one (> 0.5% apart). */
export interface Conflict {
  /** The fact's key without the source. */
  metricId: string;
  used: { source_id: string; value: number | null };
  other: Overruled;
}

/** One number of the analysis. */
export interface Metric {
  /** Stable, language-free id, e.g. `trade.CN-HL.JPN.total.2019`. */
  id: string;
  kind: MetricKind;
  /** Reporter, host or region the number is about. */
  region: string;
  /**
   * Partner, investor or product (`HS:27`), when the number has one. The subject-level product
   * analysis puts the product here; the national one keeps the partner here and uses `product`.
   */
  partner?: string;
  /** HS product (`HS:85`) of a number that also has a partner, e.g. China's exports to Japan of chapter 85. */
  product?: string;
  value: number | null;
  /** `USD`, `CNY`, `%`, `pp`, `index`, `rank`, `projects`. */
  unit: string;
  /** `2019`, or `2011–2019` for a figure over a period. */
  period: string | null;
  formula?: FormulaKey;
  illustrative: boolean;
  provenance: Provenance[];
  /** Lower-priority sources that disagree with the value used. */
  conflicts: Conflict[];
}

/** Year → metric; every year of the brief's span is present, with a null metric when data is lacking. */
export type MetricSeries = Map<number, Metric>;

export interface YearSpan {
  first: number;
  last: number;
}

export interface TradeYear {
  year: number;
  exports: Metric;
  imports: Metric;
  total: Metric;
  balance: Metric;
  /** Growth of `total` over the previous year. */
  growth: Metric;
  exportsGrowth: Metric;
  importsGrowth: Metric;
}

export interface PartnerEntry {
  code: string;
  value: Metric;
  share: Metric;
  rank: number;
}

export interface GroupEntry {
  code: string;
  /** The group's trade as the source publishes it; null when it does not. */
  value: Metric;
  share: Metric;
}

export interface EconomyYear {
  year: number;
  gdpUsd: Metric;
  gdpCny: Metric;
  realGrowth: Metric;
  perCapitaUsd: Metric;
  trade: Metric;
  openness: Metric;
}

export interface RegionEconomy {
  region: string;
  /** The latest year with GDP; null when there is none. */
  year: number | null;
  gdpUsd: Metric;
  realGrowth: Metric;
  openness: Metric;
}

export interface BilateralYear {
  year: number;
  total: Metric;
  exports: Metric;
  imports: Metric;
  balance: Metric;
  growth: Metric;
  /** Partner's share of the region's total trade. */
  share: Metric;
  /** Partner's rank among the region's partner countries. */
  rank: Metric;
  /** Trade intensity against the benchmark (China); null for the benchmark itself. */
  tii: Metric;
  /** Partner's share of the benchmark's trade, x_wj / X_w. */
  benchmarkShare: Metric;
}

export interface RegionBilateral {
  region: string;
  years: BilateralYear[];
  /** The latest year with trade with the partner; null when there is none. */
  latestYear: number | null;
  /** CAGR of trade with the partner over the years that have it. */
  cagr: Metric;
  /** Years of the span without trade with the partner. */
  missing: number[];
}

export interface InvestmentYear {
  year: number;
  projects: Metric;
  contracted: Metric;
  utilized: Metric;
  /** Utilized FDI from all investors (WLD). */
  utilizedAll: Metric;
  /** Partner's share of utilized FDI. */
  share: Metric;
}

export interface ProductAnalysis {
  /** False when the warehouse has no HS product rows for the subject; `year`, `rca` and `complementarity` are then empty. */
  available: boolean;
  year: number | null;
  /** RCA of the subject's exports by product against the benchmark's, largest first. */
  rca: Metric[];
  complementarity: Metric | null;
  /**
   * The national comparator's picture, when the subject has no product rows but the comparator
   * (the benchmark, China as a whole) has HS-chapter rows; null otherwise — and always null when
   * the subject's own rows exist, so the subject-level analysis is never mixed with the national one.
   */
  national: NationalProducts | null;
}

/** Most HS chapters the national RCA table lists, highest first (of some 97: a brief discusses the top). */
export const TOP_CHAPTERS = 10;

/** One HS chapter of the national comparator's exports to the partner. */
export interface ChapterEntry {
  /** `HS:85`. */
  code: string;
  /** The chapter's HS section, for its name in each language; null when the reference lacks the chapter. */
  section: Pick<HsSection, 'section' | 'names'> | null;
  /** RCA in the partner's market (`rcaInMarket`). */
  rca: Metric;
  /** The chapter's share of the comparator's exports to the partner, over all chapters listed. */
  share: Metric;
  /** The comparator's exports of the chapter to the partner (US$). */
  exports: Metric;
}

/** Product indicators of the national comparator with the partner, computed from HS-chapter rows. */
export interface NationalProducts {
  /** The comparator's code: the brief's benchmark (`CHN`). */
  region: string;
  /** Latest year with the comparator's exports to the partner and the partner's imports from the world by chapter; null when none. */
  rcaYear: number | null;
  /** The `TOP_CHAPTERS` chapters with the highest RCA in the partner's market, highest first; [] when `rcaYear` is null. */
  rca: ChapterEntry[];
  /** Chapters with an RCA that year (the table lists the top of them). */
  chapters: number;
  /** Latest year with the comparator's exports to the world and the partner's imports from the world by chapter; null when none. */
  complementarityYear: number | null;
  /** Complementarity of the comparator's exports with the partner's imports; null when `complementarityYear` is. */
  complementarity: Metric | null;
}

export interface GrowthGap {
  comparator: string;
  /** Common years both regions have; null when they share fewer than two. */
  span: YearSpan | null;
  subjectCagr: Metric;
  comparatorCagr: Metric;
  gap: Metric;
}

export interface Untapped {
  year: number;
  tii: Metric;
  actual: Metric;
  expected: Metric;
  gap: Metric;
  subjectShare: Metric;
  benchmarkShare: Metric;
}

export interface BriefData {
  briefId: string;
  subject: string;
  partner: string;
  comparators: string[];
  /** The region TII and untapped potential are measured against (China as a whole). */
  benchmark: string;
  /** The years the subject's data spans; null when the warehouse has none. */
  span: YearSpan | null;
  /** The latest year of the subject's total trade; null when there is none. */
  latestYear: number | null;
  economy: {
    years: EconomyYear[];
    comparators: RegionEconomy[];
    missing: { gdp: number[]; growth: number[] };
  };
  trade: {
    years: TradeYear[];
    cagr: { total: Metric; exports: Metric; imports: Metric };
    missing: number[];
    partners: {
      /** Latest year with a partner breakdown; null when there is none. */
      year: number | null;
      top: PartnerEntry[];
      /** Number of partner countries with a value that year. */
      countries: number;
      hhi: Metric;
      hhiNormalised: Metric;
      /** Years of the span without a partner breakdown. */
      missing: number[];
    };
    /** Russia's share of the subject's trade, every year of the span. */
    russiaShare: MetricSeries;
    groups: GroupEntry[];
    dependence: { top: PartnerEntry | null; level: DependenceLevel | null };
  };
  bilateral: {
    subject: RegionBilateral;
    comparators: RegionBilateral[];
    products: ProductAnalysis;
    investment: { years: InvestmentYear[]; missing: number[] };
  };
  opportunities: {
    /** At the latest year TII can be computed; null when it cannot be for any year. */
    untapped: Untapped | null;
    /** Every year TII can be computed. */
    untappedSeries: Untapped[];
    tradeGaps: GrowthGap[];
    partnerGaps: GrowthGap[];
  };
  /** Every metric above, by id (the document's `figures`). */
  metrics: Metric[];
  conflicts: Conflict[];
  sources: SourceEntry[];
}

/** What kind of code a partner is: only countries are ranked and counted in concentration. */
export type CodeKind = 'country' | 'region' | 'group' | 'world';

export interface BriefParams {
  briefId: string;
  subject: string;
  partner: string;
  comparators: readonly string[];
  /** Default `CHN`. */
  benchmark?: string;
  /** Default `WLD`. */
  world?: string;
  /** Default `RUS`: the paper's dominant partner, whose share it discusses by name. */
  russia?: string;
  /** Kind of a code; unknown codes count as countries when they look like ISO alpha-3. */
  kindOf: (code: string) => CodeKind | undefined;
  /** Groups shown in the partner structure when the source carries them. */
  groups?: readonly string[];
  /** HS section of a chapter (`HS:85` → XVI), for the national product table; default none (chapters then go unnamed). */
  hsSection?: (code: string) => HsSection | null;
}

export interface BriefInput {
  /** `TOTAL` trade rows of the subject, the comparators and the benchmark, all partners. */
  trade: readonly TradeRow[];
  /** `HS:` product rows (the subject's and benchmark's exports, the partner's imports). */
  products: readonly TradeRow[];
  investment: readonly InvestmentRow[];
  indicators: readonly IndicatorRow[];
  /** CNY per US$ by year, to show US$ figures in yuan when the source gives them in dollars. */
  fx: readonly FxRow[];
  sources: SourceEntry[];
}

// ---------------------------------------------------------------------------------------------
// Metric construction

class Metrics {
  readonly all = new Map<string, Metric>();

  add(m: Metric): Metric {
    const seen = this.all.get(m.id);
    if (seen) return seen;
    this.all.set(m.id, m);
    return m;
  }

  fact(id: string, kind: MetricKind, region: string, partner: string | undefined, year: number, fact: ResolvedFact | undefined, unit: string, pick: (f: ResolvedFact) => number | null): Metric {
    if (!fact) return this.missing(id, kind, region, partner, String(year), unit);
    const value = pick(fact);
    return this.add({
      id,
      kind,
      region,
      ...(partner ? { partner } : {}),
      value,
      unit,
      period: String(year),
      illustrative: fact.illustrative,
      provenance: [fact.provenance],
      conflicts: fact.overruled.map((other) => ({ metricId: id, used: { source_id: fact.provenance.source_id, value }, other })),
    });
  }

  missing(id: string, kind: MetricKind, region: string, partner: string | undefined, period: string | null, unit: string, formula?: FormulaKey): Metric {
    return this.add({ id, kind, region, ...(partner ? { partner } : {}), value: null, unit, period, ...(formula ? { formula } : {}), illustrative: false, provenance: [], conflicts: [] });
  }

  derived(id: string, kind: MetricKind, region: string, partner: string | undefined, period: string | null, unit: string, value: number | null, inputs: readonly Metric[], formula?: FormulaKey, product?: string): Metric {
    // A derived number is only as published as its inputs: one illustrative input marks it.
    const provenance = dedupe(inputs.flatMap((m) => m.provenance));
    return this.add({
      id,
      kind,
      region,
      ...(partner ? { partner } : {}),
      ...(product ? { product } : {}),
      value,
      unit,
      period,
      ...(formula ? { formula } : {}),
      illustrative: value !== null && inputs.some((m) => m.illustrative),
      provenance: value === null ? [] : provenance,
      conflicts: [],
    });
  }
}

/**
 * A trade row as a metric, not yet listed among the brief's figures: the national product indicators
 * draw on every chapter row, but only the chapters a table shows become figures of their own.
 */
function rowMetric(row: TradeRow): Metric {
  const id = `trade.${row.reporter}.${row.partner}.${row.flow}.${row.product}.${row.year}`;
  return {
    id,
    kind: row.flow === 'import' ? 'trade.imports' : row.flow === 'export' ? 'trade.exports' : 'trade.total',
    region: row.reporter,
    partner: row.partner,
    product: row.product,
    value: row.value_usd,
    unit: 'USD',
    period: String(row.year),
    illustrative: row.illustrative,
    provenance: [row.provenance],
    conflicts: row.overruled.map((other) => ({ metricId: id, used: { source_id: row.provenance.source_id, value: row.value_usd }, other })),
  };
}

function dedupe(list: Provenance[]): Provenance[] {
  const seen = new Set<string>();
  return list.filter((p) => {
    const k = `${p.table}|${p.key}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

const usd = (f: ResolvedFact): number | null => f.value_usd;
const asPublished = (f: ResolvedFact): number | null => f.value;

function values(series: MetricSeries): Series {
  return new Map([...series].map(([y, m]) => [y, m.value]));
}

function range(span: YearSpan | null): number[] {
  if (!span) return [];
  const out: number[] = [];
  for (let y = span.first; y <= span.last; y++) out.push(y);
  return out;
}

function periodOf(a: number, b: number): string {
  return a === b ? String(a) : `${a}–${b}`;
}

// ---------------------------------------------------------------------------------------------
// The analysis

export function buildBriefData(input: BriefInput, params: BriefParams): BriefData {
  const { subject, partner } = params;
  const benchmark = params.benchmark ?? 'CHN';
  const world = params.world ?? 'WLD';
  const russia = params.russia ?? 'RUS';
  const comparators = params.comparators.filter((c) => c !== subject);
  const M = new Metrics();

  const isCountry = (code: string): boolean => {
    const kind = params.kindOf(code);
    return kind === undefined ? /^[A-Z]{3}$/.test(code) && code !== world : kind === 'country';
  };

  // Index the trade rows: reporter|partner|flow → year → row.
  const tradeIndex = new Map<string, Map<number, TradeRow>>();
  for (const row of input.trade) {
    const k = `${row.reporter}|${row.partner}|${row.flow}`;
    let byYear = tradeIndex.get(k);
    if (!byYear) tradeIndex.set(k, (byYear = new Map()));
    byYear.set(row.year, row);
  }
  const tradeRow = (reporter: string, p: string, flow: string, year: number): TradeRow | undefined => tradeIndex.get(`${reporter}|${p}|${flow}`)?.get(year);
  const yearsOf = (reporter: string, p: string): number[] => {
    const ys = new Set<number>();
    for (const flow of ['total', 'export', 'import']) for (const y of tradeIndex.get(`${reporter}|${p}|${flow}`)?.keys() ?? []) ys.add(y);
    return [...ys];
  };

  const indicatorIndex = new Map<string, Map<number, IndicatorRow>>();
  for (const row of input.indicators) {
    const k = `${row.region}|${row.code}`;
    let byYear = indicatorIndex.get(k);
    if (!byYear) indicatorIndex.set(k, (byYear = new Map()));
    byYear.set(row.year, row);
  }
  const indicatorRow = (region: string, code: string, year: number): IndicatorRow | undefined => indicatorIndex.get(`${region}|${code}`)?.get(year);

  // The span: every year the subject has total trade, trade with the partner, or GDP for.
  const subjectYears = [...yearsOf(subject, world), ...yearsOf(subject, partner), ...(indicatorIndex.get(`${subject}|gdp`)?.keys() ?? [])];
  const span: YearSpan | null = subjectYears.length ? { first: Math.min(...subjectYears), last: Math.max(...subjectYears) } : null;
  const years = range(span);

  /** Exports, imports and total of reporter with p in one year; total from export + import when unpublished. */
  const flows = (reporter: string, p: string, year: number): { exports: Metric; imports: Metric; total: Metric } => {
    const base = `trade.${reporter}.${p}`;
    const exports = M.fact(`${base}.export.${year}`, 'trade.exports', reporter, p, year, tradeRow(reporter, p, 'export', year), 'USD', usd);
    const imports = M.fact(`${base}.import.${year}`, 'trade.imports', reporter, p, year, tradeRow(reporter, p, 'import', year), 'USD', usd);
    const published = tradeRow(reporter, p, 'total', year);
    const total =
      published || exports.value === null || imports.value === null
        ? M.fact(`${base}.total.${year}`, 'trade.total', reporter, p, year, published, 'USD', usd)
        : M.derived(`${base}.total.${year}`, 'trade.total', reporter, p, String(year), 'USD', exports.value + imports.value, [exports, imports]);
    return { exports, imports, total };
  };


  // --- 2. Trade with the world -----------------------------------------------------------------
  const tradeYears: TradeYear[] = years.map((year) => {
    const { exports, imports, total } = flows(subject, world, year);
    const prev = year - 1;
    const g = (kind: 'total' | 'export' | 'import', cur: Metric): Metric => {
      const field = kind === 'total' ? 'total' : kind === 'export' ? 'exports' : 'imports';
      const before = span && prev >= span.first ? flows(subject, world, prev)[field] : undefined;
      const value = before ? growth(cur.value, before.value) : null;
      return M.derived(`trade.${subject}.${world}.${kind}.growth.${year}`, 'trade.growth', subject, world, String(year), '%', value, before ? [cur, before] : [cur], 'growth');
    };
    return {
      year,
      exports,
      imports,
      total,
      balance: M.derived(`trade.${subject}.${world}.balance.${year}`, 'trade.balance', subject, world, String(year), 'USD', balance(exports.value, imports.value), [exports, imports], 'balance'),
      growth: g('total', total),
      exportsGrowth: g('export', exports),
      importsGrowth: g('import', imports),
    };
  });

  const cagrOf = (id: string, region: string, p: string | undefined, series: MetricSeries): Metric => {
    const cover = yearsCovered(values(series));
    if (cover.first === null || cover.last === null || cover.first === cover.last) return M.missing(id, 'trade.cagr', region, p, null, '%', 'cagr');
    const value = seriesCagr(values(series));
    return M.derived(id, 'trade.cagr', region, p, periodOf(cover.first, cover.last), '%', value, [series.get(cover.first)!, series.get(cover.last)!], 'cagr');
  };
  const subjectTotals = new Map(tradeYears.map((t) => [t.year, t.total]));
  const tradeCagr = {
    total: cagrOf(`trade.${subject}.${world}.total.cagr`, subject, world, subjectTotals),
    exports: cagrOf(`trade.${subject}.${world}.export.cagr`, subject, world, new Map(tradeYears.map((t) => [t.year, t.exports]))),
    imports: cagrOf(`trade.${subject}.${world}.import.cagr`, subject, world, new Map(tradeYears.map((t) => [t.year, t.imports]))),
  };

  // Partner breakdown: country partners by year (groups and the world are not partners to rank).
  const partnerCodes = (reporter: string): string[] => {
    const codes = new Set<string>();
    for (const row of input.trade) if (row.reporter === reporter && isCountry(row.partner) && row.partner !== reporter) codes.add(row.partner);
    return [...codes].sort();
  };
  const partnerValues = (reporter: string, year: number): Map<string, Metric> => {
    const out = new Map<string, Metric>();
    for (const code of partnerCodes(reporter)) {
      const t = flows(reporter, code, year).total;
      if (t.value !== null) out.set(code, t);
    }
    return out;
  };
  // The partner structure is read in the latest year that lists enough partner countries for a
  // ranking and a concentration index to mean something; a year that lists Russia alone would make
  // Russia "the top partner" with an HHI of 10,000.
  const subjectPartnerYears = years.filter((y) => partnerValues(subject, y).size > 0);
  const richYears = subjectPartnerYears.filter((y) => partnerValues(subject, y).size >= MIN_PARTNERS_RANKED);
  const partnerYear = richYears.length ? richYears[richYears.length - 1]! : subjectPartnerYears.length ? subjectPartnerYears[subjectPartnerYears.length - 1]! : null;

  const shareMetric = (reporter: string, p: string, year: number, part: Metric, whole: Metric): Metric =>
    M.derived(`trade.${reporter}.${p}.share.${year}`, 'trade.share', reporter, p, String(year), '%', share(part.value, whole.value), [part, whole], 'share');

  let top: PartnerEntry[] = [];
  let hhiMetric = M.missing(`trade.${subject}.hhi`, 'hhi', subject, undefined, null, 'index', 'hhi');
  let hhiNormMetric = M.missing(`trade.${subject}.hhiNormalised`, 'hhiNormalised', subject, undefined, null, 'index', 'hhiNormalised');
  let countries = 0;
  if (partnerYear !== null) {
    const pv = partnerValues(subject, partnerYear);
    countries = pv.size;
    const whole = flows(subject, world, partnerYear).total;
    const plain = new Map([...pv].map(([c, m]) => [c, m.value]));
    top = topN(plain, 10, whole.value ?? undefined).map((e) => ({ code: e.code, value: pv.get(e.code)!, share: shareMetric(subject, e.code, partnerYear, pv.get(e.code)!, whole), rank: e.rank }));
    const inputs = [...pv.values()];
    const enough = pv.size >= MIN_PARTNERS_RANKED;
    hhiMetric = M.derived(`trade.${subject}.hhi.${partnerYear}`, 'hhi', subject, undefined, String(partnerYear), 'index', enough ? hhi([...plain.values()]) : null, inputs, 'hhi');
    hhiNormMetric = M.derived(`trade.${subject}.hhiNormalised.${partnerYear}`, 'hhiNormalised', subject, undefined, String(partnerYear), 'index', enough ? hhiNormalised([...plain.values()]) : null, inputs, 'hhiNormalised');
  }
  const russiaShare: MetricSeries = new Map(years.map((y) => [y, shareMetric(subject, russia, y, flows(subject, russia, y).total, flows(subject, world, y).total)]));

  const groupCodes = params.groups ?? ['BRI', 'RCEP', 'EU27', 'ASEAN'];
  const groups: GroupEntry[] = groupCodes.map((code) => {
    // The latest year the source carries the group; else the partner year with a null value.
    const ys = yearsOf(subject, code).filter((y) => flows(subject, code, y).total.value !== null);
    const year = ys.length ? Math.max(...ys) : partnerYear ?? span?.last ?? null;
    if (year === null) return { code, value: M.missing(`trade.${subject}.${code}.total`, 'trade.total', subject, code, null, 'USD'), share: M.missing(`trade.${subject}.${code}.share`, 'trade.share', subject, code, null, '%', 'share') };
    const value = flows(subject, code, year).total;
    return { code, value, share: shareMetric(subject, code, year, value, flows(subject, world, year).total) };
  });

  // --- 3. Bilateral trade with the partner, for the subject and each comparator ----------------
  const benchmarkShareOf = (year: number): Metric => shareMetric(benchmark, partner, year, flows(benchmark, partner, year).total, flows(benchmark, world, year).total);

  const bilateral = (region: string): RegionBilateral => {
    // Every region over the subject's span, so the side-by-side tables line up year for year.
    const rows: BilateralYear[] = years.map((year) => {
      const f = flows(region, partner, year);
      const whole = flows(region, world, year).total;
      const prev = flows(region, partner, year - 1).total;
      const pv = partnerValues(region, year);
      const rankValue = pv.size >= MIN_PARTNERS_RANKED && f.total.value !== null ? rankOf(partner, new Map([...pv].map(([c, m]) => [c, m.value]))) : null;
      const bw = flows(benchmark, world, year).total;
      const bj = flows(benchmark, partner, year).total;
      const tii =
        region === benchmark
          ? M.missing(`tii.${region}.${partner}.${year}`, 'tii', region, partner, String(year), 'index', 'tradeIntensity')
          : M.derived(`tii.${region}.${partner}.${year}`, 'tii', region, partner, String(year), 'index', tradeIntensity(f.total.value, whole.value, bj.value, bw.value), [f.total, whole, bj, bw], 'tradeIntensity');
      return {
        year,
        ...f,
        balance: M.derived(`trade.${region}.${partner}.balance.${year}`, 'trade.balance', region, partner, String(year), 'USD', balance(f.exports.value, f.imports.value), [f.exports, f.imports], 'balance'),
        growth: M.derived(`trade.${region}.${partner}.total.growth.${year}`, 'trade.growth', region, partner, String(year), '%', growth(f.total.value, prev.value), [f.total, prev], 'growth'),
        share: shareMetric(region, partner, year, f.total, whole),
        rank: M.derived(`trade.${region}.${partner}.rank.${year}`, 'trade.rank', region, partner, String(year), 'rank', rankValue, rankValue === null ? [] : [...pv.values()]),
        tii,
        benchmarkShare: benchmarkShareOf(year),
      };
    });
    const series = new Map(rows.map((r) => [r.year, r.total]));
    const cover = yearsCovered(values(series), span ?? undefined);
    return { region, years: rows, latestYear: cover.last, cagr: cagrOf(`trade.${region}.${partner}.total.cagr`, region, partner, series), missing: cover.missing };
  };
  const subjectBilateral = bilateral(subject);
  const comparatorBilateral = comparators.map(bilateral);

  // Product composition, only where HS rows exist.
  const products = productAnalysis(input.products, params, benchmark, world, M);

  // Investment by the partner.
  const inv = new Map<string, InvestmentRow>();
  for (const row of input.investment) if (row.host === subject) inv.set(`${row.investor}|${row.measure}|${row.year}`, row);
  const invYears = [...new Set(input.investment.filter((r) => r.host === subject).map((r) => r.year))];
  const investmentSpan = span || invYears.length ? { first: Math.min(...(span ? [span.first] : []), ...invYears), last: Math.max(...(span ? [span.last] : []), ...invYears) } : null;
  const investmentYears: InvestmentYear[] = range(investmentSpan).map((year) => {
    const pick = (investor: string, measure: 'projects' | 'contracted' | 'utilized'): Metric => {
      const kind: MetricKind = `investment.${measure}`;
      return M.fact(`investment.${subject}.${investor}.${measure}.${year}`, kind, subject, investor, year, inv.get(`${investor}|${measure}|${year}`), measure === 'projects' ? 'projects' : 'USD', measure === 'projects' ? asPublished : usd);
    };
    const utilized = pick(partner, 'utilized');
    const utilizedAll = pick(world, 'utilized');
    return {
      year,
      projects: pick(partner, 'projects'),
      contracted: pick(partner, 'contracted'),
      utilized,
      utilizedAll,
      share: M.derived(`investment.${subject}.${partner}.share.${year}`, 'investment.share', subject, partner, String(year), '%', share(utilized.value, utilizedAll.value), [utilized, utilizedAll], 'share'),
    };
  });
  const investmentMissing = investmentYears.filter((r) => r.projects.value === null && r.contracted.value === null && r.utilized.value === null).map((r) => r.year);

  // --- 1. Economy --------------------------------------------------------------------------
  const fxByYear = new Map(input.fx.map((r) => [r.year, r]));
  const economyYears: EconomyYear[] = years.map((year) => {
    const gdpRow = indicatorRow(subject, 'gdp', year);
    const gdpUsd = M.fact(`gdp.${subject}.usd.${year}`, 'gdp.usd', subject, undefined, year, gdpRow, 'USD', usd);
    let gdpCny: Metric;
    if (gdpRow && gdpRow.currency === 'CNY' && gdpRow.value_native !== null) {
      gdpCny = M.fact(`gdp.${subject}.cny.${year}`, 'gdp.cny', subject, undefined, year, gdpRow, 'CNY', (f) => f.value_native);
    } else {
      // Published in dollars: yuan through the year's rate, which then is part of the provenance.
      const fx = fxByYear.get(year);
      const value = gdpUsd.value !== null && fx ? gdpUsd.value * fx.per_usd : null;
      gdpCny = M.derived(`gdp.${subject}.cny.${year}`, 'gdp.cny', subject, undefined, String(year), 'CNY', value, []);
      if (value !== null && fx) gdpCny.provenance.push(...gdpUsd.provenance, fx.provenance);
      if (value !== null) gdpCny.illustrative = gdpUsd.illustrative;
    }
    const trade = subjectTotals.get(year)!;
    return {
      year,
      gdpUsd,
      gdpCny,
      realGrowth: M.fact(`gdp.${subject}.growth.${year}`, 'gdp.growth', subject, undefined, year, indicatorRow(subject, 'gdp_real_growth_pct', year), '%', asPublished),
      perCapitaUsd: M.fact(`gdp.${subject}.perCapita.${year}`, 'gdp.perCapita', subject, undefined, year, indicatorRow(subject, 'gdp_per_capita', year), 'USD', usd),
      trade,
      openness: M.derived(`openness.${subject}.${year}`, 'openness', subject, undefined, String(year), '%', openness(trade.value, gdpUsd.value), [trade, gdpUsd], 'openness'),
    };
  });
  const regionEconomy = (region: string): RegionEconomy => {
    const ys = [...(indicatorIndex.get(`${region}|gdp`)?.entries() ?? [])].filter(([, r]) => r.value_usd !== null).map(([y]) => y);
    const year = ys.length ? Math.max(...ys) : null;
    if (year === null) {
      return {
        region,
        year,
        gdpUsd: M.missing(`gdp.${region}.usd`, 'gdp.usd', region, undefined, null, 'USD'),
        realGrowth: M.missing(`gdp.${region}.growth`, 'gdp.growth', region, undefined, null, '%'),
        openness: M.missing(`openness.${region}`, 'openness', region, undefined, null, '%', 'openness'),
      };
    }
    const gdpUsd = M.fact(`gdp.${region}.usd.${year}`, 'gdp.usd', region, undefined, year, indicatorRow(region, 'gdp', year), 'USD', usd);
    const trade = flows(region, world, year).total;
    return {
      region,
      year,
      gdpUsd,
      realGrowth: M.fact(`gdp.${region}.growth.${year}`, 'gdp.growth', region, undefined, year, indicatorRow(region, 'gdp_real_growth_pct', year), '%', asPublished),
      openness: M.derived(`openness.${region}.${year}`, 'openness', region, undefined, String(year), '%', openness(trade.value, gdpUsd.value), [trade, gdpUsd], 'openness'),
    };
  };
  const economy = {
    years: economyYears,
    comparators: [subject, ...comparators].map(regionEconomy),
    missing: {
      gdp: yearsCovered(new Map(economyYears.map((e) => [e.year, e.gdpUsd.value])), span ?? undefined).missing,
      growth: yearsCovered(new Map(economyYears.map((e) => [e.year, e.realGrowth.value])), span ?? undefined).missing,
    },
  };

  // --- 4. Opportunities and deficiencies -----------------------------------------------------
  const untappedSeries: Untapped[] = [];
  for (const row of subjectBilateral.years) {
    if (row.tii.value === null) continue;
    const whole = flows(subject, world, row.year).total;
    const bj = flows(benchmark, partner, row.year).total;
    const bw = flows(benchmark, world, row.year).total;
    const p = untappedPotential(whole.value, bj.value, bw.value, row.total.value);
    const inputs = [whole, bj, bw, row.total];
    untappedSeries.push({
      year: row.year,
      tii: row.tii,
      actual: row.total,
      expected: M.derived(`untapped.${subject}.${partner}.expected.${row.year}`, 'untapped.expected', subject, partner, String(row.year), 'USD', p.expected, [whole, bj, bw], 'untappedPotential'),
      gap: M.derived(`untapped.${subject}.${partner}.gap.${row.year}`, 'untapped.gap', subject, partner, String(row.year), 'USD', p.gap, inputs, 'untappedPotential'),
      subjectShare: row.share,
      benchmarkShare: row.benchmarkShare,
    });
  }
  const gapsFor = (kindLabel: 'trade' | 'partner', p: string): GrowthGap[] =>
    comparators.map((c) => {
      const a = new Map(range(span).map((y) => [y, flows(subject, p, y).total]));
      const bYears = [...new Set([...yearsOf(c, p), ...range(span)])];
      const b = new Map(bYears.map((y) => [y, flows(c, p, y).total]));
      const common = [...a.keys()].filter((y) => a.get(y)!.value !== null && b.get(y)?.value != null).sort((x, y) => x - y);
      const first = common[0];
      const last = common[common.length - 1];
      const base = `gap.${kindLabel}.${subject}.${c}.${p}`;
      if (first === undefined || last === undefined || first === last) {
        return {
          comparator: c,
          span: null,
          subjectCagr: M.missing(`${base}.subject`, 'trade.cagr', subject, p, null, '%', 'cagr'),
          comparatorCagr: M.missing(`${base}.comparator`, 'trade.cagr', c, p, null, '%', 'cagr'),
          gap: M.missing(base, 'growthGap', subject, c, null, 'pp', 'gapPercentagePoints'),
        };
      }
      const period = periodOf(first, last);
      const sa = M.derived(`trade.${subject}.${p}.total.cagr.${period}`, 'trade.cagr', subject, p, period, '%', seriesCagr(new Map([[first, a.get(first)!.value], [last, a.get(last)!.value]])), [a.get(first)!, a.get(last)!], 'cagr');
      const sb = M.derived(`trade.${c}.${p}.total.cagr.${period}`, 'trade.cagr', c, p, period, '%', seriesCagr(new Map([[first, b.get(first)!.value], [last, b.get(last)!.value]])), [b.get(first)!, b.get(last)!], 'cagr');
      return { comparator: c, span: { first, last }, subjectCagr: sa, comparatorCagr: sb, gap: M.derived(`${base}.${period}`, 'growthGap', subject, c, period, 'pp', gapPercentagePoints(sa.value, sb.value), [sa, sb], 'gapPercentagePoints') };
    });

  const topEntry = top[0] ?? null;
  const metrics = [...M.all.values()];
  return {
    briefId: params.briefId,
    subject,
    partner,
    comparators,
    benchmark,
    span,
    latestYear: yearsCovered(values(subjectTotals)).last,
    economy,
    trade: {
      years: tradeYears,
      cagr: tradeCagr,
      missing: yearsCovered(values(subjectTotals), span ?? undefined).missing,
      partners: { year: partnerYear, top, countries, hhi: hhiMetric, hhiNormalised: hhiNormMetric, missing: years.filter((y) => !subjectPartnerYears.includes(y)) },
      russiaShare,
      groups,
      dependence: { top: topEntry, level: topEntry ? dependence(topEntry.share.value) : null },
    },
    bilateral: { subject: subjectBilateral, comparators: comparatorBilateral, products, investment: { years: investmentYears, missing: investmentMissing } },
    opportunities: {
      untapped: untappedSeries[untappedSeries.length - 1] ?? null,
      untappedSeries,
      tradeGaps: gapsFor('trade', world),
      partnerGaps: gapsFor('partner', partner),
    },
    metrics,
    conflicts: metrics.flatMap((m) => m.conflicts),
    sources: input.sources,
  };
}

/** RCA of the subject's exports by product against the benchmark, and complementarity with the partner's imports. */
function productAnalysis(rows: readonly TradeRow[], params: BriefParams, benchmark: string, world: string, M: Metrics): ProductAnalysis {
  const subjectExports = rows.filter((r) => r.reporter === params.subject && r.partner === world && r.flow === 'export' && r.value_usd !== null);
  if (subjectExports.length === 0) return { available: false, year: null, rca: [], complementarity: null, national: nationalProducts(rows, params, benchmark, world, M) };
  const year = Math.max(...subjectExports.map((r) => r.year));
  const byProduct = (reporter: string, flow: string): Map<string, TradeRow> =>
    new Map(rows.filter((r) => r.reporter === reporter && r.partner === world && r.flow === flow && r.year === year && r.value_usd !== null).map((r) => [r.product, r]));
  const xi = byProduct(params.subject, 'export');
  const xw = byProduct(benchmark, 'export');
  const mj = byProduct(params.partner, 'import');
  // Totals over the listed products: the share of each within what the table covers.
  const sum = (m: Map<string, TradeRow>): number => [...m.values()].reduce((s, r) => s + (r.value_usd ?? 0), 0);
  const Xi = sum(xi);
  const Xw = sum(xw);
  const metricOf = (row: TradeRow, reporter: string): Metric => M.fact(`trade.${reporter}.${world}.${row.flow}.${row.product}.${year}`, 'trade.exports', reporter, row.product, year, row, 'USD', usd);
  const rcaMetrics: Metric[] = [];
  for (const [product, row] of xi) {
    const w = xw.get(product);
    const inputs = [metricOf(row, params.subject), ...(w ? [metricOf(w, benchmark)] : [])];
    rcaMetrics.push(M.derived(`rca.${params.subject}.${product}.${year}`, 'rca', params.subject, product, String(year), 'index', xw.size ? rca(row.value_usd, Xi, w?.value_usd, Xw) : null, inputs, 'rca'));
  }
  rcaMetrics.sort((a, b) => (b.value ?? -1) - (a.value ?? -1) || (a.partner! < b.partner! ? -1 : 1));
  let complementarity: Metric | null = null;
  if (mj.size) {
    const value = tradeComplementarity(new Map([...xi].map(([k, r]) => [k, r.value_usd])), new Map([...mj].map(([k, r]) => [k, r.value_usd])));
    const inputs = [...[...xi.values()].map((r) => metricOf(r, params.subject)), ...[...mj.values()].map((r) => M.fact(`trade.${params.partner}.${world}.import.${r.product}.${year}`, 'trade.imports', params.partner, r.product, year, r, 'USD', usd))];
    complementarity = M.derived(`complementarity.${params.subject}.${params.partner}.${year}`, 'complementarity', params.subject, params.partner, String(year), 'index', value, inputs, 'tradeComplementarity');
  }
  return { available: true, year, rca: rcaMetrics, complementarity, national: null };
}

/** A two-digit HS chapter code. Four-digit headings are left out: beside their chapter they would count the same trade twice. */
const CHAPTER = /^HS:\d{2}$/;

/**
 * The national comparator's product indicators with the partner, for a subject without product
 * rows: the complementarity of the comparator's exports to the world with the partner's imports
 * from the world, and the comparator's RCA in the partner's market by chapter. Standard Balassa
 * RCA would need world exports by chapter, which no source provides; the partner's imports from
 * the world are the reference market instead (`rcaInMarket`). Each indicator is read in the latest
 * year both of its distributions have. Null when the comparator has no chapter rows at all.
 */
function nationalProducts(rows: readonly TradeRow[], params: BriefParams, national: string, world: string, M: Metrics): NationalProducts | null {
  const { partner } = params;
  if (national === params.subject) return null;
  // reporter|partner|flow → year → chapter → row.
  const index = new Map<string, Map<number, Map<string, TradeRow>>>();
  for (const row of rows) {
    if (!CHAPTER.test(row.product) || row.value_usd === null) continue;
    const k = `${row.reporter}|${row.partner}|${row.flow}`;
    let byYear = index.get(k);
    if (!byYear) index.set(k, (byYear = new Map()));
    let byChapter = byYear.get(row.year);
    if (!byChapter) byYear.set(row.year, (byChapter = new Map()));
    byChapter.set(row.product, row);
  }
  const distribution = (reporter: string, p: string, flow: TradeRow['flow']): Map<number, Map<string, TradeRow>> => index.get(`${reporter}|${p}|${flow}`) ?? new Map();
  const toPartner = distribution(national, partner, 'export');
  const toWorld = distribution(national, world, 'export');
  const partnerImports = distribution(partner, world, 'import');
  if (toPartner.size === 0 && toWorld.size === 0) return null;

  const latestCommon = (a: Map<number, unknown>, b: Map<number, unknown>): number | null => {
    const common = [...a.keys()].filter((y) => b.has(y));
    return common.length ? Math.max(...common) : null;
  };
  const sum = (m: ReadonlyMap<string, TradeRow>): number => [...m.values()].reduce((s, r) => s + (r.value_usd ?? 0), 0);
  const plain = (m: ReadonlyMap<string, TradeRow>): Map<string, number | null> => new Map([...m].map(([k, r]) => [k, r.value_usd]));

  const rcaYear = latestCommon(toPartner, partnerImports);
  const entries: ChapterEntry[] = [];
  let chapters = 0;
  if (rcaYear !== null) {
    const x = toPartner.get(rcaYear)!;
    const m = partnerImports.get(rcaYear)!;
    const Xij = sum(x);
    const Mj = sum(m);
    // Every chapter row of both distributions is behind each RCA (they make its denominators).
    const xRows = [...x.values()].map(rowMetric);
    const mRows = [...m.values()].map(rowMetric);
    const values = new Map([...x].map(([k, r]) => [k, rcaInMarket(r.value_usd, Xij, m.get(k)?.value_usd, Mj)]));
    chapters = [...values.values()].filter((v) => v !== null).length;
    for (const e of topN(values, TOP_CHAPTERS)) {
      const row = x.get(e.code)!;
      const exports = M.add(rowMetric(row));
      const period = String(rcaYear);
      const section = params.hsSection?.(e.code) ?? null;
      entries.push({
        code: e.code,
        section: section ? { section: section.section, names: section.names } : null,
        rca: M.derived(`rcaInMarket.${national}.${partner}.${e.code}.${period}`, 'rcaInMarket', national, partner, period, 'index', e.value, [...xRows, ...mRows], 'rcaInMarket', e.code),
        share: M.derived(`trade.${national}.${partner}.export.${e.code}.share.${period}`, 'product.share', national, partner, period, '%', share(row.value_usd, Xij), xRows, 'share', e.code),
        exports,
      });
    }
  }

  const complementarityYear = latestCommon(toWorld, partnerImports);
  let complementarity: Metric | null = null;
  if (complementarityYear !== null) {
    const x = toWorld.get(complementarityYear)!;
    const m = partnerImports.get(complementarityYear)!;
    const inputs = [...[...x.values()].map(rowMetric), ...[...m.values()].map(rowMetric)];
    const value = tradeComplementarity(plain(x), plain(m));
    complementarity = M.derived(`complementarity.${national}.${partner}.${complementarityYear}`, 'complementarity', national, partner, String(complementarityYear), 'index', value, inputs, 'tradeComplementarity');
  }
  return { region: national, rcaYear, rca: entries, chapters, complementarityYear, complementarity };
}

// ---------------------------------------------------------------------------------------------
// Gather: the queries, then the analysis

export interface GatherOptions {
  /** Kind of a code; default from data/reference (loaded lazily, so pure callers never read files). */
  kindOf?: (code: string) => CodeKind | undefined;
  /** HS section of a chapter; default from data/reference, like `kindOf`. */
  hsSection?: (code: string) => HsSection | null;
}

/**
 * The benchmark (w, "China as a whole"): the brief's one comparator that is a country — the paper
 * lists the nation beside the provinces it compares — else `CHN`, the paper's own.
 */
export function benchmarkOf(comparators: readonly string[], kindOf: (code: string) => CodeKind | undefined): string {
  return comparators.find((c) => kindOf(c) === 'country') ?? 'CHN';
}

/**
 * Queries the warehouse for everything `brief` needs (source priority from `sources`, in config
 * order) and runs the analysis. The one call the report command makes before compose.
 */
export async function gatherBriefData(db: Kysely<Database>, brief: BriefConfig, sources: SourceConfig[], options: GatherOptions = {}): Promise<BriefData> {
  let { kindOf, hsSection } = options;
  if (!kindOf || !hsSection) {
    const { loadReference } = await import('../../pipelines/reference.js');
    const ref = loadReference();
    kindOf ??= (code) => ref.entry(code)?.kind;
    hsSection ??= (code) => ref.hsSection(code);
  }
  const priority = sourcePriority(sources);
  const benchmark = benchmarkOf(brief.comparators, kindOf);
  const regions = [...new Set([brief.subject, ...brief.comparators, benchmark])];
  const [trade, hs, investment, indicators, fx, runs] = await Promise.all([
    queryTrade(db, { reporters: regions }, priority),
    queryTrade(db, { reporters: [...regions, brief.partner], products: 'hs' }, priority),
    queryInvestment(db, { hosts: [brief.subject] }, priority),
    queryIndicators(db, { regions }, priority),
    queryFxRates(db, 'CNY', priority),
    querySources(db, sources.map((s) => s.id)),
  ]);
  const configured = new Map(sources.map((s) => [s.id, s]));
  const entries: SourceEntry[] = runs.map((r) => {
    const cfg = configured.get(r.source_id);
    return {
      source_id: r.source_id,
      title: cfg?.title ?? r.source_id,
      publisher: cfg?.publisher ?? null,
      url: r.url ?? cfg?.url ?? '',
      sha256: r.sha256,
      fetched_at: r.fetched_at,
      run_id: r.run_id,
      citations: r.citations,
    };
  });
  return buildBriefData(
    { trade, products: hs, investment, indicators, fx, sources: entries },
    { briefId: brief.id, subject: brief.subject, partner: brief.partner, comparators: brief.comparators, benchmark, kindOf, hsSection },
  );
}
