// The pure indicator maths behind the brief: growth, shares, concentration, intensity,
// comparative advantage and complementarity. Every function takes plain values and returns
// `null` — never 0, NaN or Infinity — when an input is missing, a divisor would be zero or the
// result is not a finite number, so an unknown can never pass for a real zero in a table or a
// generated sentence. The formula in each doc comment is what "Data and methods" prints; the
// same text is exported in `FORMULAS` for a Figure's `formula`.

/** A number that may be unknown: `undefined` is accepted so `map.get(key)` can be passed directly. */
export type Maybe = number | null | undefined;

/**
 * A yearly series: year → value, `null` when the loaded sources lack that year.
 * A map rather than an array of points because every lookup here is by year; build one from
 * query rows with `toSeries`.
 */
export type Series = ReadonlyMap<number, number | null>;

/** One row of a yearly series as queries return it. */
export interface SeriesPoint {
  year: number;
  value: number | null;
}

/** The formulas as printed in "Data and methods", keyed by function name. */
export const FORMULAS = {
  growth: 'g = (c − p) / |p| × 100',
  cagr: 'CAGR = ((x_last / x_first)^(1/n) − 1) × 100, n = years between them',
  share: 's = part / whole × 100',
  balance: 'B = exports − imports',
  openness: 'O = trade / GDP × 100',
  hhi: 'HHI = Σ (100 × v_i / Σv)²  (0–10,000)',
  hhiNormalised: 'HHI* = (H − 1/N) / (1 − 1/N), H = HHI / 10,000  (0–1)',
  tradeIntensity: 'TII = (x_ij / X_i) / (x_wj / X_w)',
  untappedPotential: 'gap = X_i × (x_wj / X_w) − x_ij',
  rca: 'RCA = (x_ik / X_i) / (x_wk / X_w)',
  rcaInMarket: 'RCA_j = (x_ijk / X_ij) / (m_jk / M_j)',
  tradeComplementarity: 'C = 100 × (1 − Σ_k |m_jk − x_ik| / 2)',
  gapPercentagePoints: 'Δ = a − b  (percentage points)',
} as const;

// ---------------------------------------------------------------------------------------------
// Guards

/** The value if it is a finite number, else null: the one exit every function's result takes. */
export function finite(x: Maybe): number | null {
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}

/** A finite, non-negative value (trade and investment values cannot be negative), else null. */
function nonNegative(x: Maybe): number | null {
  const v = finite(x);
  return v !== null && v >= 0 ? v : null;
}

/** A finite, strictly positive value (a total used as a divisor), else null. */
function positive(x: Maybe): number | null {
  const v = finite(x);
  return v !== null && v > 0 ? v : null;
}

// ---------------------------------------------------------------------------------------------
// Growth and levels

/**
 * Growth in percent: `(c − p) / |p| × 100`.
 *
 * The base is taken in absolute value so the sign always follows the change: a trade deficit
 * narrowing from −10 to −5 is +50%, widening to −15 is −50% (the plain `(c − p) / p` would print
 * the opposite signs). Null when either value is missing or the base is 0.
 */
export function growth(current: Maybe, previous: Maybe): number | null {
  const c = finite(current);
  const p = finite(previous);
  if (c === null || p === null || p === 0) return null;
  return finite(((c - p) / Math.abs(p)) * 100);
}

/**
 * Compound annual growth rate in percent: `((last / first)^(1/years) − 1) × 100`.
 *
 * `years` is the number of years between the two values (2013 → 2023 is 10), so one year
 * alone (years = 0) gives null. Null also when `first ≤ 0` (no meaningful compounding from a zero
 * or negative base), `last < 0`, or either is missing. `last = 0` is a real −100%.
 */
export function cagr(first: Maybe, last: Maybe, years: Maybe): number | null {
  const f = positive(first);
  const l = nonNegative(last);
  const n = positive(years);
  if (f === null || l === null || n === null) return null;
  return finite((Math.pow(l / f, 1 / n) - 1) * 100);
}

/**
 * Build a `Series` from query rows. A year given twice is a bug in the query (two sources not
 * resolved by priority), so it throws rather than silently keeping one.
 */
export function toSeries(points: readonly SeriesPoint[]): Series {
  const out = new Map<number, number | null>();
  for (const { year, value } of [...points].sort((a, b) => a.year - b.year)) {
    if (out.has(year)) throw new RangeError(`toSeries: year ${year} given twice`);
    out.set(year, finite(value));
  }
  return out;
}

/**
 * Year-on-year growth, `growth(x_t, x_{t−1})`, for every year of the series but its first,
 * in ascending year order. A year whose previous year is absent (a gap) or null gets null:
 * gaps are not bridged, because growth over two years is not annual growth.
 */
export function seriesGrowth(series: Series): Series {
  const years = [...series.keys()].sort((a, b) => a - b);
  const out = new Map<number, number | null>();
  for (const year of years.slice(1)) {
    out.set(year, growth(series.get(year), series.get(year - 1)));
  }
  return out;
}

/**
 * CAGR between the earliest and the latest year that have a value: `cagr(x_first, x_last,
 * last − first)`. Null when fewer than two years have values.
 */
export function seriesCagr(series: Series): number | null {
  const cover = yearsCovered(series);
  if (cover.first === null || cover.last === null || cover.first === cover.last) return null;
  return cagr(series.get(cover.first), series.get(cover.last), cover.last - cover.first);
}

/** Share in percent: `part / whole × 100`. Null when either is missing or the whole is 0. */
export function share(part: Maybe, whole: Maybe): number | null {
  const p = finite(part);
  const w = finite(whole);
  if (p === null || w === null || w === 0) return null;
  return finite((p / w) * 100);
}

/** Trade balance: `exports − imports`, negative for a deficit. Null when either is missing. */
export function balance(exports: Maybe, imports: Maybe): number | null {
  const e = finite(exports);
  const i = finite(imports);
  if (e === null || i === null) return null;
  return finite(e - i);
}

/**
 * Trade openness (trade dependence) in percent: `trade / GDP × 100`. Both must be in the same
 * currency and period — the caller converts. Null when either is missing, trade is negative or
 * GDP is not positive.
 */
export function openness(trade: Maybe, gdp: Maybe): number | null {
  const t = nonNegative(trade);
  const g = positive(gdp);
  if (t === null || g === null) return null;
  return finite((t / g) * 100);
}

/** Difference in percentage points: `a − b` (two shares or two rates). Null when either is missing. */
export function gapPercentagePoints(a: Maybe, b: Maybe): number | null {
  const x = finite(a);
  const y = finite(b);
  if (x === null || y === null) return null;
  return finite(x - y);
}

// ---------------------------------------------------------------------------------------------
// Concentration and ranking

/** The finite values of a list, nulls dropped; null when any value is negative. */
function knownNonNegative(values: readonly Maybe[]): number[] | null {
  const known: number[] = [];
  for (const v of values) {
    const x = finite(v);
    if (x === null) continue;
    if (x < 0) return null;
    known.push(x);
  }
  return known;
}

/**
 * Herfindahl–Hirschman index of partner concentration on the 0–10,000 scale:
 * `HHI = Σ (100 × v_i / Σv)²`. One partner gives 10,000; N equal partners give 10,000 / N.
 *
 * Null values (partners without data) are ignored; a negative value makes the result null
 * (trade cannot be negative, so the data is wrong); null when `Σv ≤ 0`.
 */
export function hhi(values: readonly Maybe[]): number | null {
  const known = knownNonNegative(values);
  if (known === null) return null;
  const total = known.reduce((a, b) => a + b, 0);
  if (!(total > 0) || !Number.isFinite(total)) return null;
  return finite(known.reduce((sum, v) => sum + ((v / total) * 100) ** 2, 0));
}

/**
 * Normalised HHI on 0–1: `(H − 1/N) / (1 − 1/N)` with `H = HHI / 10,000` and N the number of
 * partners with a value (zeros count, nulls do not). 0 is an even spread, 1 a single partner.
 * Null for N < 2, where the measure is undefined.
 */
export function hhiNormalised(values: readonly Maybe[]): number | null {
  const known = knownNonNegative(values);
  const index = hhi(values);
  if (known === null || index === null || known.length < 2) return null;
  const n = known.length;
  const h = index / 10_000;
  // Rounding can put H a hair outside [1/N, 1]; clamp so an even spread reads 0, not −1e-16.
  return finite(Math.min(1, Math.max(0, (h - 1 / n) / (1 - 1 / n))));
}

/**
 * 1-based rank of `code` by value, largest first. Ties share the better rank and the next rank
 * is skipped (competition ranking, "1224"): rank = 1 + the number of strictly larger values.
 * Nulls are left out of the ranking; null when `code` itself has no value.
 */
export function rankOf(code: string, values: ReadonlyMap<string, Maybe>): number | null {
  const own = finite(values.get(code));
  if (own === null) return null;
  let larger = 0;
  for (const v of values.values()) {
    const x = finite(v);
    if (x !== null && x > own) larger++;
  }
  return larger + 1;
}

/** One entry of a `topN` list. */
export interface RankedEntry {
  code: string;
  value: number;
  /** `value / total × 100`; null when the total is missing or 0. */
  share: number | null;
  /** Competition rank among all values with data (as `rankOf`). */
  rank: number;
}

/**
 * The `n` largest entries, largest first, each with its share of `total` and its rank.
 *
 * `total` defaults to the sum of all known values; pass the published total (e.g. the province's
 * trade with the world) when the map holds only some partners, so shares are of the real total.
 * Nulls are left out. Equal values are ordered by code so the list is stable; when a tie straddles
 * the cut the later codes are dropped but the kept ones still show their shared rank.
 */
export function topN(values: ReadonlyMap<string, Maybe>, n: number, total?: Maybe): RankedEntry[] {
  const known: { code: string; value: number }[] = [];
  for (const [code, v] of values) {
    const x = finite(v);
    if (x !== null) known.push({ code, value: x });
  }
  known.sort((a, b) => b.value - a.value || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const whole = total === undefined ? known.reduce((s, e) => s + e.value, 0) : total;
  const count = Number.isFinite(n) ? Math.max(0, Math.floor(n)) : 0;
  const out: RankedEntry[] = [];
  for (let i = 0; i < known.length && out.length < count; i++) {
    const entry = known[i]!;
    const prev = out[out.length - 1];
    const rank = prev !== undefined && prev.value === entry.value ? prev.rank : i + 1;
    out.push({ code: entry.code, value: entry.value, share: share(entry.value, whole), rank });
  }
  return out;
}

/** Level of dependence on the largest partner, a key for the generated statements. */
export type DependenceLevel = 'high' | 'moderate' | 'low';

/**
 * Dependence level from the top partner's share in percent: `high` at 50% or more, `moderate`
 * from 25% up to 50%, `low` below 25%. Null when the share is missing or outside 0–100.
 */
export function dependence(shareOfTop: Maybe): DependenceLevel | null {
  const s = finite(shareOfTop);
  if (s === null || s < 0 || s > 100) return null;
  if (s >= 50) return 'high';
  if (s >= 25) return 'moderate';
  return 'low';
}

// ---------------------------------------------------------------------------------------------
// Bilateral indicators (i = the province, j = Japan, w = the benchmark, China as a whole)

/**
 * Trade intensity index: `TII = (x_ij / X_i) / (x_wj / X_w)` — the share of j in i's trade over
 * the share of j in the benchmark's trade. Above 1, i trades with j more intensely than the
 * benchmark does. Values must be non-negative and in one currency; null when any is missing or
 * `X_i`, `x_wj` or `X_w` is 0.
 */
export function tradeIntensity(xij: Maybe, Xi: Maybe, xwj: Maybe, Xw: Maybe): number | null {
  const a = nonNegative(xij);
  const b = positive(Xi);
  const c = positive(xwj);
  const d = positive(Xw);
  if (a === null || b === null || c === null || d === null) return null;
  return finite(a / b / (c / d));
}

/** The result of `untappedPotential`, each part null when it cannot be computed. */
export interface Potential {
  /** `X_i × (x_wj / X_w)`: the trade i would have with j at the benchmark's intensity. */
  expected: number | null;
  /** `x_ij`, the trade i actually has with j. */
  actual: number | null;
  /** `expected − actual`: positive is untapped potential, negative means i is above the benchmark. */
  gap: number | null;
}

/**
 * Untapped potential (US$): `gap = X_i × (x_wj / X_w) − x_ij`, the province's trade with j at
 * the benchmark's share of j, minus the actual. `expected` is null when `X_i` or `x_wj` is missing
 * or `X_w` is 0; `gap` is null when either side is.
 */
export function untappedPotential(Xi: Maybe, xwj: Maybe, Xw: Maybe, xij: Maybe): Potential {
  const total = nonNegative(Xi);
  const benchmarkToJ = nonNegative(xwj);
  const benchmark = positive(Xw);
  const expected =
    total === null || benchmarkToJ === null || benchmark === null
      ? null
      : finite(total * (benchmarkToJ / benchmark));
  const actual = nonNegative(xij);
  const gap = expected === null || actual === null ? null : finite(expected - actual);
  return { expected, actual, gap };
}

/**
 * Balassa revealed comparative advantage of i in product k: `RCA = (x_ik / X_i) / (x_wk / X_w)`,
 * i's export share of k over the benchmark's. Above 1 is a revealed advantage. Null when any
 * value is missing or `X_i`, `x_wk` or `X_w` is 0.
 */
export function rca(xik: Maybe, Xi: Maybe, xwk: Maybe, Xw: Maybe): number | null {
  // Same ratio of ratios as the intensity index, over products instead of partners.
  return tradeIntensity(xik, Xi, xwk, Xw);
}

/**
 * Revealed comparative advantage of i in the market of j, product k:
 * `RCA_j = (x_ijk / X_ij) / (m_jk / M_j)` — k's share of i's exports to j over k's share of j's
 * imports from the world. Above 1, i supplies j relatively more of k than the world does.
 *
 * The variant for when world exports by product (the Balassa denominator, `x_wk / X_w`) are not
 * loaded but the partner's imports by product are: it measures i's advantage as j's buyers reveal
 * it, not on the world market. Null when any value is missing or `X_ij`, `m_jk` or `M_j` is 0.
 */
export function rcaInMarket(xijk: Maybe, Xij: Maybe, mjk: Maybe, Mj: Maybe): number | null {
  return tradeIntensity(xijk, Xij, mjk, Mj);
}

/** Values or shares by product, re-scaled to fractions summing to 1; null when not possible. */
function normaliseShares(shares: ReadonlyMap<string, Maybe>): Map<string, number> | null {
  const known = new Map<string, number>();
  let total = 0;
  for (const [k, v] of shares) {
    const x = nonNegative(v);
    if (x === null) return null;
    known.set(k, x);
    total += x;
  }
  if (!(total > 0) || !Number.isFinite(total)) return null;
  for (const [k, x] of known) known.set(k, x / total);
  return known;
}

/**
 * Trade complementarity index (Michaely; Drysdale):
 * `C = 100 × (1 − Σ_k |m_jk − x_ik| / 2)`, where `x_ik` is product k's share of i's exports and
 * `m_jk` its share of j's imports. 100 when i exports exactly what j imports, 0 when they have no
 * product in common. A product missing from one map counts as a share of 0 there.
 *
 * Each map is re-normalised to sum to 1 before comparing, so it may hold fractions, percents or
 * raw values, and a list covering only the main products compares their distributions. Null when
 * a map is empty or sums to 0, or when any entry is null, negative or non-finite (an unknown
 * product share would silently shift the index).
 */
export function tradeComplementarity(
  exportSharesI: ReadonlyMap<string, Maybe>,
  importSharesJ: ReadonlyMap<string, Maybe>,
): number | null {
  const x = normaliseShares(exportSharesI);
  const m = normaliseShares(importSharesJ);
  if (x === null || m === null) return null;
  let distance = 0;
  for (const k of new Set([...x.keys(), ...m.keys()])) {
    distance += Math.abs((m.get(k) ?? 0) - (x.get(k) ?? 0));
  }
  // Rounding can put the sum a hair outside [0, 2]; clamp so identical lists read exactly 100.
  return finite(Math.min(100, Math.max(0, 100 * (1 - distance / 2))));
}

// ---------------------------------------------------------------------------------------------
// Coverage

/**
 * The latest year with a (non-null) value in every series; null when there is none or no series
 * is given. Used to pick the year a cross-indicator comparison can honestly use.
 */
export function latestCommonYear(...series: Series[]): number | null {
  const [first, ...rest] = series;
  if (first === undefined) return null;
  let best: number | null = null;
  for (const [year, value] of first) {
    if (finite(value) === null) continue;
    if (best !== null && year <= best) continue;
    if (rest.every((s) => finite(s.get(year)) !== null)) best = year;
  }
  return best;
}

/** What years a series covers. */
export interface YearCoverage {
  /** Earliest year with a value; null when none has one. */
  first: number | null;
  /** Latest year with a value; null when none has one. */
  last: number | null;
  /** Years without a value, ascending: inside first–last, or inside `span` when given. */
  missing: number[];
}

/**
 * First and last year with a value, and the years missing (absent or null) between them — or,
 * when `span` is given, across the span the brief wants (e.g. 2013–2023), so that years before
 * the data starts are reported too. Feeds notes like "not available in the loaded sources for
 * 2017–2019" via `formatYearRanges`.
 */
export function yearsCovered(series: Series, span?: { first: number; last: number }): YearCoverage {
  const known = [...series]
    .filter(([, v]) => finite(v) !== null)
    .map(([year]) => year)
    .sort((a, b) => a - b);
  const first = known[0] ?? null;
  const last = known[known.length - 1] ?? null;
  const from = span?.first ?? first;
  const to = span?.last ?? last;
  const missing: number[] = [];
  if (from !== null && to !== null && Number.isFinite(from) && Number.isFinite(to)) {
    const have = new Set(known);
    for (let y = Math.ceil(from); y <= to; y++) if (!have.has(y)) missing.push(y);
  }
  return { first, last, missing };
}

/**
 * Years as compact ranges: `[2017, 2018, 2019, 2021]` → `2017–2019, 2021` (en dash). Order and
 * duplicates in the input do not matter; non-integers are ignored; empty gives ''.
 */
export function formatYearRanges(years: readonly number[]): string {
  const sorted = [...new Set(years.filter((y) => Number.isInteger(y)))].sort((a, b) => a - b);
  const parts: string[] = [];
  let start: number | undefined;
  let prev: number | undefined;
  for (const y of sorted) {
    if (start !== undefined && prev !== undefined && y === prev + 1) {
      prev = y;
      continue;
    }
    if (start !== undefined && prev !== undefined) parts.push(start === prev ? `${start}` : `${start}–${prev}`);
    start = y;
    prev = y;
  }
  if (start !== undefined && prev !== undefined) parts.push(start === prev ? `${start}` : `${start}–${prev}`);
  return parts.join(', ');
}
