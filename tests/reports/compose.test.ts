// The Heilongjiang–Japan document model from a fixed analysis and a frozen clock: a snapshot of the
// whole model, and hand-computed checks of the numbers and words that matter most.
import { describe, expect, it } from 'vitest';
import { buildBriefData, type BriefInput } from '../../src/reports/analysis/brief-data.js';
import type { IndicatorRow, TradeRow } from '../../src/reports/analysis/queries.js';
import { composeHljJapan } from '../../src/reports/briefs/hlj-japan/compose.js';
import { BRIEFS } from '../../src/reports/briefs/index.js';
import type { Block, BriefDocument } from '../../src/reports/document.js';
import type { BriefConfig } from '../../src/config/schema.js';

const M = 1e6;
let cellNo = 0;

function trade(reporter: string, partner: string, flow: TradeRow['flow'], year: number, usdMillion: number, extra: Partial<TradeRow> = {}): TradeRow {
  const source_id = reporter === 'CHN' ? 'china-japan' : 'hlj-trade';
  const key = `${reporter}|${partner}|${flow}|TOTAL|${year}|year|${source_id}`;
  return {
    table: 'trade_flow', reporter, partner, flow, product: 'TOTAL', period: String(year), year,
    value: usdMillion * 100, unit: '万美元', currency: 'USD', value_usd: usdMillion * M, value_native: usdMillion * M,
    illustrative: false, provenance: { table: 'trade_flow', source_id, cell: `sha-${source_id}#T!C${++cellNo}`, run_id: 1, key }, overruled: [],
    ...extra,
  };
}

function indicator(code: string, year: number, value: number, extra: Partial<IndicatorRow> = {}): IndicatorRow {
  const money = code === 'gdp';
  return {
    table: 'indicator', region: 'CN-HL', code, period: String(year), year, value, unit: money ? '亿元' : '%', currency: money ? 'CNY' : null,
    value_usd: money ? (value * 1e8) / 6.5 : null, value_native: money ? value * 1e8 : null, illustrative: false,
    provenance: { table: 'indicator', source_id: 'hlj-gdp', cell: `sha-gdp#G!B${++cellNo}`, run_id: 3, key: `CN-HL|${code}|${year}|year|hlj-gdp` }, overruled: [],
    ...extra,
  };
}

/**
 * Heilongjiang 2016–2019: total trade 2016 missing; exports 5,000 / imports 22,000 in 2019 (a deficit
 * of 17,000); Japan 1,000 → 900 (−10%); China 4,500,000 with Japan 315,000 (7%) in 2019 only.
 */
function input(): BriefInput {
  cellNo = 0;
  return {
    trade: [
      trade('CN-HL', 'WLD', 'total', 2017, 19_000),
      trade('CN-HL', 'WLD', 'export', 2018, 4_500),
      trade('CN-HL', 'WLD', 'import', 2018, 21_500),
      trade('CN-HL', 'WLD', 'export', 2019, 5_000),
      trade('CN-HL', 'WLD', 'import', 2019, 22_000),
      trade('CN-HL', 'JPN', 'total', 2018, 1_000),
      trade('CN-HL', 'JPN', 'total', 2019, 900),
      trade('CN-HL', 'JPN', 'export', 2019, 300),
      trade('CN-HL', 'JPN', 'import', 2019, 600),
      trade('CN-HL', 'RUS', 'total', 2018, 17_000),
      trade('CN-HL', 'RUS', 'total', 2019, 18_000),
      trade('CN-HL', 'USA', 'total', 2019, 1_200, { illustrative: true }),
      trade('CN-HL', 'BRA', 'total', 2019, 1_500),
      trade('CN-LN', 'WLD', 'total', 2018, 110_000),
      trade('CN-LN', 'WLD', 'total', 2019, 100_000),
      trade('CN-LN', 'JPN', 'total', 2018, 9_000),
      trade('CN-LN', 'JPN', 'total', 2019, 10_000),
      trade('CHN', 'WLD', 'total', 2019, 4_500_000),
      trade('CHN', 'JPN', 'total', 2019, 315_000, {
        // A lower-priority source gives China–Japan 2019 as 310,000: more than 0.5% away.
        overruled: [{ source_id: 'un-comtrade', value: 310_000 * M, provenance: { table: 'trade_flow', source_id: 'un-comtrade', cell: 'sha-un#S!D9', run_id: 4, key: 'CHN|JPN|total|TOTAL|2019|year|un-comtrade' } }],
      }),
    ],
    products: [],
    investment: [],
    indicators: [indicator('gdp', 2016, 11_900), indicator('gdp', 2018, 12_800), indicator('gdp', 2019, 13_000), indicator('gdp_real_growth_pct', 2018, 4.7), indicator('gdp_real_growth_pct', 2019, 4.2)],
    fx: [],
    sources: [
      { source_id: 'hlj-trade', title: 'Heilongjiang trade by partner', publisher: 'Harbin Customs', url: 'data/sources/hlj-trade.xlsx', sha256: 'sha-hlj-trade', fetched_at: '2026-11-28T00:00:00.000Z', run_id: 1, citations: [] },
      { source_id: 'china-japan', title: 'China–Japan trade', publisher: 'GACC', url: 'data/sources/china-japan.xlsx', sha256: 'sha-china-japan', fetched_at: '2026-11-28T00:00:00.000Z', run_id: 2, citations: [] },
      { source_id: 'hlj-gdp', title: 'Heilongjiang GDP', publisher: null, url: 'data/sources/hlj-gdp.xlsx', sha256: 'sha-gdp', fetched_at: '2026-11-28T00:00:00.000Z', run_id: 3, citations: [] },
      { source_id: 'un-comtrade', title: 'UN Comtrade extract', publisher: 'UN', url: 'data/sources/comtrade.csv', sha256: 'sha-un', fetched_at: '2026-11-28T00:00:00.000Z', run_id: 4, citations: [] },
    ],
  };
}

const NAMES: Record<string, string> = { 'CN-HL': 'Heilongjiang', 'CN-LN': 'Liaoning', 'CN-JL': 'Jilin', CHN: 'China', JPN: 'Japan', RUS: 'Russia', USA: 'United States', BRA: 'Brazil', WLD: 'World', BRI: 'Belt and Road countries', RCEP: 'RCEP members', EU27: 'European Union', ASEAN: 'ASEAN' };
const names = (code: string): string => NAMES[code] ?? code;
const KINDS: Record<string, 'country' | 'region' | 'group' | 'world'> = { WLD: 'world', 'CN-HL': 'region', 'CN-LN': 'region', 'CN-JL': 'region', BRI: 'group', RCEP: 'group', EU27: 'group', ASEAN: 'group' };

const brief: BriefConfig = { id: 'hlj-japan', subject: 'CN-HL', partner: 'JPN', comparators: ['CN-LN', 'CN-JL', 'CHN'], languages: ['en'], formats: ['pdf', 'xlsx', 'json'] };

function compose(): BriefDocument {
  const data = buildBriefData(input(), { briefId: brief.id, subject: brief.subject, partner: brief.partner, comparators: brief.comparators, kindOf: (c) => KINDS[c] ?? 'country' });
  return composeHljJapan(data, { brief, lang: 'en', generatedAt: '2026-11-29T06:00:00.000Z', names });
}

function texts(doc: BriefDocument): string[] {
  const out: string[] = [];
  const walk = (b: Block): void => {
    if (b.type === 'paragraph' || b.type === 'note') out.push(b.text);
    else if (b.type === 'list') out.push(...b.items);
    else if (b.type === 'table') out.push(...(b.notes ?? []));
  };
  for (const s of doc.sections) s.blocks.forEach(walk);
  return out;
}

describe('composeHljJapan', () => {
  it('matches the snapshot of the document model', () => {
    expect(compose()).toMatchSnapshot();
  });

  it('is listed under its config id', () => {
    expect(BRIEFS['hlj-japan']).toBe(composeHljJapan);
  });

  it('says what Heilongjiang traded with Japan, with the share and the fall from 2018', () => {
    // 900 / 27,000 = 3.33%; (900 − 1,000) / 1,000 = −10%.
    expect(texts(compose())).toContain("In 2019 Heilongjiang's trade with Japan was US$ 900.0 million, 3.3% of its total, 10.0% lower than in 2018.");
  });

  it('uses "rose" and "deficit" by the sign of the numbers', () => {
    const all = texts(compose());
    // 27,000 over 26,000 = +3.846…%; exports 5,000 − imports 22,000 = −17,000.
    expect(all).toContain("In 2019 Heilongjiang's foreign trade was US$ 27.0 billion (exports US$ 5.0 billion, imports US$ 22.0 billion); it rose by 3.8% from 2018.");
    expect(all).toContain('The trade balance was a deficit of US$ 17.0 billion in 2019.');
    expect(all).toContain('The trade balance with Japan was a deficit of US$ 300.0 million in 2019.');
  });

  it('computes TII and untapped potential by hand', () => {
    const doc = compose();
    const fig = (id: string) => doc.figures.find((f) => f.id === id)!;
    // (900 / 27,000) / (315,000 / 4,500,000) = 0.0333… / 0.07 = 0.476190…
    expect(fig('tii.CN-HL.JPN.2019').value).toBeCloseTo(0.476190476, 8);
    expect(fig('tii.CN-HL.JPN.2019').formula).toBe('TII = (x_ij / X_i) / (x_wj / X_w)');
    expect(fig('tii.CN-HL.JPN.2019').provenance.map((p) => p.source_id).sort()).toEqual(['china-japan', 'china-japan', 'hlj-trade', 'hlj-trade', 'hlj-trade']);
    // 27,000 × 0.07 − 900 = 990 (US$ million).
    expect(fig('untapped.CN-HL.JPN.gap.2019').value! / M).toBeCloseTo(990, 6);
    expect(texts(doc)).toContain(
      "Had Japan taken the same share of Heilongjiang's trade as of China's in 2019, Heilongjiang's trade with Japan would have been US$ 1,890.0 million instead of US$ 900.0 million: an untapped potential of US$ 990.0 million.",
    );
  });

  it('says where data is lacking and keeps the figure null, never 0', () => {
    const doc = compose();
    const total2016 = doc.figures.find((f) => f.id === 'trade.CN-HL.WLD.total.2016')!;
    expect(total2016.value).toBeNull();
    expect(total2016.provenance).toEqual([]);
    const all = texts(doc);
    expect(all).toContain('Heilongjiang total trade: not available in the loaded sources for 2016.');
    expect(all).toContain('Heilongjiang GDP: not available in the loaded sources for 2017.');
    // China–Japan exists for 2019 only, so TII cannot be computed for 2016–2018.
    expect(all).toContain('Untapped potential, Heilongjiang–Japan trade: not available in the loaded sources for 2016–2018.');
    const tradeTable = doc.sections.flatMap((s) => s.blocks).find((b) => b.type === 'table' && b.id === 'trade');
    expect(tradeTable && tradeTable.type === 'table' && tradeTable.rows[0]!.cells).toEqual({ year: '2016', exports: null, imports: null, total: null, balance: null, growth: null });
    // No Japanese investment or HS rows: the section says so rather than disappearing.
    expect(all).toContain('Japan investment in Heilongjiang (projects, contracted and utilised) is not available in the loaded sources.');
    expect(all.some((t) => t.startsWith('Product composition, revealed comparative advantage (RCA)'))).toBe(true);
    expect(doc.sections.map((s) => s.id)).toEqual(['economy', 'opening', 'cooperation', 'opportunities', 'methods']);
  });

  it('notes the source disagreement and flags illustrative rows', () => {
    const doc = compose();
    expect(texts(doc)).toContain('China trade with Japan, 2019: UN Comtrade extract gives US$ 310.0 billion; China–Japan trade (higher priority) gives US$ 315.0 billion — US$ 315.0 billion used.');
    const partners = doc.sections.flatMap((s) => s.blocks).find((b) => b.type === 'table' && b.id === 'partners');
    expect(partners?.type === 'table' && partners.rows.find((r) => r.cells.partner === 'United States')?.illustrative).toBe(true);
    expect(doc.illustrativeNote).toBe('† Illustrative value: not published; see Data and methods.');
  });

  it('has at least five charts with inline data and a key-figures panel', () => {
    const doc = compose();
    const blocks = doc.sections.flatMap((s) => s.blocks);
    const charts = blocks.filter((b) => b.type === 'chart');
    expect(charts.map((c) => c.id)).toEqual(['gdp', 'trade-trend', 'partner-shares', 'partner-trade', 'tii', 'comparators']);
    const panel = blocks.find((b) => b.type === 'keyFigures');
    expect(panel?.type === 'keyFigures' && panel.items.map((i) => i.text)).toEqual(['US$ 27.0 billion', 'US$ 900.0 million', '3.3%', '0.48', 'US$ 990.0 million', '66.7%']);
  });
});
