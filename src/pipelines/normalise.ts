// Records in the source's own words → facts in canonical terms (codes, periods, US dollars).
// Pure: the reference lists and FX rates come in as values. Never invents data: a value that cannot
// be placed is a reject naming the label and the cell; a value that cannot be converted keeps
// value_usd NULL, never 0.
import type { FixedValues } from '../config/schema.js';
import { isTotalLabel, parseFlow, parsePeriod, parseUnit } from './lexicon/index.js';
import { memoise } from './lexicon/memo.js';
import { fdiMeasure, fxCurrency, indicatorCode, investmentMeasure, isQuantityMeasure } from './measures.js';
import type { Reference } from './reference.js';
import type { Dataset, Fact, FactValue, NormaliseResult, Reject, SourceRecord } from './types.js';

/** Units of `currency` per US dollar for a year, or null when the warehouse has no rate. */
export type FxLookup = (currency: string, year: number) => number | null;

export interface NormaliseOptions {
  dataset: Dataset;
  fixed?: FixedValues;
  /** The config's `unit`, overriding what the table states. */
  unit?: string;
  reference: Reference;
  fx: FxLookup;
  /**
   * The places to keep (partners of trade, investors of investment, regions of indicators): rows
   * of other places — or of labels no code list knows — are counted as skipped, not rejected. For
   * downloads that list every economy and aggregate when the brief wants a few (WDI's bulk CSV).
   */
  only?: readonly string[];
}

export interface NormaliseOutput extends NormaliseResult {
  /** Values not loaded on purpose (missing markers, growth rates in a trade table), by reason. */
  skipped: Record<string, number>;
  /** Money values whose currency had no FX rate for the year: loaded with value_usd NULL. */
  unconverted: string[];
}

const PARTNER_PREFIX = /^(对|對|対|与|與|自|向|from|with|to)\s*/i;

export function normalise(records: readonly SourceRecord[], opts: NormaliseOptions): NormaliseOutput {
  const n = createNormaliser(opts);
  const facts: Fact[] = [];
  const rejects: Reject[] = [];
  for (const r of records) n.push(r, facts, rejects);
  return { facts, rejects, skipped: n.skipped, unconverted: n.unconverted() };
}

/** One record at a time, for the streaming CSV path: what `normalise` does, with its state kept between calls. */
export interface Normaliser {
  /** Normalises one record: appends its fact to `facts`, or its reject to `rejects`, or counts it as skipped. */
  push(r: SourceRecord, facts: Fact[], rejects: Reject[]): void;
  /** Values not loaded on purpose so far, by reason (the object is updated in place). */
  readonly skipped: Record<string, number>;
  /** Money values without an FX rate so far (NormaliseOutput.unconverted). */
  unconverted(): string[];
}

export interface NormaliserOptions {
  /**
   * Reject a record whose fact has the key of an earlier one (`duplicate: the same fact as C7`);
   * default true. The streaming CSV path turns it off and finds duplicates in its staging table
   * instead (load.ts, StreamLoad.dedupe): a Map of a million keys would be ~100 MB.
   */
  dedupe?: boolean;
}

export function createNormaliser(opts: NormaliseOptions, options: NormaliserOptions = {}): Normaliser {
  const skipped: Record<string, number> = {};
  const unconverted = new Set<string>();
  const seen = new Map<string, string>();
  // null when off: the key (a string of six parts per fact) is then never built.
  const dedupe = options.dedupe === false ? null : dedupeIn(seen);
  const fixed = opts.fixed ?? {};
  const skip = (why: string) => (skipped[why] = (skipped[why] ?? 0) + 1);
  const only = opts.only && opts.only.length > 0 ? new Set(opts.only) : null;
  const OUTSIDE = 'places outside `only`';
  /** False (and counted) when `only` leaves this place out. */
  const wanted = (code: string | null): boolean => {
    if (!only || (code !== null && only.has(code))) return true;
    skip(OUTSIDE);
    return false;
  };

  // A table repeats a few periods, units and partners on every row: each is read once per call
  // (issue 6). Per call, because the reference lists come with the options.
  const parseUnitCached = cached(parseUnit);
  const parsePeriodCached = cached((text: string) => parsePeriod(text));
  const ref = opts.reference;
  const lookupCached = cached((label: string) => lookupCode(ref, label));
  const lookup = (label: string | undefined): string | null => (label ? lookupCached(label) : null);

  // One closure for the whole normaliser rather than one per record: `r` is the record being read
  // and `out` the rejects it goes to.
  let r: SourceRecord;
  let out: Reject[] = [];
  const reject = (reason: string) => out.push({ cell: r.cell, reason, raw: r.raw === null || r.raw === undefined ? null : String(r.raw) });
  const push = (record: SourceRecord, facts: Fact[], rejects: Reject[]): void => {
    r = record;
    out = rejects;
    if (r.value === null) {
      if (r.error) reject(r.error);
      else skip('missing');
      return;
    }
    const periodText = r.dims.period ?? fixed.period;
    if (periodText === undefined) {
      reject('no period: the table has no year or month for this value; set fixed.period or layout');
      return;
    }
    const period = parsePeriodCached(periodText);
    if (!period) {
      reject(`unrecognised period "${periodText}"`);
      return;
    }
    const unitText = opts.unit ?? r.unit ?? undefined;

    if (opts.dataset === 'fx') {
      const currency = fixed.currency ?? fxCurrency(r.dims.measure) ?? fxCurrency(r.dims.partner) ?? fxCurrency(unitText);
      if (!currency) {
        reject(`no currency: cannot tell which currency "${r.dims.measure ?? r.dims.partner ?? ''}" is; set fixed.currency`);
        return;
      }
      if (!(r.value > 0)) {
        reject(`an exchange rate must be positive, got ${r.value}`);
        return;
      }
      if (dedupe && !dedupe(`fx|${currency}|${period.period}`, r, reject)) return;
      facts.push({ table: 'fx_rate', currency, period: period.period, per_usd: r.value, cell: r.cell });
      return;
    }

    if (opts.dataset !== 'indicator' && isQuantityMeasure(r.dims.measure)) {
      // Customs tables print quantities beside values; the fact tables hold values only.
      skip('quantities beside values');
      return;
    }
    if (unitText === undefined || unitText === null || unitText === '') {
      reject('no unit: the table states none; set the source\'s unit in the config');
      return;
    }
    const unit = parseUnitCached(unitText);
    if (!unit) {
      reject(`unrecognised unit "${unitText}"`);
      return;
    }
    if (opts.dataset !== 'indicator' && unit.kind === 'quantity') {
      skip('quantities beside values');
      return;
    }
    if (unit.kind === 'percent' && opts.dataset !== 'indicator') {
      // Growth rates and shares printed beside trade values are derived figures; the analysis
      // recomputes them from the values, so they are counted, not loaded.
      skip('percentages in a value table');
      return;
    }
    const year = Number.parseInt(period.period.slice(0, 4), 10);
    const base: FactValue = {
      period: period.period,
      period_kind: period.kind,
      value: r.value,
      unit: unit.text || unitText,
      currency: unit.currency,
      value_usd: null,
      illustrative: r.illustrative,
      cell: r.cell,
    };
    if (unit.kind === 'money' && unit.currency) {
      const perUsd = unit.currency === 'USD' ? 1 : opts.fx(unit.currency, year);
      if (perUsd) base.value_usd = (r.value * unit.scale) / perUsd;
      else unconverted.add(`${unit.currency} ${year}`);
    }

    if (opts.dataset === 'trade') {
      const reporter = fixed.reporter ?? lookup(r.dims.reporter);
      if (!reporter) {
        reject(r.dims.reporter ? `unknown reporter "${r.dims.reporter}": add it to data/reference` : 'no reporter: set fixed.reporter');
        return;
      }
      const partner = fixed.partner ?? tradePartner(lookup, r);
      if (!wanted(partner)) return;
      if (!partner) {
        reject(`unknown partner "${r.dims.partner ?? r.dims.measure ?? ''}": add an alias to data/reference/countries.csv or groups.csv`);
        return;
      }
      // In a flow column (`flow: total | export | import`) a bare total is total trade; elsewhere
      // "Total" alone names a total row, not a flow.
      const flow = fixed.flow ?? parseFlow(r.dims.flow ?? '') ?? (r.dims.flow && isTotalLabel(r.dims.flow) ? 'total' : null) ?? parseFlow(r.dims.measure ?? '');
      if (!flow) {
        reject(`no flow: "${r.dims.flow ?? r.dims.measure ?? ''}" is not exports, imports or total trade`);
        return;
      }
      const product = fixed.product ?? productCode(r.dims.product) ?? 'TOTAL';
      if (dedupe && !dedupe(`trade|${reporter}|${partner}|${flow}|${product}|${period.period}|${period.kind}`, r, reject)) return;
      // Spelled out rather than `...base`: the spread was half of this function on a long trade table.
      facts.push({
        table: 'trade_flow',
        reporter,
        partner,
        flow,
        product,
        period: base.period,
        period_kind: base.period_kind,
        value: base.value,
        unit: base.unit,
        currency: base.currency,
        value_usd: base.value_usd,
        illustrative: base.illustrative,
        cell: base.cell,
      });
    } else if (opts.dataset === 'investment') {
      const host = fixed.host ?? lookup(r.dims.reporter);
      if (!host) {
        reject(r.dims.reporter ? `unknown host region "${r.dims.reporter}"` : 'no host: set fixed.host');
        return;
      }
      const investor = fixed.investor ?? (r.total ? 'WLD' : lookup(r.dims.partner));
      if (!wanted(investor)) return;
      if (!investor) {
        reject(`unknown investor "${r.dims.partner ?? ''}": add an alias to data/reference/countries.csv`);
        return;
      }
      const measure = fixed.measure ?? investmentMeasure(r.dims.measure) ?? investmentMeasure(unitText);
      if (!measure) {
        reject(`unknown investment measure "${r.dims.measure ?? ''}" (expected projects, contracted or utilised)`);
        return;
      }
      if (dedupe && !dedupe(`inv|${host}|${investor}|${measure}|${period.period}|${period.kind}`, r, reject)) return;
      facts.push({ table: 'investment_flow', host, investor, measure, ...base });
    } else {
      const region = fixed.region ?? lookup(r.dims.reporter) ?? lookup(r.dims.partner);
      if (!wanted(region)) return;
      if (!region) {
        const label = r.dims.reporter ?? r.dims.partner;
        reject(label ? `unknown region "${label}": add an alias to data/reference/regions.csv` : 'no region: set fixed.region');
        return;
      }
      const fdi = fixed.code ? null : fdiMeasure(r.dims.measure);
      if (fdi) {
        if (dedupe && !dedupe(`inv|${region}|WLD|${fdi}|${period.period}|${period.kind}`, r, reject)) return;
        facts.push({ table: 'investment_flow', host: region, investor: fixed.investor ?? 'WLD', measure: fdi, ...base });
        return;
      }
      const code = fixed.code ?? indicatorCode(r.dims.measure);
      if (!code) {
        reject(`unknown indicator "${r.dims.measure ?? ''}": expected GDP, real GDP growth, GDP per capita or population`);
        return;
      }
      if (dedupe && !dedupe(`ind|${region}|${code}|${period.period}|${period.kind}`, r, reject)) return;
      facts.push({ table: 'indicator', region, code, ...base });
    }
  };
  return { push, skipped, unconverted: () => [...unconverted] };
}

function dedupeIn(seen: Map<string, string>): (key: string, r: SourceRecord, reject: (reason: string) => void) => boolean {
  return (key, r, reject) => {
    const first = seen.get(key);
    if (first !== undefined) {
      reject(`duplicate: the same fact as ${first}`);
      return false;
    }
    seen.set(key, r.cell);
    return true;
  };
}

/** `read` remembering its answers for the length of one normalise call. */
function cached<T>(read: (text: string) => T): (text: string) => T {
  const cache = new Map<string, T>();
  return (text) => {
    const hit = cache.get(text);
    if (hit !== undefined || cache.has(text)) return hit as T;
    const value = read(text);
    cache.set(text, value);
    return value;
  };
}

function lookupCode(ref: Reference, label: string): string | null {
  const hit = ref.lookup(label) ?? ref.lookup(label.replace(PARTNER_PREFIX, ''));
  return hit ? hit.code : null;
}

/** The partner of a trade record: a total row is the world; else the row label, else a column label (`对俄罗斯`). */
function tradePartner(lookup: (label: string | undefined) => string | null, r: SourceRecord): string | null {
  if (r.dims.partner) {
    const code = lookup(r.dims.partner);
    if (code) return code;
    return r.total ? 'WLD' : null;
  }
  if (r.dims.measure && !parseFlow(r.dims.measure)) {
    const code = lookup(r.dims.measure);
    if (code) return code;
    // A total column (`全省 Province total` over 进出口/出口/进口) is the reporter's trade with the world.
    return r.total ? 'WLD' : null;
  }
  return 'WLD';
}

function productCode(label: string | undefined): string | null {
  return label ? rememberedProduct(label) : null;
}

const rememberedProduct = memoise(readProductCode);

function readProductCode(label: string): string | null {
  const m = /^(?:HS\s*:?\s*)?(\d{2,6})\b/i.exec(label.normalize('NFKC').trim());
  if (m) return `HS:${m[1]}`;
  if (/^(total|合计|总计|総計|合計|all products?)$/i.test(label.trim())) return 'TOTAL';
  return null;
}
