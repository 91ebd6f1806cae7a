// A realistic BriefDocument for developing and testing the renderers without a warehouse: the
// Heilongjiang–Japan brief's five sections, key figures, five charts with CJK labels, tables with a
// null cell, an illustrative row, a hostile `=` label and a label with control characters.
// Numbers are plausible but made up for the fixture; they are not the paper's.

import type { BriefDocument, Figure, Provenance, TableRow } from '../../src/reports/document.js';

const SHA_TRADE = '3f1c9a0b7d2e4f6a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a';
const SHA_JAPAN = 'a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8';
const SHA_GDP = '0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d';

export const YEARS = Array.from({ length: 13 }, (_, i) => String(2011 + i));
/** US$ million. */
export const EXPORTS = [17672.7, 14434.0, 16227.8, 17343.2, 8037.3, 5040.0, 5230.1, 4450.6, 5240.3, 5310.8, 6730.4, 8460.2, 10470.9];
export const IMPORTS = [20831.5, 23102.4, 22670.7, 21557.1, 12956.0, 11507.3, 13760.2, 21890.5, 21830.4, 17740.1, 22370.6, 33520.3, 35290.2];
/** Heilongjiang–Japan trade, US$ million; 2020 missing in the bundled source. */
export const JAPAN = [1612.3, 1487.9, 1350.2, 1234.5, 980.4, 870.1, 905.6, 938.2, 1012.7, null, 1150.8, 1201.4, 1143.9];
/** GDP, CNY billion, and real growth %. */
export const GDP = [1258.2, 1369.2, 1445.5, 1503.9, 1508.4, 1538.6, 1590.3, 1636.2, 1361.3, 1369.8, 1487.9, 1590.1, 1588.4];
export const GROWTH = [12.3, 10.0, 8.0, 5.6, 5.7, 6.1, 6.4, 5.0, 4.2, 1.0, 6.1, 2.7, 2.6];

function prov(sourceId: string, sha: string, cell: string, key: string, run = 7): Provenance {
  const table = sourceId === 'hlj-indicators' ? 'indicator' : 'trade_flow';
  return { table, source_id: sourceId, cell: `${sha}#${cell}`, run_id: run, key };
}

function figure(f: Omit<Figure, 'illustrative' | 'provenance'> & Partial<Figure>): Figure {
  return { illustrative: false, provenance: [], ...f };
}

const figures: Figure[] = [
  figure({
    id: 'trade.total.2023',
    label: 'Heilongjiang foreign trade, total',
    value: EXPORTS[12]! + IMPORTS[12]!,
    unit: 'USD million',
    period: '2023',
    provenance: [
      prov('hlj-trade-by-partner', SHA_TRADE, '11-4!C7', 'CN-HL|WLD|export|TOTAL|2023|year'),
      prov('hlj-trade-by-partner', SHA_TRADE, '11-4!D7', 'CN-HL|WLD|import|TOTAL|2023|year'),
    ],
  }),
  figure({
    id: 'trade.exports.2023',
    label: 'Exports',
    value: EXPORTS[12]!,
    unit: 'USD million',
    period: '2023',
    provenance: [prov('hlj-trade-by-partner', SHA_TRADE, '11-4!C7', 'CN-HL|WLD|export|TOTAL|2023|year')],
  }),
  figure({
    id: 'japan.total.2023',
    label: 'Trade with Japan (日本)',
    value: 1143.9,
    unit: 'USD million',
    period: '2023',
    provenance: [prov('hlj-trade-japan', SHA_JAPAN, 'Japan!B15', 'CN-HL|JPN|total|TOTAL|2023|year', 8)],
  }),
  figure({
    id: 'japan.share.2023',
    label: 'Japan share of Heilongjiang trade',
    value: 2.5,
    unit: '%',
    period: '2023',
    formula: 'x_HL,JPN / X_HL,WLD × 100',
    provenance: [
      prov('hlj-trade-japan', SHA_JAPAN, 'Japan!B15', 'CN-HL|JPN|total|TOTAL|2023|year', 8),
      prov('hlj-trade-by-partner', SHA_TRADE, '11-4!E7', 'CN-HL|WLD|total|TOTAL|2023|year'),
    ],
  }),
  figure({
    id: 'japan.tii.2023',
    label: 'Trade intensity index, Heilongjiang–Japan',
    value: 0.42,
    unit: 'index',
    period: '2023',
    formula: '(x_ij/X_i)/(x_wj/X_w)',
    illustrative: true,
    provenance: [prov('hlj-trade-japan', SHA_JAPAN, 'Japan!C15', 'CN-HL|JPN|total|TOTAL|2023|year', 8)],
  }),
  figure({
    id: 'gdp.growth.2023',
    label: 'Real GDP growth',
    value: 2.6,
    unit: '%',
    period: '2023',
    provenance: [prov('hlj-indicators', SHA_GDP, 'GDP!F14', 'CN-HL|gdp_real_growth_pct|2023|year', 9)],
  }),
  figure({
    id: 'japan.total.2020',
    label: 'Trade with Japan',
    value: null,
    unit: 'USD million',
    period: '2020',
    provenance: [],
  }),
];

const tradeRows: TableRow[] = YEARS.map((year, i) => ({
  cells: {
    year,
    exports: EXPORTS[i]!,
    imports: IMPORTS[i]!,
    total: EXPORTS[i]! + IMPORTS[i]!,
    growth: i === 0 ? null : ((EXPORTS[i]! + IMPORTS[i]!) / (EXPORTS[i - 1]! + IMPORTS[i - 1]!) - 1) * 100,
  },
}));

const HOSTILE = '=HYPERLINK("http://evil","x")';
const CONTROL = 'Other partners\u0007\u0001 (incl. unallocated)';

export const HOSTILE_LABEL = HOSTILE;

function chartLines(): Record<string, unknown> {
  const values = YEARS.flatMap((year, i) => [
    { year, flow: 'Exports', value: EXPORTS[i] },
    { year, flow: 'Imports', value: IMPORTS[i] },
  ]);
  return {
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'year', type: 'ordinal', title: null, axis: { labelAngle: 0 } },
      y: { field: 'value', type: 'quantitative', title: 'US$ million', axis: { format: ',.0f' } },
      color: { field: 'flow', type: 'nominal', title: null },
    },
  };
}

function chartPartners(): Record<string, unknown> {
  const values = [
    { partner: '俄罗斯 Russia', share: 66.5 },
    { partner: 'Brazil', share: 5.1 },
    { partner: 'United States', share: 2.4 },
    { partner: 'Korea', share: 1.9 },
    { partner: '日本 Japan', share: 2.5 },
    { partner: 'Other', share: 21.6 },
  ];
  return {
    data: { values },
    mark: 'bar',
    encoding: {
      y: { field: 'partner', type: 'nominal', sort: '-x', title: null },
      x: { field: 'share', type: 'quantitative', title: 'Share of 2023 trade (%)' },
    },
  };
}

function chartJapan(): Record<string, unknown> {
  const values = YEARS.map((year, i) => ({ year, value: JAPAN[i] })).filter((v) => v.value !== null);
  return {
    data: { values },
    mark: 'bar',
    encoding: {
      x: { field: 'year', type: 'ordinal', title: null, axis: { labelAngle: 0 } },
      y: { field: 'value', type: 'quantitative', title: '黑龙江省–日本 trade (US$ million)' },
    },
  };
}

function chartComparators(): Record<string, unknown> {
  const provinces = [
    { p: '黑龙江省 Heilongjiang', a: 1012.7, b: 1143.9 },
    { p: '吉林省 Jilin', a: 1530.4, b: 1402.2 },
    { p: '辽宁省 Liaoning', a: 11620.3, b: 10254.8 },
  ];
  const values = provinces.flatMap((r) => [
    { province: r.p, year: '2019', value: r.a },
    { province: r.p, year: '2023', value: r.b },
  ]);
  return {
    data: { values },
    mark: 'bar',
    encoding: {
      x: { field: 'province', type: 'nominal', title: null, axis: { labelAngle: 0 } },
      xOffset: { field: 'year' },
      y: { field: 'value', type: 'quantitative', title: 'Trade with Japan (US$ million)' },
      color: { field: 'year', type: 'nominal', title: null },
    },
  };
}

function chartGdp(): Record<string, unknown> {
  const values = YEARS.map((year, i) => ({ year, gdp: GDP[i], growth: GROWTH[i] }));
  return {
    data: { values },
    encoding: { x: { field: 'year', type: 'ordinal', title: null, axis: { labelAngle: 0 } } },
    layer: [
      {
        mark: { type: 'bar', opacity: 0.85 },
        encoding: { y: { field: 'gdp', type: 'quantitative', title: 'GDP (CNY billion)' } },
      },
      {
        mark: { type: 'line', color: '#c77f56', point: { color: '#c77f56' } },
        encoding: { y: { field: 'growth', type: 'quantitative', title: 'Real growth (%)' } },
      },
    ],
    resolve: { scale: { y: 'independent' } },
  };
}

/** A fresh fixture each call, so a test may mutate it. */
export function fixtureDocument(): BriefDocument {
  return {
    briefId: 'hlj-japan',
    lang: 'en',
    title: "Heilongjiang's Economic and Trade Cooperation with Japan",
    subtitle: 'The potential under the "One Belt, One Road" strategy — 黑龙江省与日本经贸合作',
    subject: 'Heilongjiang (CN-HL) · focus partner Japan (JPN)',
    dataVintage: '2023',
    generatedAt: '2024-05-02T08:30:00.000Z',
    runningHeader: 'Heilongjiang–Japan economic and trade cooperation · tradebrief',
    sections: [
      {
        id: 'economy',
        heading: 'Economic trends in Heilongjiang',
        blocks: [
          {
            type: 'paragraph',
            text:
              'Heilongjiang grew more slowly than China as a whole over the decade, as its resource and heavy industries lost weight. ' +
              'Real GDP growth fell from 12.3% in 2011 to 2.6% in 2023, while nominal output stagnated after 2018.',
            figureIds: ['gdp.growth.2023'],
          },
          {
            type: 'keyFigures',
            items: [
              { label: 'Foreign trade, total', text: 'US$ 45,761.1 million', figureId: 'trade.total.2023', note: '2023, +8.1% y/y' },
              { label: 'Exports', text: 'US$ 10,470.9 million', figureId: 'trade.exports.2023', note: '2023, +23.8% y/y' },
              { label: 'Real GDP growth', text: '2.6%', figureId: 'gdp.growth.2023', note: '2023' },
            ],
          },
          {
            type: 'chart',
            id: 'gdp',
            title: 'GDP and real growth of Heilongjiang, 2011–2023',
            spec: chartGdp(),
            alt: 'Bars of GDP in CNY billion with a line of real growth falling from 12.3% to 2.6%.',
            source: 'Heilongjiang Statistical Yearbook; tradebrief warehouse.',
          },
        ],
      },
      {
        id: 'opening',
        heading: 'Opening-up and trade with the world',
        blocks: [
          {
            type: 'paragraph',
            text:
              'Trade peaked in 2014 and halved by 2016 as oil prices fell; imports from Russia drove the recovery after 2018. ' +
              'Exports remain far below imports, and the province trades more with Russia than with all other partners combined.',
          },
          {
            type: 'chart',
            id: 'trend',
            title: 'Exports and imports of Heilongjiang, 2011–2023',
            spec: chartLines(),
            alt: 'Two lines: imports above exports throughout, both falling in 2015 and recovering from 2018.',
            source: 'China Customs via Heilongjiang Bureau of Commerce.',
          },
          {
            type: 'table',
            id: 'trade-by-year',
            title: 'Foreign trade of Heilongjiang by year',
            columns: [
              { key: 'year', label: 'Year', kind: 'text' },
              { key: 'exports', label: 'Exports (US$ million)', kind: 'number', decimals: 1 },
              { key: 'imports', label: 'Imports (US$ million)', kind: 'number', decimals: 1 },
              { key: 'total', label: 'Total (US$ million)', kind: 'number', decimals: 1 },
              { key: 'growth', label: 'Growth (%)', kind: 'percent', decimals: 1 },
            ],
            rows: tradeRows,
            notes: ['Source: China Customs via Heilongjiang Bureau of Commerce.', 'Growth is the change of total trade on the previous year.'],
          },
          {
            type: 'chart',
            id: 'partners',
            title: 'Partner shares of Heilongjiang trade, 2023',
            spec: chartPartners(),
            alt: 'Horizontal bars: Russia 66.5%, Brazil 5.1%, United States 2.4%, Japan 2.5%, Korea 1.9%.',
          },
        ],
      },
      {
        id: 'japan',
        heading: 'Trade and investment with Japan',
        blocks: [
          {
            type: 'paragraph',
            text:
              'Trade with Japan has drifted down from US$ 1,612.3 million in 2011 to US$ 1,143.9 million in 2023, and Japan now takes 2.5% of the province’s trade.',
            figureIds: ['japan.total.2023', 'japan.share.2023'],
          },
          {
            type: 'keyFigures',
            items: [
              { label: 'Trade with Japan (日本)', text: 'US$ 1,143.9 million', figureId: 'japan.total.2023', note: '2023, −4.8% y/y' },
              { label: 'Japan share of trade', text: '2.5%', figureId: 'japan.share.2023', note: '2023' },
              { label: 'Trade intensity index', text: '0.42', figureId: 'japan.tii.2023', note: '2023; 1 = as intense as world trade' },
              { label: 'Trade with Japan, 2020', text: 'n/a', figureId: 'japan.total.2020', note: 'not in the loaded sources' },
            ],
          },
          {
            type: 'chart',
            id: 'japan-trend',
            title: 'Heilongjiang trade with Japan, 2011–2023',
            spec: chartJapan(),
            alt: 'Bars falling from 1,612 in 2011 to about 870 in 2016, then recovering to about 1,144 in 2023; 2020 missing.',
          },
          {
            type: 'table',
            id: 'partners-2023',
            title: 'Heilongjiang trade by partner, 2023',
            columns: [
              { key: 'partner', label: 'Partner', kind: 'text' },
              { key: 'trade', label: 'Trade (US$ million)', kind: 'number', decimals: 1 },
              { key: 'share', label: 'Share (%)', kind: 'percent', decimals: 1 },
              { key: 'tii', label: 'Trade intensity (index)', kind: 'index', decimals: 2 },
              { key: 'firms', label: 'Japanese-invested firms (count)', kind: 'integer' },
            ],
            rows: [
              { cells: { partner: '俄罗斯 Russia', trade: 30431.2, share: 66.5, tii: 21.37, firms: null }, figureIds: [] },
              { cells: { partner: '日本 Japan', trade: 1143.9, share: 2.5, tii: 0.42, firms: 112 }, figureIds: ['japan.total.2023', 'japan.share.2023', 'japan.tii.2023'], illustrative: true },
              { cells: { partner: '韩国 Korea', trade: 1234.46, share: 2.7, tii: null, firms: null } },
              { cells: { partner: HOSTILE, trade: 12.0, share: 0.0, tii: null, firms: null } },
              { cells: { partner: CONTROL, trade: 13304.5, share: 29.1, tii: null, firms: null } },
              { cells: { partner: 'World', trade: 45761.1, share: 100, tii: 1, firms: null }, total: true, figureIds: ['trade.total.2023'] },
            ],
            notes: ['Source: China Customs; Japanese-invested firms from the provincial commerce bureau.', 'Trade intensity index = (x_ij/X_i)/(x_wj/X_w).'],
          },
        ],
      },
      {
        id: 'potential',
        heading: 'Opportunities and deficiencies',
        blocks: [
          {
            type: 'paragraph',
            text:
              'Liaoning trades with Japan ten times as much as Heilongjiang does; Jilin, with a smaller economy, trades more. ' +
              'The gap points to untapped potential in agriculture, food processing, equipment and logistics along the China–Mongolia–Russia corridor.',
          },
          {
            type: 'chart',
            id: 'comparators',
            title: 'Trade with Japan: Heilongjiang and comparator provinces, 2019 and 2023',
            spec: chartComparators(),
            alt: 'Grouped bars: Liaoning about 10,000, Jilin about 1,400 and Heilongjiang about 1,100 US$ million in both years.',
          },
          {
            type: 'list',
            items: [
              'Opportunities: Japanese demand for safe food and feed; logistics via the Harbin–Europe rail link; energy-saving equipment.',
              'Deficiencies: few Japanese-invested firms; weak export base; distance from Japanese ports; limited air links.',
              'Policy: a provincial Japan desk, trade fairs in Harbin, cooperation on cold-region agriculture.',
            ],
          },
          { type: 'note', text: 'Comparator figures are for the province as reporter; Japan’s own statistics differ by transit trade.' },
        ],
      },
      {
        id: 'methods',
        heading: 'Data and methods',
        blocks: [
          {
            type: 'paragraph',
            text:
              'All values are converted to US dollars at the annual average rate. The trade intensity index compares the share of Japan in Heilongjiang’s trade with Japan’s share in world trade.',
          },
          {
            type: 'table',
            id: 'figures',
            title: 'Figures and formulas',
            columns: [
              { key: 'id', label: 'Figure', kind: 'text' },
              { key: 'value', label: 'Value', kind: 'number', decimals: 2 },
              { key: 'formula', label: 'Formula', kind: 'text' },
            ],
            rows: [
              { cells: { id: 'japan.share.2023', value: 2.5, formula: 'x_HL,JPN / X_HL,WLD × 100' }, figureIds: ['japan.share.2023'] },
              { cells: { id: 'japan.tii.2023', value: 0.42, formula: '(x_ij/X_i)/(x_wj/X_w)' }, figureIds: ['japan.tii.2023'], illustrative: true },
            ],
          },
        ],
      },
    ],
    figures,
    sources: [
      {
        source_id: 'hlj-trade-by-partner',
        title: 'Heilongjiang foreign trade by partner country (黑龙江省对外贸易)',
        publisher: 'Heilongjiang Bureau of Commerce',
        url: 'https://example.org/hlj/trade-by-partner-2023.xlsx',
        sha256: SHA_TRADE,
        fetched_at: '2024-05-01T06:00:00.000Z',
        run_id: 7,
        citations: ['http://hljdofcom.gov.cn/'],
      },
      {
        source_id: 'hlj-trade-japan',
        title: 'Heilongjiang–Japan trade, 2011–2023',
        publisher: 'ERINA',
        url: 'https://example.org/erina/hlj-japan.xlsx',
        sha256: SHA_JAPAN,
        fetched_at: '2024-05-01T06:00:05.000Z',
        run_id: 8,
        citations: [],
      },
      {
        source_id: 'hlj-indicators',
        title: 'Heilongjiang Statistical Yearbook: main indicators',
        publisher: null,
        url: 'data/sources/hlj-indicators.xlsx',
        sha256: SHA_GDP,
        fetched_at: null,
        run_id: 9,
        citations: [],
      },
    ],
    illustrativeNote: '† Illustrative: not published in the loaded sources; derived for demonstration and not to be quoted.',
  };
}

/** Header words of the wide table, each of which must stay whole in the PDF. */
export const WIDE_HEADERS = [
  'Year',
  'Exports (US$ million)',
  'Imports (US$ million)',
  'Total (US$ million)',
  'Balance (US$ million)',
  'Growth y/y (%)',
  'Share (%)',
  'Rank',
  'TII (China = 1)',
  "Japan share of China's trade (%)",
];

/** A long URL with few places to break, for the text-column table. */
export const LONG_URL =
  'https://statistics.example.org/provincial-yearbooks/heilongjiang/2023/chapter-11/table-11-4-foreign-trade-by-partner-country-and-region.xlsx';

/**
 * A document with the tables that used to break the PDF layout: ten columns of short numbers under
 * long headers, a table whose text columns hold long titles, URLs and hashes, and the compared-regions
 * table (three text columns, numbers between them).
 */
export function wideTablesDocument(): BriefDocument {
  const doc = fixtureDocument();
  const keys = ['year', 'exports', 'imports', 'total', 'balance', 'growth', 'share', 'rank', 'tii', 'benchmark'];
  const kinds = ['text', 'number', 'number', 'number', 'number', 'percent', 'percent', 'integer', 'index', 'percent'] as const;
  const wideRows: TableRow[] = YEARS.map((year, i) => ({
    cells: {
      year,
      exports: EXPORTS[i]!,
      imports: IMPORTS[i]!,
      total: EXPORTS[i]! + IMPORTS[i]!,
      balance: EXPORTS[i]! - IMPORTS[i]!,
      growth: GROWTH[i]!,
      share: i % 4 === 0 ? null : 2.5 + i / 10,
      rank: i % 3 === 0 ? null : (i % 5) + 1,
      tii: i % 2 === 0 ? null : 0.4 + i / 100,
      benchmark: 7.2 + i / 10,
    },
    illustrative: i < 2,
  }));
  doc.sections = [
    {
      id: 'wide',
      heading: 'Wide tables',
      blocks: [
        {
          type: 'table',
          id: 'wide-numbers',
          title: 'Heilongjiang: trade with Japan',
          columns: keys.map((key, i) => ({ key, label: WIDE_HEADERS[i]!, kind: kinds[i]! })),
          rows: wideRows,
          notes: ['Ten columns: every header word and every number stays whole.'],
        },
        {
          type: 'table',
          id: 'compared',
          title: 'Trade with Japan, compared regions (latest year each)',
          columns: [
            { key: 'region', label: 'Region', kind: 'text' },
            { key: 'year', label: 'Year', kind: 'text' },
            { key: 'trade', label: 'Trade (US$ million)', kind: 'number' },
            { key: 'share', label: 'Share (%)', kind: 'percent' },
            { key: 'tii', label: 'TII (China = 1)', kind: 'index' },
            { key: 'cagr', label: 'CAGR of trade with Japan (%)', kind: 'percent' },
            { key: 'period', label: 'Period', kind: 'text' },
          ],
          rows: [
            { cells: { region: 'Heilongjiang', year: '2016', trade: 948, share: 5.73, tii: null, cagr: -12.43, period: '2012–2016' } },
            { cells: { region: 'Liaoning', year: '2023', trade: 10234.5, share: 9.1, tii: 1.21, cagr: -1.2, period: '2013–2023' } },
            { cells: { region: 'China', year: '2017', trade: 297280, share: 7.2, tii: 1, cagr: -0.4, period: '2012–2020' } },
          ],
        },
        {
          type: 'table',
          id: 'sources',
          title: 'Sources',
          columns: [
            { key: 'source', label: 'Source', kind: 'text' },
            { key: 'publisher', label: 'Publisher', kind: 'text' },
            { key: 'url', label: 'File', kind: 'text' },
            { key: 'sha256', label: 'SHA-256', kind: 'text' },
            { key: 'fetched', label: 'Fetched', kind: 'text' },
            { key: 'run', label: 'Run', kind: 'integer' },
          ],
          rows: [
            {
              cells: {
                source: 'Heilongjiang trade by partner (yearbook-style compilation) (hlj-trade-by-partner)',
                publisher: 'Heilongjiang Bureau of Statistics / Department of Commerce / Harbin Customs (as reported)',
                url: LONG_URL,
                sha256: SHA_TRADE,
                fetched: '2024-05-01T06:00:00.000Z',
                run: 7,
              },
            },
            {
              cells: {
                source: 'Japan’s trade with China (JETRO) (japan-china-trade-jetro)',
                publisher: 'JETRO',
                url: 'data/sources/japan-china-trade.xlsx',
                sha256: SHA_JAPAN,
                fetched: '2024-05-01T06:00:05.000Z',
                run: 8,
              },
            },
          ],
        },
      ],
    },
  ];
  return doc;
}
