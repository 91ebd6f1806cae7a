// BriefData → BriefDocument for the Heilongjiang–Japan brief: the paper's five sections as headings,
// template sentences, a key-figures panel, vega-lite charts with inline data, tables and notes.
// Pure: the clock (`generatedAt`), the language's catalogue and the region names come in as
// arguments, so the same data always composes to the same document (the snapshot test relies on it).
// Every number shown is a Figure with its provenance; a lacking value is said to be lacking where it
// would have stood, never shown as 0 and never left out silently.
import type { BriefConfig } from '../../../config/schema.js';
import { ILLUSTRATIVE_MARK, type Block, type Lang, type BriefDocument, type Figure, type KeyFigure, type Section, type TableRow } from '../../document.js';
import { FORMULAS } from '../../analysis/indicators.js';
import type { BilateralYear, BriefData, GrowthGap, Metric, NationalProducts, RegionBilateral } from '../../analysis/brief-data.js';
import { formatter, type Formatter } from '../../format.js';
import { catalogue, type Messages } from '../../i18n/index.js';

export interface ComposeOptions {
  brief: BriefConfig;
  /** Language of every string of the document: its catalogue, number formats and names. */
  lang: Lang;
  /** ISO timestamp printed on the cover; the caller's clock, frozen in tests. */
  generatedAt: string;
  /** Display name of a region or country code in `lang` (the reference list's `name(code, lang)`). */
  names: (code: string) => string;
}

/** Values in tables and charts are in US$ million: the unit the paper and its readers use. */
const MILLION = 1e6;

const mil = (m: Metric): number | null => (m.value === null ? null : m.value / MILLION);
const val = (m: Metric): number | null => m.value;
const known = (m: Metric | undefined): m is Metric & { value: number } => m !== undefined && m.value !== null;

export function composeHljJapan(data: BriefData, opts: ComposeOptions): BriefDocument {
  const t = catalogue(opts.lang);
  const f = formatter(t.lang);
  const { subject, partner } = data;
  const name = (code: string): string => (code.startsWith('HS:') ? `HS ${code.slice(3)}` : opts.names(code));
  const S = name(subject);
  const P = name(partner);
  const ctx = new Context(data, t, f, name);

  const sections: Section[] = [economySection(ctx), openingSection(ctx), cooperationSection(ctx), opportunitiesSection(ctx), methodsSection(ctx)];
  sections[0]!.blocks.unshift(keyFigures(ctx));

  return {
    briefId: data.briefId,
    lang: t.lang,
    // The config is written in English, so its title is the English one; other languages use theirs.
    title: (t.lang === 'en' ? opts.brief.title : undefined) ?? t.title(S, P),
    subtitle: t.subtitle(S, P),
    subject: t.subjectLine(S, subject, P, partner),
    dataVintage: data.latestYear === null ? t.noVintage : f.year(data.latestYear),
    generatedAt: opts.generatedAt,
    runningHeader: t.runningHeader(S, P),
    sections,
    figures: ctx.figures(),
    sources: data.sources,
    illustrativeNote: t.illustrativeNote,
  };
}

/** What every section builder needs: the data, the words, the numbers' format and the names. */
class Context {
  readonly byId: Map<string, Metric>;
  constructor(
    readonly data: BriefData,
    readonly t: Messages,
    readonly f: Formatter,
    readonly name: (code: string) => string,
  ) {
    this.byId = new Map(data.metrics.map((m) => [m.id, m]));
  }

  get S(): string {
    return this.name(this.data.subject);
  }
  get P(): string {
    return this.name(this.data.partner);
  }

  label(m: Metric): string {
    const partner = m.partner === undefined || m.partner === 'WLD' ? '' : this.name(m.partner);
    const label = this.t.figure[m.kind](this.name(m.region), partner);
    return m.product === undefined ? label : this.t.labelProduct(label, this.name(m.product));
  }

  figures(): Figure[] {
    return this.data.metrics.map((m) => ({
      id: m.id,
      label: this.label(m),
      value: m.value,
      unit: m.unit,
      period: m.period,
      ...(m.formula ? { formula: this.t.formulas[m.formula] } : {}),
      illustrative: m.illustrative,
      provenance: m.provenance,
    }));
  }

  /** A formatted value with the illustrative mark when it is not published. */
  mark(m: Metric, text: string): string {
    return m.illustrative ? `${text}${ILLUSTRATIVE_MARK}` : text;
  }

  /** "Source: …" from the sources behind the metrics, in the order the brief lists sources. */
  sourceLine(metrics: readonly Metric[]): string {
    const ids = new Set(metrics.flatMap((m) => m.provenance.map((p) => p.source_id)));
    const titles = this.data.sources.filter((s) => ids.has(s.source_id)).map((s) => s.title);
    for (const id of ids) if (!this.data.sources.some((s) => s.source_id === id)) titles.push(id);
    return this.t.notes.source(titles);
  }

  sourceTitle(id: string): string {
    return this.data.sources.find((s) => s.source_id === id)?.title ?? id;
  }

  /** Formats a metric's value the way its unit reads. */
  show(m: Metric, value: number | null = m.value): string {
    const f = this.f;
    switch (m.unit) {
      case 'USD':
        return f.money(value);
      case 'CNY':
        return f.yuan(value);
      case '%':
        return f.pct(value);
      case 'pp':
        return f.pp(value);
      case 'index':
        return f.index(value);
      default:
        return f.count(value);
    }
  }

  /** Notes for metrics whose value a lower-priority source gives differently. */
  conflictNotes(metrics: readonly Metric[]): string[] {
    const out: string[] = [];
    for (const m of metrics) {
      for (const c of m.conflicts) {
        out.push(
          this.t.notes.conflict({
            label: this.t.labelAt(this.label(m), m.period),
            other: this.sourceTitle(c.other.source_id),
            otherValue: this.show(m, c.other.value),
            used: this.sourceTitle(c.used.source_id),
            usedValue: this.show(m, c.used.value),
          }),
        );
      }
    }
    return out;
  }

  /** The note for years a series lacks, or none. */
  missing(what: string, years: readonly number[]): string[] {
    if (years.length === 0) return [];
    return [this.t.missingNote(what, this.f.years(years))];
  }

  /** Table notes: source line, the lacking years, and any source disagreement. */
  tableNotes(metrics: readonly Metric[], extra: readonly string[] = []): string[] {
    return [this.sourceLine(metrics), ...extra, ...this.conflictNotes(metrics)];
  }
}

/** A `2013–2023` period from the analysis as the language writes a span (`2013—2023年`). */
function spanText(f: Formatter, period: string | null): string | null {
  const m = period ? /^(\d{4})–(\d{4})$/.exec(period) : null;
  return m ? f.span(Number(m[1]), Number(m[2])) : period;
}

function row(cells: TableRow['cells'], metrics: readonly Metric[], extra: Partial<TableRow> = {}): TableRow {
  const used = metrics.filter((m) => m.value !== null);
  const r: TableRow = { cells, figureIds: used.map((m) => m.id) };
  if (used.some((m) => m.illustrative)) r.illustrative = true;
  return { ...r, ...extra };
}

function lastKnown<T>(items: readonly T[], pick: (x: T) => Metric): T | undefined {
  for (let i = items.length - 1; i >= 0; i--) if (pick(items[i]!).value !== null) return items[i];
  return undefined;
}

function firstKnown<T>(items: readonly T[], pick: (x: T) => Metric): T | undefined {
  return items.find((x) => pick(x).value !== null);
}

function chartOrNote(ctx: Context, block: Extract<Block, { type: 'chart' }>, values: readonly unknown[], what: string): Block {
  // An empty chart is a frame with nothing in it; say what is lacking instead.
  if (values.length === 0) return { type: 'note', text: ctx.t.missingAll(what) };
  return block;
}

// ---------------------------------------------------------------------------------------------
// Key figures

// No † here: the renderers mark every key figure whose figure is illustrative.
function keyFigures(ctx: Context): Block {
  const { data, t, f } = ctx;
  const items: KeyFigure[] = [];
  const latest = lastKnown(data.trade.years, (y) => y.total);
  if (latest) items.push({ label: t.keyFigures.totalTrade, text: f.money(latest.total.value), figureId: latest.total.id, note: t.keyFigures.yearGrowth(f, latest.year, latest.growth.value) });
  const bl = data.bilateral.subject;
  const jp = lastKnown(bl.years, (y) => y.total);
  if (jp) {
    items.push({ label: t.keyFigures.partnerTrade(ctx.P), text: f.money(jp.total.value), figureId: jp.total.id, note: t.keyFigures.yearGrowth(f, jp.year, jp.growth.value) });
    if (jp.share.value !== null) items.push({ label: t.keyFigures.partnerShare(ctx.P), text: f.pct(jp.share.value), figureId: jp.share.id, note: t.keyFigures.yearRank(jp.year, jp.rank.value) });
  }
  const u = data.opportunities.untapped;
  if (u) {
    items.push({ label: t.keyFigures.tii(ctx.P), text: f.index(u.tii.value), figureId: u.tii.id, note: t.keyFigures.tiiNote(u.year) });
    items.push({ label: t.keyFigures.untapped, text: f.money(u.gap.value), figureId: u.gap.id, note: t.keyFigures.untappedNote(f, u.year, u.tii.value) });
  }
  const ru = lastKnown([...data.trade.russiaShare.values()], (m) => m);
  if (ru) items.push({ label: t.keyFigures.russiaShare(ctx.name('RUS')), text: f.pct(ru.value), figureId: ru.id, note: f.year(ru.period) });
  return { type: 'keyFigures', items };
}

// ---------------------------------------------------------------------------------------------
// 1. Economic development trends

function economySection(ctx: Context): Section {
  const { data, t, f, S } = ctx;
  const years = data.economy.years;
  const blocks: Block[] = [];
  const latest = lastKnown(years, (y) => y.gdpUsd);
  if (latest) {
    blocks.push({
      type: 'paragraph',
      text: t.sentences.gdp(f, { region: S, year: latest.year, usd: latest.gdpUsd.value, cny: latest.gdpCny.value, growth: latest.realGrowth.value }),
      figureIds: [latest.gdpUsd, latest.gdpCny, latest.realGrowth].filter(known).map((m) => m.id),
    });
  } else {
    blocks.push({ type: 'note', text: t.missingAll(t.figure['gdp.usd'](S, '')) });
  }
  const g0 = firstKnown(years, (y) => y.realGrowth);
  const g1 = lastKnown(years, (y) => y.realGrowth);
  if (g0 && g1 && g0.year !== g1.year) {
    blocks.push({ type: 'paragraph', text: t.sentences.gdpTrend(f, { region: S, first: g0.year, last: g1.year, growthFirst: g0.realGrowth.value!, growthLast: g1.realGrowth.value! }), figureIds: [g0.realGrowth.id, g1.realGrowth.id] });
  }
  const o1 = lastKnown(years, (y) => y.openness);
  const o0 = firstKnown(years, (y) => y.openness);
  if (o1) {
    blocks.push({
      type: 'paragraph',
      text: t.sentences.openness(f, { region: S, year: o1.year, openness: o1.openness.value!, ...(o0 && o0.year !== o1.year ? { first: { year: o0.year, openness: o0.openness.value! } } : {}) }),
      figureIds: [o1.openness.id, ...(o0 ? [o0.openness.id] : [])],
    });
  }

  const values = years.filter((y) => y.gdpUsd.value !== null || y.realGrowth.value !== null).map((y) => ({ year: String(y.year), gdp: y.gdpUsd.value === null ? null : y.gdpUsd.value / 1e9, growth: y.realGrowth.value }));
  blocks.push(
    chartOrNote(
      ctx,
      {
        type: 'chart',
        id: 'gdp',
        title: t.charts.gdp.title(S),
        spec: {
          data: { values },
          encoding: { x: { field: 'year', type: 'ordinal', title: null, axis: { labelAngle: 0 } } },
          layer: [
            { mark: { type: 'bar', opacity: 0.85 }, encoding: { y: { field: 'gdp', type: 'quantitative', title: t.charts.axis.usdBillion } } },
            { mark: { type: 'line', point: true, color: '#c77f56' }, encoding: { y: { field: 'growth', type: 'quantitative', title: t.charts.axis.growthPct } } },
          ],
          resolve: { scale: { y: 'independent' } },
        },
        alt: t.charts.gdp.alt(S),
        source: ctx.sourceLine(years.flatMap((y) => [y.gdpUsd, y.realGrowth])),
      },
      values,
      t.figure['gdp.usd'](S, ''),
    ),
  );

  const all = years.flatMap((y) => [y.gdpUsd, y.gdpCny, y.realGrowth, y.perCapitaUsd, y.trade, y.openness]);
  const c = t.columns;
  blocks.push({
    type: 'table',
    id: 'economy',
    title: t.tables.economy(S),
    columns: [
      { key: 'year', label: c.year, kind: 'text' },
      { key: 'gdpUsd', label: c.gdpUsd, kind: 'number' },
      { key: 'gdpCny', label: c.gdpCny, kind: 'number' },
      { key: 'growth', label: c.growth, kind: 'percent' },
      { key: 'perCapita', label: c.perCapita, kind: 'number', decimals: 0 },
      { key: 'trade', label: c.trade, kind: 'number' },
      { key: 'openness', label: c.openness, kind: 'percent' },
    ],
    rows: years.map((y) =>
      row({ year: String(y.year), gdpUsd: mil(y.gdpUsd), gdpCny: mil(y.gdpCny), growth: val(y.realGrowth), perCapita: val(y.perCapitaUsd), trade: mil(y.trade), openness: val(y.openness) }, [y.gdpUsd, y.gdpCny, y.realGrowth, y.perCapitaUsd, y.trade, y.openness]),
    ),
    notes: ctx.tableNotes(all, [...ctx.missing(t.figure['gdp.usd'](S, ''), data.economy.missing.gdp), ...ctx.missing(t.figure['gdp.growth'](S, ''), data.economy.missing.growth)]),
  });

  const regions = data.economy.comparators;
  blocks.push({
    type: 'table',
    id: 'economy-comparators',
    title: t.tables.economyComparators,
    columns: [
      { key: 'region', label: c.region, kind: 'text' },
      { key: 'year', label: c.year, kind: 'text' },
      { key: 'gdpUsd', label: c.gdpUsd, kind: 'number' },
      { key: 'growth', label: c.growth, kind: 'percent' },
      { key: 'openness', label: c.openness, kind: 'percent' },
    ],
    rows: regions.map((r) => row({ region: ctx.name(r.region), year: r.year === null ? null : String(r.year), gdpUsd: mil(r.gdpUsd), growth: val(r.realGrowth), openness: val(r.openness) }, [r.gdpUsd, r.realGrowth, r.openness])),
    notes: ctx.tableNotes(
      regions.flatMap((r) => [r.gdpUsd, r.realGrowth, r.openness]),
      regions.filter((r) => r.year === null).map((r) => t.missingAll(t.figure['gdp.usd'](ctx.name(r.region), ''))),
    ),
  });
  return { id: 'economy', heading: t.sections.economy(S), blocks };
}

// ---------------------------------------------------------------------------------------------
// 2. Opening-up and trade with the outside world

function openingSection(ctx: Context): Section {
  const { data, t, f, S } = ctx;
  const tr = data.trade;
  const blocks: Block[] = [];
  const latest = lastKnown(tr.years, (y) => y.total);
  if (latest) {
    blocks.push({
      type: 'paragraph',
      text: t.sentences.total(f, { region: S, year: latest.year, total: latest.total.value!, exports: latest.exports.value, imports: latest.imports.value, growth: latest.growth.value, prevYear: latest.year - 1 }),
      figureIds: [latest.total, latest.exports, latest.imports, latest.growth].filter(known).map((m) => m.id),
    });
    if (latest.balance.value !== null) blocks.push({ type: 'paragraph', text: t.sentences.balance(f, { region: S, year: latest.year, balance: latest.balance.value }), figureIds: [latest.balance.id] });
  } else {
    blocks.push({ type: 'note', text: t.missingAll(t.figure['trade.total'](S, '')) });
  }
  const cagr = tr.cagr.total;
  if (cagr.value !== null && cagr.period) {
    const [a, b] = cagr.period.split('–').map(Number);
    blocks.push({ type: 'paragraph', text: t.sentences.cagr(f, { first: a!, last: b ?? a!, cagr: cagr.value }), figureIds: [cagr.id] });
  }

  const py = tr.partners.year;
  if (py !== null && tr.partners.top.length) {
    const top5 = tr.partners.top.slice(0, 5);
    blocks.push({ type: 'paragraph', text: t.sentences.topPartners(f, { region: S, year: py, partners: top5.map((e) => ({ name: ctx.name(e.code), share: e.share.value, illustrative: e.share.illustrative })) }), figureIds: top5.map((e) => e.share.id) });
  }
  const ru = [...tr.russiaShare.values()].filter(known);
  const ru1 = ru[ru.length - 1];
  const ru0 = ru[0];
  if (ru1) {
    blocks.push({
      type: 'paragraph',
      text: t.sentences.russia(f, { region: S, partner: ctx.name('RUS'), year: Number(ru1.period), share: ru1.value, ...(ru0 && ru0 !== ru1 ? { first: { year: Number(ru0.period), share: ru0.value } } : {}) }),
      figureIds: [ru1.id, ...(ru0 && ru0 !== ru1 ? [ru0.id] : [])],
    });
  }
  if (py !== null && tr.partners.hhi.value !== null) {
    blocks.push({ type: 'paragraph', text: t.sentences.hhi(f, { year: py, hhi: tr.partners.hhi.value, normalised: tr.partners.hhiNormalised.value, countries: tr.partners.countries }), figureIds: [tr.partners.hhi.id, tr.partners.hhiNormalised.id] });
  }
  const groups = tr.groups.filter((g) => g.value.value !== null);
  const groupsMissing = tr.groups.filter((g) => g.value.value === null);
  if (groups.length) {
    const gy = Number(groups[groups.length - 1]!.value.period);
    blocks.push({ type: 'paragraph', text: t.sentences.groups(f, { year: gy, groups: groups.map((g) => ({ name: ctx.name(g.code), value: g.value.value!, share: g.share.value })) }), figureIds: groups.flatMap((g) => [g.value.id, g.share.id]) });
  }
  if (groupsMissing.length) blocks.push({ type: 'note', text: t.notes.groupsMissing(groupsMissing.map((g) => ctx.name(g.code))) });

  // Trend chart: exports, imports and total by year.
  const series = t.charts.series;
  const trendValues = tr.years.flatMap((y) =>
    [
      { year: String(y.year), series: series.exports, value: mil(y.exports) },
      { year: String(y.year), series: series.imports, value: mil(y.imports) },
      { year: String(y.year), series: series.total, value: mil(y.total) },
    ].filter((v) => v.value !== null),
  );
  const spanText = data.span ? f.span(data.span.first, data.span.last) : '';
  blocks.push(
    chartOrNote(
      ctx,
      {
        type: 'chart',
        id: 'trade-trend',
        title: t.charts.trend.title(S, spanText),
        spec: {
          data: { values: trendValues },
          mark: { type: 'line', point: true },
          encoding: {
            x: { field: 'year', type: 'ordinal', title: null, axis: { labelAngle: 0 } },
            y: { field: 'value', type: 'quantitative', title: t.charts.axis.usdMillion, axis: { format: ',.0f' } },
            color: { field: 'series', type: 'nominal', title: null, sort: [series.exports, series.imports, series.total] },
          },
        },
        alt: t.charts.trend.alt(S),
        source: ctx.sourceLine(tr.years.flatMap((y) => [y.exports, y.imports, y.total])),
      },
      trendValues,
      t.figure['trade.total'](S, ''),
    ),
  );

  const c = t.columns;
  const tradeMetrics = tr.years.flatMap((y) => [y.exports, y.imports, y.total, y.balance, y.growth]);
  blocks.push({
    type: 'table',
    id: 'trade',
    title: t.tables.trade(S),
    columns: [
      { key: 'year', label: c.year, kind: 'text' },
      { key: 'exports', label: c.exports, kind: 'number' },
      { key: 'imports', label: c.imports, kind: 'number' },
      { key: 'total', label: c.total, kind: 'number' },
      { key: 'balance', label: c.balance, kind: 'number' },
      { key: 'growth', label: c.yoy, kind: 'percent' },
    ],
    rows: tr.years.map((y) => row({ year: String(y.year), exports: mil(y.exports), imports: mil(y.imports), total: mil(y.total), balance: mil(y.balance), growth: val(y.growth) }, [y.exports, y.imports, y.total, y.balance, y.growth])),
    notes: ctx.tableNotes(tradeMetrics, ctx.missing(t.figure['trade.total'](S, ''), tr.missing)),
  });

  // Partner structure.
  if (py !== null) {
    const partnerValues = tr.partners.top.map((e) => ({ partner: ctx.name(e.code), share: e.share.value })).filter((v) => v.share !== null);
    blocks.push(
      chartOrNote(
        ctx,
        {
          type: 'chart',
          id: 'partner-shares',
          title: t.charts.partners.title(S, py),
          spec: {
            data: { values: partnerValues },
            mark: 'bar',
            encoding: {
              y: { field: 'partner', type: 'nominal', sort: '-x', title: null },
              x: { field: 'share', type: 'quantitative', title: t.charts.partners.axis(py) },
            },
          },
          alt: t.charts.partners.alt(S, py),
          source: ctx.sourceLine(tr.partners.top.map((e) => e.share)),
        },
        partnerValues,
        t.tables.partners(S, py),
      ),
    );
    const entries = [...tr.partners.top];
    const japanRow = data.bilateral.subject.years.find((y) => y.year === py);
    const whole = tr.years.find((y) => y.year === py)?.total;
    blocks.push({
      type: 'table',
      id: 'partners',
      title: t.tables.partners(S, py),
      columns: [
        { key: 'rank', label: c.rank, kind: 'integer' },
        { key: 'partner', label: c.partner, kind: 'text' },
        { key: 'trade', label: c.trade, kind: 'number' },
        { key: 'share', label: c.share, kind: 'percent' },
      ],
      rows: [
        ...entries.map((e) => row({ rank: e.rank, partner: ctx.name(e.code), trade: mil(e.value), share: val(e.share) }, [e.value, e.share])),
        // The focus partner is always shown, even when it is outside the top ten.
        ...(japanRow && !entries.some((e) => e.code === data.partner) && japanRow.total.value !== null
          ? [row({ rank: val(japanRow.rank), partner: ctx.P, trade: mil(japanRow.total), share: val(japanRow.share) }, [japanRow.total, japanRow.share, japanRow.rank])]
          : []),
        ...(whole ? [row({ rank: null, partner: ctx.name('WLD'), trade: mil(whole), share: whole.value === null ? null : 100 }, [whole], { total: true })] : []),
      ],
      notes: ctx.tableNotes(
        entries.flatMap((e) => [e.value, e.share]),
        [t.notes.partnersListed(f.money(whole?.value ?? null)), ...ctx.missing(t.tables.partnersAll(S), tr.partners.missing)],
      ),
    });
  } else {
    blocks.push({ type: 'note', text: t.missingAll(t.figure['trade.share'](S, t.columns.partner)) });
  }
  if (groups.length) {
    blocks.push({
      type: 'table',
      id: 'groups',
      title: t.tables.groups(S),
      columns: [
        { key: 'group', label: c.group, kind: 'text' },
        { key: 'year', label: c.year, kind: 'text' },
        { key: 'trade', label: c.trade, kind: 'number' },
        { key: 'share', label: c.share, kind: 'percent' },
      ],
      rows: groups.map((g) => row({ group: ctx.name(g.code), year: g.value.period, trade: mil(g.value), share: val(g.share) }, [g.value, g.share])),
      notes: ctx.tableNotes(groups.flatMap((g) => [g.value, g.share])),
    });
  }
  return { id: 'opening', heading: t.sections.opening(S), blocks };
}

// ---------------------------------------------------------------------------------------------
// 3. Economic and trade cooperation with the partner

function bilateralTable(ctx: Context, b: RegionBilateral, id: string): Block {
  const { t } = ctx;
  const c = t.columns;
  const metrics = (y: BilateralYear): Metric[] => [y.exports, y.imports, y.total, y.balance, y.growth, y.share, y.rank, y.tii, y.benchmarkShare];
  return {
    type: 'table',
    id,
    title: t.tables.partner(ctx.name(b.region), ctx.P),
    columns: [
      { key: 'year', label: c.year, kind: 'text' },
      { key: 'exports', label: c.exports, kind: 'number' },
      { key: 'imports', label: c.imports, kind: 'number' },
      { key: 'total', label: c.total, kind: 'number' },
      { key: 'balance', label: c.balance, kind: 'number' },
      { key: 'growth', label: c.yoy, kind: 'percent' },
      { key: 'share', label: c.share, kind: 'percent' },
      { key: 'rank', label: c.rank, kind: 'integer' },
      { key: 'tii', label: c.tii, kind: 'index', decimals: 2 },
      { key: 'benchmarkShare', label: c.benchmarkShare(ctx.P), kind: 'percent' },
    ],
    rows: b.years.map((y) =>
      row(
        { year: String(y.year), exports: mil(y.exports), imports: mil(y.imports), total: mil(y.total), balance: mil(y.balance), growth: val(y.growth), share: val(y.share), rank: val(y.rank), tii: val(y.tii), benchmarkShare: val(y.benchmarkShare) },
        metrics(y),
      ),
    ),
    notes: ctx.tableNotes(b.years.flatMap(metrics), [
      ...ctx.missing(t.figure['trade.total'](ctx.name(b.region), ctx.P), b.missing),
      ...ctx.missing(t.figure['trade.total'](ctx.name(ctx.data.benchmark), ctx.P), b.years.filter((y) => y.benchmarkShare.value === null).map((y) => y.year)),
      t.notes.benchmark(ctx.P),
    ]),
  };
}

function cooperationSection(ctx: Context): Section {
  const { data, t, f, S, P } = ctx;
  const b = data.bilateral.subject;
  const blocks: Block[] = [];
  const latest = lastKnown(b.years, (y) => y.total);
  if (latest) {
    blocks.push({
      type: 'paragraph',
      text: t.sentences.partnerTrade(f, { region: S, partner: P, year: latest.year, value: latest.total.value!, share: latest.share.value, growth: latest.growth.value, prevYear: latest.year - 1, mark: latest.total.illustrative ? ILLUSTRATIVE_MARK : '' }),
      figureIds: [latest.total, latest.share, latest.growth].filter(known).map((m) => m.id),
    });
    if (latest.exports.value !== null && latest.imports.value !== null) {
      blocks.push({ type: 'paragraph', text: t.sentences.partnerFlows(f, { partner: P, exports: latest.exports.value, imports: latest.imports.value }), figureIds: [latest.exports.id, latest.imports.id] });
    }
    if (latest.balance.value !== null) blocks.push({ type: 'paragraph', text: t.sentences.balance(f, { region: S, partner: P, year: latest.year, balance: latest.balance.value }), figureIds: [latest.balance.id] });
    if (latest.rank.value !== null && data.trade.partners.year === latest.year) {
      blocks.push({ type: 'paragraph', text: t.sentences.rank({ partner: P, rank: latest.rank.value, year: latest.year, countries: data.trade.partners.countries }), figureIds: [latest.rank.id] });
    }
  } else {
    blocks.push({ type: 'note', text: t.missingAll(t.figure['trade.total'](S, P)) });
  }
  const tiiYear = lastKnown(b.years, (y) => y.tii);
  if (tiiYear) {
    blocks.push({
      type: 'paragraph',
      text: t.sentences.tii(f, { region: S, partner: P, year: tiiYear.year, tii: tiiYear.tii.value!, share: tiiYear.share.value, benchmarkShare: tiiYear.benchmarkShare.value }),
      figureIds: [tiiYear.tii, tiiYear.share, tiiYear.benchmarkShare].filter(known).map((m) => m.id),
    });
  }
  const benchYears = b.years.filter((y) => y.benchmarkShare.value !== null).map((y) => y.year);
  if (!tiiYear || benchYears.length < b.years.length) blocks.push({ type: 'note', text: t.sentences.tiiMissing({ partner: P, years: f.years(benchYears) }) });

  const partnerValues = b.years.flatMap((y) =>
    [
      { year: String(y.year), series: t.charts.series.exports, value: mil(y.exports) },
      { year: String(y.year), series: t.charts.series.imports, value: mil(y.imports) },
    ].filter((v) => v.value !== null),
  );
  // Years with only a published total still belong on the chart.
  for (const y of b.years) if (y.exports.value === null && y.imports.value === null && y.total.value !== null) partnerValues.push({ year: String(y.year), series: t.charts.series.total, value: mil(y.total) });
  blocks.push(
    chartOrNote(
      ctx,
      {
        type: 'chart',
        id: 'partner-trade',
        title: t.charts.partner.title(S, P),
        spec: {
          data: { values: partnerValues },
          mark: 'bar',
          encoding: {
            x: { field: 'year', type: 'ordinal', title: null, axis: { labelAngle: 0 } },
            y: { field: 'value', type: 'quantitative', title: t.charts.axis.usdMillion, stack: 'zero' },
            color: { field: 'series', type: 'nominal', title: null },
          },
        },
        alt: t.charts.partner.alt(S, P),
        source: ctx.sourceLine(b.years.flatMap((y) => [y.exports, y.imports, y.total])),
      },
      partnerValues,
      t.figure['trade.total'](S, P),
    ),
  );
  const tiiValues = b.years.filter((y) => y.tii.value !== null).map((y) => ({ year: String(y.year), tii: y.tii.value }));
  blocks.push(
    chartOrNote(
      ctx,
      {
        type: 'chart',
        id: 'tii',
        title: t.charts.tii.title(S, P),
        spec: {
          data: { values: tiiValues },
          layer: [
            { mark: { type: 'line', point: true }, encoding: { x: { field: 'year', type: 'ordinal', title: null, axis: { labelAngle: 0 } }, y: { field: 'tii', type: 'quantitative', title: t.charts.axis.index } } },
            { mark: { type: 'rule', strokeDash: [4, 3], color: '#8a9399' }, encoding: { y: { datum: 1 } } },
          ],
        },
        alt: t.charts.tii.alt(S, P),
        source: ctx.sourceLine(b.years.map((y) => y.tii)),
      },
      tiiValues,
      t.figure.tii(S, P),
    ),
  );
  blocks.push(bilateralTable(ctx, b, 'partner-trade'));

  // Comparators side by side.
  const regions = [b, ...data.bilateral.comparators];
  const latestRows = regions.map((r) => ({ r, y: lastKnown(r.years, (y) => y.share) }));
  const withData = latestRows.filter((x): x is { r: RegionBilateral; y: BilateralYear } => x.y !== undefined);
  if (withData.length > 1) {
    blocks.push({
      type: 'paragraph',
      text: t.sentences.comparators(f, { partner: P, rows: withData.map(({ r, y }) => ({ name: ctx.name(r.region), year: y.year, share: y.share.value, tii: y.tii.value })) }),
      figureIds: withData.flatMap(({ y }) => [y.share, y.tii].filter(known).map((m) => m.id)),
    });
  }
  const compValues = regions.flatMap((r) => r.years.filter((y) => y.share.value !== null).map((y) => ({ year: String(y.year), region: ctx.name(r.region), share: y.share.value })));
  blocks.push(
    chartOrNote(
      ctx,
      {
        type: 'chart',
        id: 'comparators',
        title: t.charts.comparators.title(P),
        spec: {
          data: { values: compValues },
          mark: { type: 'line', point: true },
          encoding: {
            x: { field: 'year', type: 'ordinal', title: null, axis: { labelAngle: 0 } },
            y: { field: 'share', type: 'quantitative', title: t.charts.comparators.axis(P) },
            color: { field: 'region', type: 'nominal', title: null, sort: regions.map((r) => ctx.name(r.region)) },
          },
        },
        alt: t.charts.comparators.alt(P),
        source: ctx.sourceLine(regions.flatMap((r) => r.years.map((y) => y.share))),
      },
      compValues,
      t.tables.comparators(P),
    ),
  );
  const c = t.columns;
  blocks.push({
    type: 'table',
    id: 'comparators',
    title: t.tables.comparators(P),
    columns: [
      { key: 'region', label: c.region, kind: 'text' },
      { key: 'year', label: c.year, kind: 'text' },
      { key: 'trade', label: c.trade, kind: 'number' },
      { key: 'share', label: c.share, kind: 'percent' },
      { key: 'tii', label: c.tii, kind: 'index', decimals: 2 },
      { key: 'cagr', label: c.cagr(P), kind: 'percent' },
      { key: 'period', label: c.period, kind: 'text' },
    ],
    rows: latestRows.map(({ r, y }) =>
      row(
        { region: ctx.name(r.region), year: y ? String(y.year) : null, trade: y ? mil(y.total) : null, share: y ? val(y.share) : null, tii: y ? val(y.tii) : null, cagr: val(r.cagr), period: spanText(f, r.cagr.period) },
        [...(y ? [y.total, y.share, y.tii] : []), r.cagr],
      ),
    ),
    notes: ctx.tableNotes(
      latestRows.flatMap(({ r, y }) => [...(y ? [y.total, y.share, y.tii] : []), r.cagr]),
      [...latestRows.filter((x) => !x.y).map((x) => t.missingAll(t.figure['trade.total'](ctx.name(x.r.region), P))), t.notes.benchmark(P)],
    ),
  });

  // Products.
  const pr = data.bilateral.products;
  if (pr.available && pr.year !== null) {
    const top = pr.rca.slice(0, 5);
    blocks.push({
      type: 'paragraph',
      text: t.sentences.products(f, { year: pr.year, top: top.map((m) => ({ name: ctx.name(m.partner!), rca: m.value })), complementarity: pr.complementarity?.value ?? null, partner: P }),
      figureIds: [...top, ...(pr.complementarity ? [pr.complementarity] : [])].filter(known).map((m) => m.id),
    });
    blocks.push({
      type: 'table',
      id: 'rca',
      title: t.tables.rca(S),
      columns: [
        { key: 'product', label: c.product, kind: 'text' },
        { key: 'rca', label: c.rca, kind: 'index', decimals: 2 },
      ],
      rows: pr.rca.map((m) => row({ product: ctx.name(m.partner!), rca: val(m) }, [m])),
      notes: ctx.tableNotes(pr.rca),
    });
  } else if (pr.national) {
    blocks.push(...nationalProducts(ctx, pr.national));
  } else {
    blocks.push({ type: 'note', text: t.sentences.productsMissing(P) });
  }

  // Investment.
  const inv = data.bilateral.investment;
  const invLatest = lastKnown(inv.years, (y) => (y.utilized.value !== null ? y.utilized : y.contracted.value !== null ? y.contracted : y.projects));
  if (invLatest) {
    blocks.push({
      type: 'paragraph',
      text: t.sentences.investment(f, { region: S, partner: P, year: invLatest.year, projects: invLatest.projects.value, contracted: invLatest.contracted.value, utilized: invLatest.utilized.value, share: invLatest.share.value }),
      figureIds: [invLatest.projects, invLatest.contracted, invLatest.utilized, invLatest.share].filter(known).map((m) => m.id),
    });
    const invMetrics = inv.years.flatMap((y) => [y.projects, y.contracted, y.utilized, y.utilizedAll, y.share]);
    blocks.push({
      type: 'table',
      id: 'investment',
      title: t.tables.investment(S, P),
      columns: [
        { key: 'year', label: c.year, kind: 'text' },
        { key: 'projects', label: c.projects, kind: 'integer' },
        { key: 'contracted', label: c.contracted, kind: 'number' },
        { key: 'utilized', label: c.utilized, kind: 'number' },
        { key: 'utilizedAll', label: c.utilizedAll, kind: 'number' },
        { key: 'share', label: c.fdiShare(P), kind: 'percent' },
      ],
      rows: inv.years.map((y) => row({ year: String(y.year), projects: val(y.projects), contracted: mil(y.contracted), utilized: mil(y.utilized), utilizedAll: mil(y.utilizedAll), share: val(y.share) }, [y.projects, y.contracted, y.utilized, y.utilizedAll, y.share])),
      notes: ctx.tableNotes(invMetrics, ctx.missing(t.tables.investment(S, P), inv.missing)),
    });
  } else {
    blocks.push({ type: 'note', text: t.sentences.investmentMissing(P, S) });
  }
  return { id: 'cooperation', heading: t.sections.cooperation(S, P), blocks };
}

/**
 * The product indicators of the national comparator (China as a whole) for a subject without
 * product rows: a note saying so comes first, and every title and note repeats that the numbers
 * are national, so no sentence can be read as the province's.
 */
function nationalProducts(ctx: Context, np: NationalProducts): Block[] {
  const { t, f, S, P } = ctx;
  const N = ctx.name(np.region);
  const blocks: Block[] = [{ type: 'note', text: t.sentences.productsNational({ region: S, national: N, partner: P }) }];
  const comp = np.complementarity;
  if (comp && known(comp) && np.complementarityYear !== null) {
    blocks.push({ type: 'paragraph', text: t.sentences.complementarityNational(f, { national: N, partner: P, year: np.complementarityYear, value: comp.value }), figureIds: [comp.id] });
  } else {
    blocks.push({ type: 'note', text: t.missingAll(t.figure.complementarity(N, P)) });
  }
  const shown = np.rca.filter((e) => known(e.rca));
  if (shown.length === 0 || np.rcaYear === null) {
    blocks.push({ type: 'note', text: t.missingAll(t.figure.rcaInMarket(N, P)) });
    return blocks;
  }
  const top = shown.slice(0, 3);
  blocks.push({
    type: 'paragraph',
    text: t.sentences.rcaNational(f, { national: N, partner: P, year: np.rcaYear, chapters: np.chapters, top: top.map((e) => ({ name: ctx.name(e.code), rca: e.rca.value, share: e.share.value })) }),
    figureIds: top.flatMap((e) => [e.rca, e.share]).filter(known).map((m) => m.id),
  });
  const c = t.columns;
  const metrics = shown.flatMap((e) => [e.rca, e.share, e.exports]);
  blocks.push({
    type: 'table',
    id: 'rca-national',
    title: t.tables.rcaNational(N, P, np.rcaYear),
    columns: [
      { key: 'chapter', label: c.chapter, kind: 'text' },
      { key: 'section', label: c.section, kind: 'text' },
      { key: 'rca', label: c.rcaInMarket(P), kind: 'index', decimals: 2 },
      { key: 'share', label: c.exportShare(P), kind: 'percent' },
      { key: 'exports', label: c.exportsTo(P), kind: 'number' },
    ],
    rows: shown.map((e) =>
      // The bare chapter number under an "HS chapter" header: `HS 85` wraps in the narrow column the short zh/ja header gives it.
      row({ chapter: e.code.slice(3), section: e.section ? `${e.section.section} ${e.section.names[t.lang]}` : null, rca: val(e.rca), share: val(e.share), exports: mil(e.exports) }, [e.rca, e.share, e.exports]),
    ),
    notes: ctx.tableNotes(metrics, [t.notes.rcaNational({ national: N, partner: P })]),
  });
  return blocks;
}

// ---------------------------------------------------------------------------------------------
// 4. Opportunities and deficiencies

function gapSentences(ctx: Context, gaps: readonly GrowthGap[], what: string): Block[] {
  const { t, f, S } = ctx;
  return gaps.map((g): Block => {
    if (!g.span || g.gap.value === null || g.subjectCagr.value === null || g.comparatorCagr.value === null) {
      return { type: 'note', text: t.sentences.growthGapMissing({ comparator: ctx.name(g.comparator), what }) };
    }
    return {
      type: 'paragraph',
      text: t.sentences.growthGap(f, { region: S, comparator: ctx.name(g.comparator), what, first: g.span.first, last: g.span.last, a: g.subjectCagr.value, b: g.comparatorCagr.value, gap: g.gap.value }),
      figureIds: [g.subjectCagr.id, g.comparatorCagr.id, g.gap.id],
    };
  });
}

function opportunitiesSection(ctx: Context): Section {
  const { data, t, f, S, P } = ctx;
  const o = data.opportunities;
  const blocks: Block[] = [];
  const u = o.untapped;
  if (u && u.expected.value !== null && u.actual.value !== null && u.gap.value !== null) {
    blocks.push({
      type: 'paragraph',
      text: t.sentences.untapped(f, { region: S, partner: P, year: u.year, expected: u.expected.value, actual: u.actual.value, gap: u.gap.value }),
      figureIds: [u.expected.id, u.actual.id, u.gap.id, u.tii.id],
    });
  } else {
    blocks.push({ type: 'note', text: t.missingAll(t.figure['untapped.gap'](S, P)) });
  }
  const dep = data.trade.dependence;
  if (dep.top && dep.level && dep.top.share.value !== null && data.trade.partners.year !== null) {
    blocks.push({
      type: 'paragraph',
      text: t.sentences.dependence(f, { region: S, partner: ctx.name(dep.top.code), year: data.trade.partners.year, share: dep.top.share.value, level: dep.level }),
      figureIds: [dep.top.share.id],
    });
  }
  blocks.push(...gapSentences(ctx, o.tradeGaps, t.whatTotalTrade), ...gapSentences(ctx, o.partnerGaps, t.whatPartnerTrade(P)));

  const c = t.columns;
  if (o.untappedSeries.length) {
    const metrics = o.untappedSeries.flatMap((x) => [x.actual, x.expected, x.gap, x.tii]);
    const benchYears = new Set(o.untappedSeries.map((x) => x.year));
    const lacking = data.bilateral.subject.years.map((y) => y.year).filter((y) => !benchYears.has(y));
    blocks.push({
      type: 'table',
      id: 'untapped',
      title: t.tables.untapped(S, P),
      columns: [
        { key: 'year', label: c.year, kind: 'text' },
        { key: 'actual', label: c.actual, kind: 'number' },
        { key: 'expected', label: c.expected, kind: 'number' },
        { key: 'gap', label: c.gap, kind: 'number' },
        { key: 'tii', label: c.tii, kind: 'index', decimals: 2 },
      ],
      rows: o.untappedSeries.map((x) => row({ year: String(x.year), actual: mil(x.actual), expected: mil(x.expected), gap: mil(x.gap), tii: val(x.tii) }, [x.actual, x.expected, x.gap, x.tii])),
      notes: ctx.tableNotes(metrics, ctx.missing(t.figure['untapped.gap'](S, P), lacking)),
    });
  }
  const gaps = [...o.tradeGaps.map((g) => ({ g, what: t.whatTotalTrade })), ...o.partnerGaps.map((g) => ({ g, what: t.whatPartnerTrade(P) }))];
  if (gaps.length) {
    blocks.push({
      type: 'table',
      id: 'growth-gaps',
      title: t.tables.gaps,
      columns: [
        { key: 'comparison', label: c.comparison, kind: 'text' },
        { key: 'period', label: c.period, kind: 'text' },
        { key: 'subject', label: c.subjectCagr(S), kind: 'percent' },
        { key: 'comparator', label: c.comparatorCagr, kind: 'percent' },
        { key: 'gap', label: c.gapPp, kind: 'number' },
      ],
      rows: gaps.map(({ g, what }) =>
        row({ comparison: t.comparisonRow(what, S, ctx.name(g.comparator)), period: g.span ? f.span(g.span.first, g.span.last) : null, subject: val(g.subjectCagr), comparator: val(g.comparatorCagr), gap: val(g.gap) }, [g.subjectCagr, g.comparatorCagr, g.gap]),
      ),
      notes: ctx.tableNotes(gaps.flatMap(({ g }) => [g.subjectCagr, g.comparatorCagr])),
    });
  }
  return { id: 'opportunities', heading: t.sections.opportunities, blocks };
}

// ---------------------------------------------------------------------------------------------
// 5. Data and methods

function methodsSection(ctx: Context): Section {
  const { data, t } = ctx;
  const c = t.columns;
  const blocks: Block[] = [{ type: 'paragraph', text: t.sentences.sourcesIntro(data.sources.length) }];
  blocks.push({
    type: 'table',
    id: 'sources',
    title: t.tables.sources,
    columns: [
      { key: 'source', label: c.source, kind: 'text' },
      { key: 'publisher', label: c.publisher, kind: 'text' },
      { key: 'url', label: c.url, kind: 'text' },
      { key: 'sha256', label: c.sha256, kind: 'text' },
      { key: 'fetchedAt', label: c.fetchedAt, kind: 'text' },
      { key: 'run', label: c.run, kind: 'integer' },
    ],
    rows: data.sources.map((s) => ({ cells: { source: t.sourceEntry(s.title, s.source_id), publisher: s.publisher, url: s.url, sha256: s.sha256 ?? t.notes.notLoaded, fetchedAt: s.fetched_at, run: s.run_id } })),
  });
  const used = [...new Set(data.metrics.filter((m) => m.formula && m.value !== null).map((m) => m.formula!))];
  const order = Object.keys(FORMULAS) as (keyof typeof FORMULAS)[];
  blocks.push({ type: 'paragraph', text: t.notes.formulasIntro });
  blocks.push({
    type: 'table',
    id: 'formulas',
    title: t.tables.formulas,
    columns: [
      { key: 'indicator', label: c.indicator, kind: 'text' },
      { key: 'formula', label: c.formula, kind: 'text' },
    ],
    rows: order.filter((k) => used.includes(k)).map((k) => ({ cells: { indicator: t.formulaNames[k], formula: t.formulas[k] } })),
  });
  const illustrative = data.metrics.filter((m) => m.illustrative && m.value !== null && m.provenance.length === 1 && !m.formula);
  if (illustrative.length) {
    blocks.push({ type: 'paragraph', text: t.notes.illustrativeIntro });
    blocks.push({
      type: 'list',
      items: illustrative.map((m) => t.notes.illustrativeItem({ label: t.labelAt(ctx.label(m), m.period), value: `${ctx.show(m)}${ILLUSTRATIVE_MARK}`, source: m.provenance[0]!.source_id, cell: shortCell(m.provenance[0]!.cell) })),
    });
  } else {
    blocks.push({ type: 'note', text: t.notes.illustrativeNone });
  }
  const conflicts = ctx.conflictNotes(data.metrics);
  if (conflicts.length) {
    blocks.push({ type: 'paragraph', text: t.notes.conflictsIntro });
    blocks.push({ type: 'list', items: conflicts });
  } else {
    blocks.push({ type: 'note', text: t.notes.conflictsNone });
  }
  return { id: 'methods', heading: t.sections.methods, blocks };
}

/** `sha256#Sheet!C7` with the hash cut to 12 characters, as the Sources list prints it; the workbook keeps it whole. */
function shortCell(cell: string): string {
  return cell.replace(/^([0-9a-f]{12})[0-9a-f]{52}#/, '$1…#');
}
