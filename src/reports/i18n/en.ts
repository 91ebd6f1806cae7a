// The English message catalogue of the briefs: every string a document shows, keyed, so zh and ja
// catalogues can be added as objects of the same type (`Messages`). Sentence templates are
// functions of the numbers and a `Formatter`, because word choice follows the numbers (rose/fell,
// surplus/deficit) and word order differs between languages — a string with blanks could not.
import type { Lang } from '../document.js';
import type { Formatter } from '../format.js';
import { FORMULAS, type DependenceLevel } from '../analysis/indicators.js';
import type { MetricKind } from '../analysis/brief-data.js';

type N = number | null;

/** Direction word of a change, chosen by sign, so the text can never contradict the number. */
function direction(x: number, up: string, down: string, flat: string): string {
  return x > 0 ? up : x < 0 ? down : flat;
}

/** "A, B and C". */
function listOf(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function possessive(name: string): string {
  return name.endsWith('s') ? `${name}'` : `${name}'s`;
}

/** Labels of figures by metric kind; every kind must have one (the type says so). */
function figureLabels(labels: Record<MetricKind, (region: string, partner: string) => string>): Record<MetricKind, (region: string, partner: string) => string> {
  return labels;
}

export const en = {
  lang: 'en' as Lang,

  // --- Cover -------------------------------------------------------------------------------
  title: (subject: string, partner: string) => `${possessive(subject)} Economic and Trade Cooperation with ${partner}`,
  subtitle: (subject: string, partner: string) =>
    `The potential for the promotion of ${possessive(subject)} economic and trade cooperation with ${partner} in the "One Belt, One Road" strategy — regenerated from the loaded statistics`,
  subjectLine: (subject: string, subjectCode: string, partner: string, partnerCode: string) => `${subject} (${subjectCode}) · focus partner ${partner} (${partnerCode})`,
  runningHeader: (subject: string, partner: string) => `${subject}–${partner} economic and trade cooperation · tradebrief`,
  illustrativeNote: '† Illustrative value: not published; see Data and methods.',
  noVintage: 'no data loaded',

  // --- Coverage ----------------------------------------------------------------------------
  notAvailableFor: (years: string) => `not available in the loaded sources for ${years}`,
  notAvailable: 'not available in the loaded sources',
  missingNote: (what: string, years: string) => `${what}: not available in the loaded sources for ${years}.`,
  missingAll: (what: string) => `${what}: not available in the loaded sources.`,

  // --- Section headings --------------------------------------------------------------------
  sections: {
    economy: (subject: string) => `Economic development trends in ${subject}`,
    opening: (subject: string) => `${possessive(subject)} opening-up and trade with the outside world`,
    cooperation: (subject: string, partner: string) => `Economic and trade cooperation between ${subject} and ${partner}`,
    opportunities: 'Opportunities and deficiencies',
    methods: 'Data and methods',
  },

  // --- Figure labels (by metric kind) --------------------------------------------------------
  figure: figureLabels({
    'trade.total': (r: string, p: string) => (!p ? `${r} total trade` : `${r} trade with ${p}`),
    'trade.exports': (r: string, p: string) => (!p ? `${r} exports` : `${r} exports to ${p}`),
    'trade.imports': (r: string, p: string) => (!p ? `${r} imports` : `${r} imports from ${p}`),
    'trade.balance': (r: string, p: string) => (!p ? `${r} trade balance` : `${r} trade balance with ${p}`),
    'trade.growth': (r: string, p: string) => (!p ? `${r} trade growth, year on year` : `${r} trade with ${p}, growth year on year`),
    'trade.cagr': (r: string, p: string) => (!p ? `${r} trade, compound annual growth` : `${r} trade with ${p}, compound annual growth`),
    'trade.share': (r: string, p: string) => `${p} share of ${possessive(r)} trade`,
    'trade.rank': (r: string, p: string) => `${p} rank among ${possessive(r)} partners`,
    'trade.benchmarkShare': (r: string, p: string) => `${p} share of ${possessive(r)} trade`,
    tii: (r: string, p: string) => `Trade intensity index, ${r}–${p}`,
    'untapped.expected': (r: string, p: string) => `${r} trade with ${p} at China's national intensity`,
    'untapped.gap': (r: string, p: string) => `Untapped potential, ${r}–${p} trade`,
    hhi: (r: string) => `Partner concentration (HHI), ${r}`,
    hhiNormalised: (r: string) => `Partner concentration (normalised HHI), ${r}`,
    'gdp.usd': (r: string) => `${r} GDP`,
    'gdp.cny': (r: string) => `${r} GDP in yuan`,
    'gdp.growth': (r: string) => `${r} real GDP growth`,
    'gdp.perCapita': (r: string) => `${r} GDP per capita`,
    openness: (r: string) => `${r} trade openness (trade / GDP)`,
    'investment.projects': (r: string, p: string) => `${p} investment projects in ${r}`,
    'investment.contracted': (r: string, p: string) => `${p} contracted investment in ${r}`,
    'investment.utilized': (r: string, p: string) => `${p} utilised investment in ${r}`,
    'investment.share': (r: string, p: string) => `${p} share of utilised FDI in ${r}`,
    rca: (r: string, p: string) => `Revealed comparative advantage of ${r} in ${p}`,
    rcaInMarket: (r: string, p: string) => `Revealed comparative advantage of ${r} in ${possessive(p)} market`,
    'product.share': (r: string, p: string) => `Share of ${possessive(r)} exports to ${p}`,
    complementarity: (r: string, p: string) => `Trade complementarity, ${r} exports vs ${p} imports`,
    growthGap: (r: string, p: string) => `Growth gap, ${r} vs ${p}`,
  }),

  // --- Key figures ---------------------------------------------------------------------------
  keyFigures: {
    totalTrade: 'Foreign trade, total',
    partnerTrade: (p: string) => `Trade with ${p}`,
    partnerShare: (p: string) => `${p} share of trade`,
    tii: (p: string) => `Trade intensity with ${p}`,
    untapped: 'Untapped potential',
    russiaShare: (p: string) => `${p} share of trade`,
    yearGrowth: (f: Formatter, year: number, g: N) => (g === null ? String(year) : `${year}, ${f.signedPct(g)} y/y`),
    yearRank: (year: number, rank: N) => (rank === null ? String(year) : `${year}, rank ${rank}`),
    tiiNote: (year: number) => `${year}, China = 1`,
    untappedNote: (f: Formatter, year: number, tii: N) => `${year}, at China's national share${tii === null ? '' : ` (TII ${f.index(tii)})`}`,
  },

  // --- Sentences -----------------------------------------------------------------------------
  sentences: {
    gdp: (f: Formatter, p: { region: string; year: number; usd: N; cny: N; growth: N }) =>
      `In ${p.year} ${possessive(p.region)} GDP was ${f.money(p.usd)}${p.cny === null ? '' : ` (${f.yuan(p.cny)})`}` +
      (p.growth === null ? '.' : `, and the economy grew by ${f.pct(p.growth)} in real terms.`),
    gdpTrend: (f: Formatter, p: { region: string; first: number; last: number; growthFirst: number; growthLast: number }) =>
      `Real growth ${direction(p.growthLast - p.growthFirst, 'rose', 'fell', 'was unchanged')} from ${f.pct(p.growthFirst)} in ${p.first} to ${f.pct(p.growthLast)} in ${p.last}.`,
    openness: (f: Formatter, p: { region: string; year: number; openness: number; first?: { year: number; openness: number } }) =>
      `Trade openness (foreign trade as a share of GDP, both in US dollars) was ${f.pct(p.openness)} in ${p.year}` +
      (p.first ? `, against ${f.pct(p.first.openness)} in ${p.first.year}.` : '.'),
    total: (f: Formatter, p: { region: string; year: number; total: number; exports: N; imports: N; growth: N; prevYear: number }) =>
      `In ${p.year} ${possessive(p.region)} foreign trade was ${f.money(p.total)}` +
      (p.exports !== null && p.imports !== null ? ` (exports ${f.moneyAs(p.exports, p.total)}, imports ${f.moneyAs(p.imports, p.total)})` : '') +
      (p.growth === null ? '.' : p.growth === 0 ? `, unchanged from ${p.prevYear}.` : `; it ${direction(p.growth, 'rose', 'fell', 'was unchanged')} by ${f.absPct(p.growth)} from ${p.prevYear}.`),
    balance: (f: Formatter, p: { region: string; year: number; balance: number; partner?: string }) =>
      p.balance === 0
        ? `Trade${p.partner ? ` with ${p.partner}` : ''} was balanced in ${p.year}.`
        : `The trade balance${p.partner ? ` with ${p.partner}` : ''} was a ${p.balance > 0 ? 'surplus' : 'deficit'} of ${f.money(Math.abs(p.balance))} in ${p.year}.`,
    cagr: (f: Formatter, p: { first: number; last: number; cagr: number }) =>
      `Over ${f.span(p.first, p.last)} total trade ${direction(p.cagr, 'grew', 'shrank', 'was unchanged')} at a compound annual rate of ${f.signedPct(p.cagr)}.`,
    topPartners: (f: Formatter, p: { region: string; year: number; partners: { name: string; share: N; illustrative?: boolean }[] }) =>
      `${possessive(p.region)} largest trading partners in ${p.year} were ${listOf(p.partners.map((x) => `${x.name} (${f.pct(x.share)}${x.illustrative ? '†' : ''})`))}.`,
    russia: (f: Formatter, p: { region: string; partner: string; year: number; share: number; first?: { year: number; share: number } }) =>
      `${p.partner} accounted for ${f.pct(p.share)} of ${possessive(p.region)} trade in ${p.year}` +
      (p.first ? `, against ${f.pct(p.first.share)} in ${p.first.year}.` : '.'),
    hhi: (f: Formatter, p: { year: number; hhi: number; normalised: N; countries: number }) =>
      `Partner concentration in ${p.year} was ${f.num(p.hhi, 0)} on the Herfindahl–Hirschman scale of 0–10,000 over the ${p.countries} partner countries listed` +
      (p.normalised === null ? '.' : ` (${f.index(p.normalised)} normalised, where 0 is an even spread and 1 a single partner).`),
    groups: (f: Formatter, p: { year: number; groups: { name: string; value: number; share: N }[] }) =>
      `In ${p.year} trade with ${listOf(p.groups.map((g) => `${g.name} was ${f.money(g.value)} (${f.pct(g.share)})`))}.`,
    /** `mark` is the illustrative mark (†) to put after the value, or ''. */
    partnerTrade: (f: Formatter, p: { region: string; partner: string; year: number; value: number; share: N; growth: N; prevYear: number; mark: string }) =>
      `In ${p.year} ${possessive(p.region)} trade with ${p.partner} was ${f.moneyMillion(p.value)}${p.mark}` +
      (p.share === null ? '' : `, ${f.pct(p.share)} of its total`) +
      (p.growth === null
        ? '.'
        : p.growth === 0
          ? `, unchanged from ${p.prevYear}.`
          : `, ${f.absPct(p.growth)} ${p.growth > 0 ? 'higher' : 'lower'} than in ${p.prevYear}.`),
    partnerFlows: (f: Formatter, p: { partner: string; exports: number; imports: number }) =>
      `Exports to ${p.partner} were ${f.moneyMillion(p.exports)} and imports from ${p.partner} ${f.moneyMillion(p.imports)}.`,
    rank: (p: { partner: string; rank: number; year: number; countries: number }) =>
      `${p.partner} ranked ${ordinal(p.rank)} among the ${p.countries} partner countries listed for ${p.year}.`,
    tii: (f: Formatter, p: { region: string; partner: string; year: number; tii: number; share: N; benchmarkShare: N }) =>
      `The trade intensity index with ${p.partner} was ${f.index(p.tii)} in ${p.year}: ${p.partner} took ${f.pct(p.share)} of ${possessive(p.region)} trade against ${f.pct(p.benchmarkShare)} of China's, so ${p.region} trades with ${p.partner} ` +
      (p.tii > 1 ? 'more intensely than China as a whole.' : p.tii < 1 ? 'less intensely than China as a whole.' : 'exactly as intensely as China as a whole.'),
    tiiMissing: (p: { partner: string; years: string }) =>
      `The trade intensity index needs China's national trade with ${p.partner}, which the loaded sources hold for ${p.years || 'no year'} only.`,
    products: (f: Formatter, p: { year: number; top: { name: string; rca: N }[]; complementarity: N; partner: string }) =>
      `In ${p.year} the products with the highest revealed comparative advantage were ${listOf(p.top.map((x) => `${x.name} (${f.index(x.rca)})`))}` +
      (p.complementarity === null ? '.' : `; the trade complementarity index with ${possessive(p.partner)} imports was ${f.num(p.complementarity, 1)} (0–100).`),
    productsMissing: (partner: string) =>
      `Product composition, revealed comparative advantage (RCA) and the trade complementarity index with ${partner} need HS product-level trade, which is not available in the loaded sources.`,
    /** Before the national product indicators: whose numbers they are, said before any is shown. */
    productsNational: (p: { region: string; national: string; partner: string }) =>
      `${possessive(p.region)} own trade by HS product is not available in the loaded sources, so the product indicators below are national: they describe ${p.national} as a whole — the comparator this brief measures ${p.region} against — not ${p.region}.`,
    complementarityNational: (f: Formatter, p: { national: string; partner: string; year: number; value: number }) =>
      `In ${p.year} the trade complementarity index of ${possessive(p.national)} exports to the world with ${possessive(p.partner)} imports from the world was ${f.num(p.value, 1)} (0–100 over HS chapters; 100 when ${possessive(p.national)} export mix matches ${possessive(p.partner)} import mix exactly).`,
    rcaNational: (f: Formatter, p: { national: string; partner: string; year: number; chapters: number; top: { name: string; rca: N; share: N }[] }) =>
      `Of the ${p.chapters} HS chapters compared, ${possessive(p.national)} highest revealed comparative advantage in ${possessive(p.partner)} market in ${p.year} was in ${listOf(p.top.map((x) => `${x.name} (RCA ${f.index(x.rca)}; ${f.pct(x.share)} of its exports to ${p.partner})`))}.`,
    investment: (f: Formatter, p: { region: string; partner: string; year: number; projects: N; contracted: N; utilized: N; share: N }) =>
      `In ${p.year} ${p.partner} investment in ${p.region} comprised ` +
      listOf(
        [
          p.projects === null ? null : `${f.count(p.projects)} projects`,
          p.contracted === null ? null : `${f.money(p.contracted)} contracted`,
          p.utilized === null ? null : `${f.money(p.utilized)} utilised`,
        ].filter((x): x is string => x !== null),
      ) +
      (p.share === null ? '.' : `, ${f.pct(p.share)} of the utilised foreign direct investment.`),
    investmentMissing: (partner: string, region: string) => `${partner} investment in ${region} (projects, contracted and utilised) is not available in the loaded sources.`,
    comparators: (f: Formatter, p: { partner: string; rows: { name: string; year: number; share: N; tii: N }[] }) =>
      `Side by side, ${p.partner} took ${listOf(p.rows.map((r) => `${f.pct(r.share)} of ${possessive(r.name)} trade in ${r.year}${r.tii === null ? '' : ` (TII ${f.index(r.tii)})`}`))}.`,
    untapped: (f: Formatter, p: { region: string; partner: string; year: number; expected: number; actual: number; gap: number }) =>
      p.gap > 0
        ? `Had ${p.partner} taken the same share of ${possessive(p.region)} trade as of China's in ${p.year}, ${possessive(p.region)} trade with ${p.partner} would have been ${f.money(p.expected)} instead of ${f.money(p.actual)}: an untapped potential of ${f.money(p.gap)}.`
        : `In ${p.year} ${possessive(p.region)} trade with ${p.partner} (${f.money(p.actual)}) was ${f.money(-p.gap)} above the ${f.money(p.expected)} it would have at China's national intensity: no untapped potential by this measure.`,
    growthGap: (f: Formatter, p: { region: string; comparator: string; what: string; first: number; last: number; a: number; b: number; gap: number }) =>
      `Over ${f.span(p.first, p.last)} ${possessive(p.region)} ${p.what} grew at ${f.signedPct(p.a)} a year against ${f.signedPct(p.b)} for ${p.comparator}: ${f.pp(p.gap)} ${p.gap >= 0 ? 'ahead' : 'behind'}.`,
    growthGapMissing: (p: { comparator: string; what: string }) => `A growth comparison of ${p.what} with ${p.comparator} is not possible: the loaded sources share fewer than two years.`,
    dependence: (f: Formatter, p: { region: string; partner: string; year: number; share: number; level: DependenceLevel }) =>
      `Dependence on one partner is ${p.level}: ${p.partner} alone accounted for ${f.pct(p.share)} of ${possessive(p.region)} trade in ${p.year}` +
      (p.level === 'high' ? `, so a shock to that one relationship moves the whole of the region's trade.` : '.'),
    sourcesIntro: (n: number) =>
      `The figures come from the ${n} sources listed below, as loaded into the tradebrief warehouse; each is identified by the SHA-256 of the file read and the ingest run that loaded it. When two sources give the same fact, the source with the higher configured priority is used.`,
  },

  whatTotalTrade: 'total trade',
  whatPartnerTrade: (p: string) => `trade with ${p}`,

  // --- Charts --------------------------------------------------------------------------------
  charts: {
    trend: { title: (r: string, span: string) => `${possessive(r)} foreign trade, ${span}`, alt: (r: string) => `Lines of ${possessive(r)} exports, imports and total trade by year, in US$ million.` },
    partners: { title: (r: string, year: number) => `${possessive(r)} main trading partners, ${year}`, alt: (r: string, year: number) => `Horizontal bars of each main partner's share of ${possessive(r)} trade in ${year}.`, axis: (year: number) => `Share of ${year} trade (%)` },
    partner: { title: (r: string, p: string) => `${possessive(r)} trade with ${p}`, alt: (r: string, p: string) => `Bars of ${possessive(r)} exports to and imports from ${p} by year, in US$ million.` },
    comparators: { title: (p: string) => `${p} share of each region's trade`, alt: (p: string) => `Lines of ${p} share of the trade of each compared region by year, in percent.`, axis: (p: string) => `${p} share of trade (%)` },
    gdp: { title: (r: string) => `${possessive(r)} GDP and real growth`, alt: (r: string) => `Bars of ${possessive(r)} GDP in US$ billion with a line of real GDP growth in percent.` },
    tii: { title: (r: string, p: string) => `Trade intensity, ${r}–${p} (China = 1)`, alt: (r: string, p: string) => `A line of the trade intensity index of ${r} with ${p} by year; 1 is China's national intensity.` },
    axis: { usdMillion: 'US$ million', usdBillion: 'GDP (US$ billion)', growthPct: 'Real growth (%)', index: 'Index (China = 1)' },
    series: { exports: 'Exports', imports: 'Imports', total: 'Total' },
  },

  // --- Tables --------------------------------------------------------------------------------
  tables: {
    economy: (r: string) => `${r}: GDP, growth and trade openness`,
    economyComparators: 'GDP and openness of the compared regions (latest year each)',
    trade: (r: string) => `${r}: foreign trade`,
    partners: (r: string, year: number) => `${r}: main trading partners, ${year}`,
    /** The partners table named without its year, for the note on years it lacks. */
    partnersAll: (r: string) => `${r}: main trading partners`,
    groups: (r: string) => `${r}: trade with groups of countries`,
    partner: (r: string, p: string) => `${r}: trade with ${p}`,
    comparators: (p: string) => `Trade with ${p}, compared regions (latest year each)`,
    investment: (r: string, p: string) => `${p} investment in ${r}`,
    rca: (r: string) => `${r}: revealed comparative advantage by product`,
    rcaNational: (national: string, p: string, year: number) => `${national} (national level): revealed comparative advantage in ${possessive(p)} market by HS chapter, ${year}`,
    untapped: (r: string, p: string) => `${r}–${p}: trade at China's national intensity`,
    gaps: 'Growth gaps against the compared regions',
    sources: 'Sources',
    formulas: 'Formulas',
  },
  columns: {
    year: 'Year',
    region: 'Region',
    partner: 'Partner',
    group: 'Group',
    product: 'Product',
    gdpUsd: 'GDP (US$ million)',
    gdpCny: 'GDP (CNY million)',
    growth: 'Real growth (%)',
    perCapita: 'GDP per capita (US$)',
    trade: 'Trade (US$ million)',
    openness: 'Openness (%)',
    exports: 'Exports (US$ million)',
    imports: 'Imports (US$ million)',
    total: 'Total (US$ million)',
    balance: 'Balance (US$ million)',
    yoy: 'Growth y/y (%)',
    share: 'Share (%)',
    rank: 'Rank',
    tii: 'TII (China = 1)',
    benchmarkShare: (p: string) => `${p} share of China's trade (%)`,
    cagr: (p: string) => `CAGR of trade with ${p} (%)`,
    projects: 'Projects',
    contracted: 'Contracted (US$ million)',
    utilized: 'Utilised (US$ million)',
    utilizedAll: 'Utilised FDI, all investors (US$ million)',
    fdiShare: (p: string) => `${p} share of utilised FDI (%)`,
    rca: 'RCA',
    chapter: 'HS chapter',
    section: 'HS section',
    rcaInMarket: (p: string) => `RCA in ${possessive(p)} market`,
    exportShare: (p: string) => `Share of exports to ${p} (%)`,
    exportsTo: (p: string) => `Exports to ${p} (US$ million)`,
    actual: 'Actual (US$ million)',
    expected: "At China's intensity (US$ million)",
    gap: 'Untapped potential (US$ million)',
    comparison: 'Comparison',
    period: 'Period',
    subjectCagr: (r: string) => `${r} CAGR (%)`,
    comparatorCagr: 'Comparator CAGR (%)',
    gapPp: 'Gap (percentage points)',
    source: 'Source',
    publisher: 'Publisher',
    url: 'File',
    sha256: 'SHA-256',
    fetchedAt: 'Fetched',
    run: 'Run',
    indicator: 'Indicator',
    formula: 'Formula',
  },

  // --- Notes -----------------------------------------------------------------------------
  notes: {
    source: (titles: readonly string[]) => (titles.length ? `Source: ${titles.join('; ')}; tradebrief calculations.` : 'Source: none of the loaded sources.'),
    conflict: (p: { label: string; other: string; otherValue: string; used: string; usedValue: string }) =>
      `${p.label}: ${p.other} gives ${p.otherValue}; ${p.used} (higher priority) gives ${p.usedValue} — ${p.usedValue} used.`,
    partnersListed: (total: string) => `Shares are of total trade (${total}); only partners the source lists individually are ranked.`,
    benchmark: (p: string) => `TII and untapped potential are measured against China's national trade with ${p}; China itself is the benchmark (TII = 1).`,
    groupsMissing: (names: readonly string[]) => `Trade with ${listOf(names)}: not available in the loaded sources (the sources list no such group).`,
    illustrativeNone: 'No value in this brief is illustrative.',
    illustrativeIntro: 'Illustrative values (not published; shown with †):',
    conflictsIntro: 'Where sources disagree by more than 0.5%:',
    conflictsNone: 'No two loaded sources disagree by more than 0.5% on a fact this brief uses.',
    notLoaded: 'configured, not yet loaded',
    formulasIntro: 'Indicators are computed from the warehouse values with these formulas (i = the region, j = the partner, w = China as a whole, k = a product):',
    illustrativeItem: (p: { label: string; value: string; source: string; cell: string }) => `${p.label}: ${p.value} (${p.source}, ${p.cell})`,
    rcaNational: (p: { national: string; partner: string }) =>
      `National level (${p.national} as a whole). RCA in ${possessive(p.partner)} market = (the chapter's share of ${possessive(p.national)} exports to ${p.partner}) / (its share of ${possessive(p.partner)} imports from the world); above 1, ${p.national} supplies ${p.partner} relatively more of the chapter than the world does. The standard (Balassa) RCA would need world exports by chapter, which no loaded source provides. Shares are of the HS chapters listed.`,
  },

  /** A figure's label with its period: "China trade with Japan, 2019". */
  labelAt: (label: string, period: string | null) => (period ? `${label}, ${period}` : label),
  /** A figure's label narrowed to one product: "China exports to Japan, HS 85". */
  labelProduct: (label: string, product: string) => `${label}, ${product}`,
  /** A row of the growth-gaps table: "total trade: Heilongjiang – Liaoning". */
  comparisonRow: (what: string, subject: string, comparator: string) => `${what}: ${subject} – ${comparator}`,
  /** A source in the Sources table: "Heilongjiang trade by partner (hlj-trade-by-partner)". */
  sourceEntry: (title: string, id: string) => `${title} (${id})`,

  // --- PDF page furniture ------------------------------------------------------------------
  labels: {
    brief: 'Policy brief',
    contents: 'Contents',
    vintage: 'Data vintage',
    generated: 'Generated',
    figureNo: (n: number) => `Figure ${n}`,
    tableNo: (n: number) => `Table ${n}`,
    /** Prefix of a chart's source line, punctuation included. */
    source: 'Source: ',
    sources: 'Sources',
    fetched: 'fetched',
    run: 'run',
    /** Prefix of a source's citations, punctuation included. */
    cites: 'Cites: ',
    page: (n: number, m: number) => `Page ${n} of ${m}`,
    /** A table cell without a value: never 0. */
    na: 'n/a',
  },

  // --- Workbook ----------------------------------------------------------------------------
  workbook: {
    /** The fixed sheets; table sheets are `T<n> <short name>`. */
    sheets: { summary: 'Summary', figures: 'Figures', sources: 'Sources' },
    /** Short sheet names of the brief's tables by table id (a sheet name has at most 31 characters). */
    tableSheets: {
      economy: 'GDP, growth and openness',
      'economy-comparators': 'Regions compared, GDP',
      trade: 'Foreign trade',
      partners: 'Main trading partners',
      groups: 'Country groups',
      'partner-trade': 'Bilateral trade',
      comparators: 'Regions compared, trade',
      rca: 'Comparative advantage',
      'rca-national': 'RCA, partner market (nat.)',
      investment: 'Investment',
      untapped: 'Untapped potential',
      'growth-gaps': 'Growth gaps',
      sources: 'Source files',
      formulas: 'Formulas',
    } as Record<string, string>,
    tableSheet: (n: number, name: string) => `T${n} ${name}`,
    meta: { subject: 'Subject', vintage: 'Data vintage', generated: 'Generated at', brief: 'Brief', language: 'Language' },
    /** Excel number format of the generation time (a real date cell, in UTC). */
    generatedFormat: 'yyyy-mm-dd hh:mm "UTC"',
    summaryHeader: ['Key figure', 'Value', 'Unit', 'Period', 'Illustrative', 'Shown as', 'Figure id'],
    figuresHeader: ['Figure id', 'Label', 'Value', 'Unit', 'Period', 'Illustrative', 'Formula', 'Source rows'],
    provenanceHeader: ['Figure id', 'Table', 'Source id', 'Cell', 'Run id', 'Key'],
    sourceFiles: 'Source files',
    filesHeader: ['Source id', 'Title', 'Publisher', 'URL', 'sha256', 'Fetched at', 'Run id', 'Citations'],
    illustrative: 'Illustrative',
  },

  formulaNames: {
    growth: 'Growth',
    cagr: 'Compound annual growth rate',
    share: 'Share',
    balance: 'Trade balance',
    openness: 'Trade openness',
    hhi: 'Herfindahl–Hirschman index',
    hhiNormalised: 'Normalised HHI',
    tradeIntensity: 'Trade intensity index',
    untappedPotential: 'Untapped potential',
    rca: 'Revealed comparative advantage (Balassa)',
    rcaInMarket: 'Revealed comparative advantage in the partner market',
    tradeComplementarity: 'Trade complementarity index',
    gapPercentagePoints: 'Growth gap',
  },

  dependenceLevel: { high: 'high', moderate: 'moderate', low: 'low' } satisfies Record<DependenceLevel, string>,

  /** Each indicator's formula as the Data and methods section prints it. */
  formulas: { ...FORMULAS } as Record<keyof typeof FORMULAS, string>,
};

function ordinal(n: number): string {
  const s = n % 100 >= 11 && n % 100 <= 13 ? 'th' : n % 10 === 1 ? 'st' : n % 10 === 2 ? 'nd' : n % 10 === 3 ? 'rd' : 'th';
  return `${n}${s}`;
}

/** The shape every catalogue has; a zh or ja catalogue is `const zh: Messages = { … }`. */
export type Messages = typeof en;
