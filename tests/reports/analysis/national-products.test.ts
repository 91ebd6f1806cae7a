// The national product picture: when the subject (Heilongjiang) has no HS product rows but the
// national comparator (China) has HS-chapter rows, the brief shows China's complementarity with
// Japan's imports and China's RCA in the Japanese market by chapter — hand-computed here from
// hand-made facts — labelled as national in every language; the subject-level analysis and the
// "unavailable" sentence are kept where they apply.
import { describe, expect, it } from 'vitest';
import type { BriefConfig } from '../../../src/config/schema.js';
import { loadReference } from '../../../src/pipelines/reference.js';
import { benchmarkOf, buildBriefData, TOP_CHAPTERS, type BriefInput, type BriefParams } from '../../../src/reports/analysis/brief-data.js';
import { rcaInMarket } from '../../../src/reports/analysis/indicators.js';
import type { TradeRow } from '../../../src/reports/analysis/queries.js';
import { composeHljJapan } from '../../../src/reports/briefs/hlj-japan/compose.js';
import type { Block, BriefDocument, Lang } from '../../../src/reports/document.js';

const B = 1e9;
const reference = loadReference();

/** A trade row in US$ billion; the source follows the reporter, as the online config has it. */
function row(reporter: string, partner: string, flow: TradeRow['flow'], product: string, year: number, usdBillion: number, extra: Partial<TradeRow> = {}): TradeRow {
  const source_id = reporter === 'CHN' ? 'un-comtrade-china' : reporter === 'JPN' ? 'un-comtrade-japan' : 'hlj-trade';
  const key = `${reporter}|${partner}|${flow}|${product}|${year}|year|${source_id}`;
  return {
    table: 'trade_flow', reporter, partner, flow, product, period: String(year), year,
    value: usdBillion * B, unit: 'US$', currency: 'USD', value_usd: usdBillion * B, value_native: usdBillion * B,
    illustrative: false, provenance: { table: 'trade_flow', source_id, cell: `sha-${source_id}#data[${key}]`, run_id: 1, key }, overruled: [],
    ...extra,
  };
}

/**
 * China's exports to Japan, 2023 (sum 1,000): HS 85 600, HS 62 300, HS 27 100 — and a four-digit
 * heading HS 8471 that must not count twice beside its chapter.
 * Japan's imports from the world, 2022 and 2023 (sum 5,000): HS 85 1,500, HS 62 500, HS 27 3,000.
 * China's exports to the world, 2022 (sum 10,000): HS 85 5,000, HS 62 2,000, HS 27 3,000; and 2024,
 * which Japan does not have yet.
 */
function chinaRows(): TradeRow[] {
  const out: TradeRow[] = [];
  for (const [k, v] of [['HS:85', 600], ['HS:62', 300], ['HS:27', 100], ['HS:8471', 400]] as const) out.push(row('CHN', 'JPN', 'export', k, 2023, v));
  for (const year of [2022, 2023]) for (const [k, v] of [['HS:85', 1500], ['HS:62', 500], ['HS:27', 3000]] as const) out.push(row('JPN', 'WLD', 'import', k, year, v));
  for (const [k, v] of [['HS:85', 5000], ['HS:62', 2000], ['HS:27', 3000]] as const) out.push(row('CHN', 'WLD', 'export', k, 2022, v));
  out.push(row('CHN', 'WLD', 'export', 'HS:85', 2024, 5100));
  return out;
}

function input(products: TradeRow[]): BriefInput {
  return {
    trade: [row('CN-HL', 'WLD', 'total', 'TOTAL', 2023, 42), row('CN-HL', 'JPN', 'total', 'TOTAL', 2023, 1), row('CHN', 'WLD', 'total', 'TOTAL', 2023, 5900), row('CHN', 'JPN', 'total', 'TOTAL', 2023, 318)],
    products,
    investment: [],
    indicators: [],
    fx: [],
    sources: [
      { source_id: 'hlj-trade', title: 'Heilongjiang trade', publisher: null, url: 'data/sources/hlj.xlsx', sha256: 'sha-hlj', fetched_at: '2026-11-28T00:00:00.000Z', run_id: 1, citations: [] },
      { source_id: 'un-comtrade-china', title: "China's trade by HS chapter", publisher: 'UN Comtrade', url: 'https://comtradeapi.un.org', sha256: 'sha-cn', fetched_at: '2026-11-28T00:00:00.000Z', run_id: 2, citations: [] },
      { source_id: 'un-comtrade-japan', title: "Japan's imports by HS chapter", publisher: 'UN Comtrade', url: 'https://comtradeapi.un.org', sha256: 'sha-jp', fetched_at: '2026-11-28T00:00:00.000Z', run_id: 3, citations: [] },
    ],
  };
}

const brief: BriefConfig = { id: 'hlj-japan', subject: 'CN-HL', partner: 'JPN', comparators: ['CN-LN', 'CN-JL', 'CHN'], languages: ['en', 'zh', 'ja'], formats: ['pdf', 'xlsx', 'json'] };

function params(extra: Partial<BriefParams> = {}): BriefParams {
  return {
    briefId: brief.id, subject: brief.subject, partner: brief.partner, comparators: brief.comparators, benchmark: 'CHN',
    kindOf: (c) => reference.entry(c)?.kind, hsSection: (c) => reference.hsSection(c), ...extra,
  };
}

function compose(products: TradeRow[], lang: Lang, extra: Partial<BriefParams> = {}): BriefDocument {
  const data = buildBriefData(input(products), params(extra));
  return composeHljJapan(data, { brief, lang, generatedAt: '2026-11-29T06:00:00.000Z', names: (c) => reference.name(c, lang) });
}

function cooperation(doc: BriefDocument): Block[] {
  return doc.sections.find((s) => s.id === 'cooperation')!.blocks;
}

function texts(blocks: readonly Block[]): string[] {
  return blocks.flatMap((b) => (b.type === 'paragraph' || b.type === 'note' ? [b.text] : b.type === 'table' ? (b.notes ?? []) : []));
}

describe('rcaInMarket', () => {
  it('is the chapter share of exports to the partner over its share of the partner imports', () => {
    // (600 / 1,000) / (1,500 / 5,000) = 0.6 / 0.3
    expect(rcaInMarket(600, 1000, 1500, 5000)).toBeCloseTo(2, 12);
    expect(rcaInMarket(0, 1000, 1500, 5000)).toBe(0);
  });

  it('is null, never 0 or Infinity, when an input is missing or a divisor is 0', () => {
    expect(rcaInMarket(600, 1000, 0, 5000)).toBeNull();
    expect(rcaInMarket(600, 0, 1500, 5000)).toBeNull();
    expect(rcaInMarket(600, 1000, undefined, 5000)).toBeNull();
    expect(rcaInMarket(null, 1000, 1500, 5000)).toBeNull();
  });
});

describe('benchmarkOf', () => {
  const kind = (c: string) => reference.entry(c)?.kind;
  it("is the brief's comparator that is a country, else CHN", () => {
    expect(benchmarkOf(['CN-LN', 'CN-JL', 'CHN'], kind)).toBe('CHN');
    expect(benchmarkOf(['CN-LN', 'IND'], kind)).toBe('IND');
    expect(benchmarkOf(['CN-LN', 'CN-JL'], kind)).toBe('CHN');
    expect(benchmarkOf([], kind)).toBe('CHN');
  });
});

describe('national product indicators in buildBriefData', () => {
  it("computes China's RCA in Japan's market by chapter, top first, with shares and the rows behind them", () => {
    const pr = buildBriefData(input(chinaRows()), params()).bilateral.products;
    expect(pr.available).toBe(false);
    const np = pr.national!;
    expect(np).toMatchObject({ region: 'CHN', rcaYear: 2023, chapters: 3 });
    // HS 62: 0.3 / 0.1 = 3; HS 85: 0.6 / 0.3 = 2; HS 27: 0.1 / 0.6 = 0.1667. HS 8471 is not a chapter.
    expect(np.rca.map((e) => e.code)).toEqual(['HS:62', 'HS:85', 'HS:27']);
    expect(np.rca.map((e) => e.rca.value)).toEqual([expect.closeTo(3, 12), expect.closeTo(2, 12), expect.closeTo(1 / 6, 12)]);
    expect(np.rca.map((e) => e.share.value)).toEqual([expect.closeTo(30, 12), expect.closeTo(60, 12), expect.closeTo(10, 12)]);
    expect(np.rca.map((e) => e.exports.value)).toEqual([300 * B, 600 * B, 100 * B]);
    expect(np.rca[1]!.section).toMatchObject({ section: 'XVI', names: { en: expect.stringMatching(/^Machinery/) } });

    const top = np.rca[0]!.rca;
    expect(top).toMatchObject({ id: 'rcaInMarket.CHN.JPN.HS:62.2023', kind: 'rcaInMarket', region: 'CHN', partner: 'JPN', product: 'HS:62', unit: 'index', period: '2023', formula: 'rcaInMarket', illustrative: false });
    // Every chapter row of both distributions makes the denominators: 3 + 3 rows, no HS 8471.
    expect(top.provenance.map((p) => p.key).sort()).toEqual(
      ['CHN|JPN|export|HS:27', 'CHN|JPN|export|HS:62', 'CHN|JPN|export|HS:85', 'JPN|WLD|import|HS:27', 'JPN|WLD|import|HS:62', 'JPN|WLD|import|HS:85'].map((k) => {
        const [r, p, f, c] = k.split('|');
        return `${r}|${p}|${f}|${c}|2023|year|${r === 'CHN' ? 'un-comtrade-china' : 'un-comtrade-japan'}`;
      }),
    );
    expect(np.rca[0]!.share).toMatchObject({ id: 'trade.CHN.JPN.export.HS:62.share.2023', kind: 'product.share', formula: 'share', product: 'HS:62' });
    expect(np.rca[0]!.share.provenance).toHaveLength(3);
  });

  it('reads complementarity in the latest year both distributions have', () => {
    const np = buildBriefData(input(chinaRows()), params()).bilateral.products.national!;
    // 2022: China's exports 0.5 / 0.2 / 0.3, Japan's imports 0.3 / 0.1 / 0.6; Σ|m − x| = 0.6 → 100 × (1 − 0.3) = 70.
    // 2024 (China only) and 2023 (Japan only) are not comparable.
    expect(np.complementarityYear).toBe(2022);
    expect(np.complementarity).toMatchObject({ id: 'complementarity.CHN.JPN.2022', region: 'CHN', partner: 'JPN', formula: 'tradeComplementarity', unit: 'index' });
    expect(np.complementarity!.value).toBeCloseTo(70, 10);
    expect(np.complementarity!.provenance).toHaveLength(6);
  });

  it('lists only the shown chapters among the figures, each with its metric', () => {
    const many: TradeRow[] = [];
    for (let c = 1; c <= 30; c++) {
      const k = `HS:${String(c).padStart(2, '0')}`;
      many.push(row('CHN', 'JPN', 'export', k, 2023, c), row('JPN', 'WLD', 'import', k, 2023, 31 - c));
    }
    const data = buildBriefData(input(many), params());
    const np = data.bilateral.products.national!;
    expect(np.chapters).toBe(30);
    expect(np.rca).toHaveLength(TOP_CHAPTERS);
    expect(np.rca[0]!.code).toBe('HS:30');
    const ids = new Set(data.metrics.map((m) => m.id));
    expect(ids.has('trade.CHN.JPN.export.HS:30.2023')).toBe(true);
    expect(ids.has('trade.CHN.JPN.export.HS:01.2023')).toBe(false);
    for (const e of np.rca) expect(ids.has(e.rca.id) && ids.has(e.share.id) && ids.has(e.exports.id)).toBe(true);
  });

  it("marks a national figure illustrative when a row behind it is", () => {
    const rows = chinaRows().map((r) => (r.reporter === 'JPN' && r.product === 'HS:27' && r.year === 2023 ? { ...r, illustrative: true } : r));
    const np = buildBriefData(input(rows), params()).bilateral.products.national!;
    expect(np.rca.every((e) => e.rca.illustrative)).toBe(true);
    expect(np.rca.every((e) => !e.share.illustrative)).toBe(true);
  });

  it('takes the comparator and the partner from the parameters, not from fixed codes', () => {
    expect(buildBriefData(input(chinaRows()), params({ benchmark: 'IND' })).bilateral.products.national).toBeNull();
    const korea = chinaRows().map((r) => ({ ...r, partner: r.partner === 'JPN' ? 'KOR' : r.partner, reporter: r.reporter === 'JPN' ? 'KOR' : r.reporter }));
    const np = buildBriefData(input(korea), params({ partner: 'KOR' })).bilateral.products.national!;
    expect(np.rca[0]!.rca.id).toBe('rcaInMarket.CHN.KOR.HS:62.2023');
  });

  it("keeps the subject's own analysis when the subject has product rows", () => {
    const own = [row('CN-HL', 'WLD', 'export', 'HS:44', 2023, 2), row('CN-HL', 'WLD', 'export', 'HS:10', 2023, 1), row('CHN', 'WLD', 'export', 'HS:44', 2023, 10), row('CHN', 'WLD', 'export', 'HS:10', 2023, 40)];
    const pr = buildBriefData(input([...own, ...chinaRows()]), params()).bilateral.products;
    expect(pr.available).toBe(true);
    expect(pr.national).toBeNull();
    expect(pr.rca.map((m) => m.partner)).toEqual(['HS:44', 'HS:10']);
  });

  it('has no national picture when the comparator has no chapter rows', () => {
    const japanOnly = chinaRows().filter((r) => r.reporter === 'JPN');
    expect(buildBriefData(input(japanOnly), params()).bilateral.products.national).toBeNull();
    expect(buildBriefData(input([]), params()).bilateral.products.national).toBeNull();
  });
});

describe('the national product section as composed', () => {
  it('says first that the figures are national, then gives them, in English', () => {
    const blocks = cooperation(compose(chinaRows(), 'en'));
    const all = texts(blocks);
    const intro = all.findIndex((s) => s.startsWith("Heilongjiang's own trade by HS product is not available"));
    expect(intro).toBeGreaterThanOrEqual(0);
    expect(all[intro]).toContain('they describe China as a whole');
    expect(all[intro + 1]).toBe(
      "In 2022 the trade complementarity index of China's exports to the world with Japan's imports from the world was 70.0 (0–100 over HS chapters; 100 when China's export mix matches Japan's import mix exactly).",
    );
    expect(all[intro + 2]).toBe(
      "Of the 3 HS chapters compared, China's highest revealed comparative advantage in Japan's market in 2023 was in HS 62 (RCA 3.00; 30.0% of its exports to Japan), HS 85 (RCA 2.00; 60.0% of its exports to Japan) and HS 27 (RCA 0.17; 10.0% of its exports to Japan).",
    );
    expect(all.some((s) => s.startsWith('Product composition, revealed comparative advantage'))).toBe(false);

    const table = blocks.find((b): b is Extract<Block, { type: 'table' }> => b.type === 'table' && b.id === 'rca-national')!;
    expect(table.title).toBe("China (national level): revealed comparative advantage in Japan's market by HS chapter, 2023");
    expect(table.columns.map((c) => c.label)).toEqual(['HS chapter', 'HS section', "RCA in Japan's market", 'Share of exports to Japan (%)', 'Exports to Japan (US$ million)']);
    expect(table.rows[1]!.cells).toMatchObject({ chapter: '85', section: expect.stringMatching(/^XVI Machinery and mechanical appliances/), rca: expect.closeTo(2, 12), share: expect.closeTo(60, 12), exports: 600_000 });
    expect(table.rows[1]!.figureIds).toEqual(['rcaInMarket.CHN.JPN.HS:85.2023', 'trade.CHN.JPN.export.HS:85.share.2023', 'trade.CHN.JPN.export.HS:85.2023']);
    expect(table.notes![0]).toBe("Source: China's trade by HS chapter; Japan's imports by HS chapter; tradebrief calculations.");
    expect(table.notes![1]).toMatch(/^National level \(China as a whole\)\. .*which no loaded source provides/);
  });

  it('prints the formula and labels each figure with its chapter', () => {
    const doc = compose(chinaRows(), 'en');
    const fig = doc.figures.find((f) => f.id === 'rcaInMarket.CHN.JPN.HS:62.2023')!;
    expect(fig).toMatchObject({ label: "Revealed comparative advantage of China in Japan's market, HS 62", formula: 'RCA_j = (x_ijk / X_ij) / (m_jk / M_j)', unit: 'index', period: '2023' });
    expect(fig.provenance).toHaveLength(6);
    expect(doc.figures.find((f) => f.id === 'trade.CHN.JPN.export.HS:62.2023')!.label).toBe('China exports to Japan, HS 62');
    const formulas = doc.sections.find((s) => s.id === 'methods')!.blocks.find((b): b is Extract<Block, { type: 'table' }> => b.type === 'table' && b.id === 'formulas')!;
    expect(formulas.rows.map((r) => r.cells.indicator)).toContain('Revealed comparative advantage in the partner market');
    expect(formulas.rows.map((r) => r.cells.indicator)).toContain('Trade complementarity index');
  });

  it('reads as national in Chinese and Japanese too', () => {
    const zh = texts(cooperation(compose(chinaRows(), 'zh')));
    expect(zh).toContain('已加载的数据源中没有黑龙江省本身分商品的贸易数据，因此以下产品指标为全国层面数据：反映的是中国整体（本简报与黑龙江省对比的基准），而非黑龙江省。');
    expect(zh.some((s) => s.startsWith('2023年，在所比较的3个HS章中，中国在日本市场显性比较优势指数最高的依次为HS 62（RCA 3.00，占对日出口的30.0%）'))).toBe(true);
    const zhTable = cooperation(compose(chinaRows(), 'zh')).find((b): b is Extract<Block, { type: 'table' }> => b.type === 'table' && b.id === 'rca-national')!;
    expect(zhTable.title).toBe('2023年中国（全国层面）在日本市场的分HS章显性比较优势');
    expect(zhTable.rows[1]!.cells.section).toMatch(/^XVI 机器/);

    const ja = texts(cooperation(compose(chinaRows(), 'ja')));
    expect(ja.some((s) => s.includes('以下の品目指標は全国レベルの数値である'))).toBe(true);
    expect(ja.some((s) => s.startsWith('2023年、比較した3のHS類のうち、日本市場における中国の顕示比較優位指数が最も高かったのは、HS 62（RCA 3.00、対日輸出の30.0%）'))).toBe(true);
    const jaTable = cooperation(compose(chinaRows(), 'ja')).find((b): b is Extract<Block, { type: 'table' }> => b.type === 'table' && b.id === 'rca-national')!;
    expect(jaTable.title).toBe('中国（全国レベル）：日本市場におけるHS類別の顕示比較優位（2023年）');
    expect(jaTable.rows[1]!.cells.section).toMatch(/^XVI 機械類/);
  });

  it('says which national indicator is lacking when only one can be computed', () => {
    const noWorld = chinaRows().filter((r) => !(r.reporter === 'CHN' && r.partner === 'WLD'));
    const all = texts(cooperation(compose(noWorld, 'en')));
    expect(all).toContain('Trade complementarity, China exports vs Japan imports: not available in the loaded sources.');
    expect(all.some((s) => s.startsWith('Of the 3 HS chapters compared'))).toBe(true);
  });

  it('keeps the "unavailable" sentence when neither the subject nor the comparator has product rows', () => {
    const blocks = cooperation(compose([], 'en'));
    const all = texts(blocks);
    expect(all).toContain('Product composition, revealed comparative advantage (RCA) and the trade complementarity index with Japan need HS product-level trade, which is not available in the loaded sources.');
    expect(all.some((s) => s.includes('own trade by HS product') || s.includes('HS chapters compared'))).toBe(false);
    expect(blocks.some((b) => b.type === 'table' && b.id === 'rca-national')).toBe(false);
  });
});
