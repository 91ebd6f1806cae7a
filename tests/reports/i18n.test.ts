// The brief in English, Chinese and Japanese: the catalogues have the same keys and none is empty;
// numbers print as each language writes them; and one fixed analysis, composed three times and
// rendered for real, reads back (pdftotext, pdffonts, ExcelJS, JSON.parse) with each language's
// headings and sentences, fonts that cover every character, and identical figures.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BriefConfig } from '../../src/config/schema.js';
import { loadReference } from '../../src/pipelines/reference.js';
import { buildBriefData, type BriefInput } from '../../src/reports/analysis/brief-data.js';
import type { IndicatorRow, TradeRow } from '../../src/reports/analysis/queries.js';
import { composeHljJapan } from '../../src/reports/briefs/hlj-japan/compose.js';
import type { Block, BriefDocument, Lang } from '../../src/reports/document.js';
import { covers, fallbackFont, primaryFont } from '../../src/reports/fonts.js';
import { formatter } from '../../src/reports/format.js';
import { catalogue, CATALOGUES } from '../../src/reports/i18n/index.js';
import { renderJson } from '../../src/reports/render/json.js';
import { renderPdf } from '../../src/reports/render/pdf.js';
import { renderXlsx } from '../../src/reports/render/xlsx.js';

const run = promisify(execFile);
const LANGS: Lang[] = ['en', 'zh', 'ja'];

// ---------------------------------------------------------------------------------------------
// Catalogues

/**
 * Every way `other` differs from the reference catalogue in shape: a key missing or extra, a
 * different kind of value, an empty string, an array of another length, a template taking other
 * arguments. Empty means the catalogue is complete.
 */
function catalogueProblems(ref: unknown, other: unknown, at = ''): string[] {
  const kind = (v: unknown) => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v);
  if (kind(ref) !== kind(other)) return [`${at || '(root)'}: ${kind(other)} instead of ${kind(ref)}`];
  if (typeof ref === 'string') return (other as string).trim() === '' ? [`${at}: empty`] : [];
  if (typeof ref === 'function') return (other as (...a: unknown[]) => unknown).length !== ref.length ? [`${at}: takes ${(other as () => void).length} arguments, not ${ref.length}`] : [];
  if (Array.isArray(ref)) {
    const o = other as unknown[];
    if (o.length !== ref.length) return [`${at}: ${o.length} items, not ${ref.length}`];
    return ref.flatMap((v, i) => catalogueProblems(v, o[i], `${at}[${i}]`));
  }
  if (ref && typeof ref === 'object') {
    const r = ref as Record<string, unknown>;
    const o = other as Record<string, unknown>;
    const keys = new Set([...Object.keys(r), ...Object.keys(o)]);
    return [...keys].flatMap((k) => {
      const p = at ? `${at}.${k}` : k;
      if (!(k in o)) return [`${p}: missing`];
      if (!(k in r)) return [`${p}: not in the English catalogue`];
      return catalogueProblems(r[k], o[k], p);
    });
  }
  return [];
}

describe('message catalogues', () => {
  it('have every key of the English catalogue, none empty, in zh and ja', () => {
    for (const lang of LANGS) {
      expect(catalogueProblems(CATALOGUES.en, CATALOGUES[lang]), lang).toEqual([]);
      expect(catalogue(lang).lang).toBe(lang);
    }
  });

  it('a missing or empty key fails', () => {
    const { methods: _gone, ...sections } = CATALOGUES.zh.sections;
    const broken = { ...CATALOGUES.zh, sections, labels: { ...CATALOGUES.zh.labels, contents: ' ' }, workbook: { ...CATALOGUES.zh.workbook, summaryHeader: ['主要指标'] } };
    expect(catalogueProblems(CATALOGUES.en, broken)).toEqual(['sections.methods: missing', 'labels.contents: empty', 'workbook.summaryHeader: 1 items, not 7']);
  });
});

// ---------------------------------------------------------------------------------------------
// Formatting

describe('formatter', () => {
  it('writes money as each language does', () => {
    const [en, zh, ja] = LANGS.map(formatter);
    expect(en!.moneyMillion(948e6)).toBe('US$ 948.0 million');
    expect(en!.money(42.04e9)).toBe('US$ 42.0 billion');
    expect(zh!.money(948e6)).toBe('9.48亿美元');
    expect(zh!.money(42.04e9)).toBe('420.4亿美元');
    expect(zh!.money(5.123e7)).toBe('5,123万美元');
    expect(zh!.yuan(1.58839e12)).toBe('15,883.9亿元');
    expect(ja!.money(948e6)).toBe('9億4,800万ドル');
    expect(ja!.money(42.04e9)).toBe('420.4億ドル');
    expect(ja!.money(9.9999e8)).toBe('10億ドル');
    expect(ja!.money(5.123e7)).toBe('5,123万ドル');
    expect(ja!.yuan(1.58839e12)).toBe('1兆5,884億元');
  });

  it('writes percentages, points, years and dates as each language does, and null never as 0', () => {
    const [en, zh, ja] = LANGS.map(formatter);
    expect(zh!.pct(5.71)).toBe('5.7%');
    expect(zh!.pp(-1.25)).toBe('-1.3个百分点');
    expect(ja!.pp(1.25)).toBe('+1.3ポイント');
    expect(en!.years([2017, 2018, 2019, 2021])).toBe('2017–2019, 2021');
    expect(zh!.years([2017, 2018, 2019, 2021])).toBe('2017—2019年、2021年');
    expect(ja!.years([2017, 2018, 2019, 2021])).toBe('2017～2019年、2021年');
    expect(zh!.span(2011, 2023)).toBe('2011—2023年');
    expect(en!.timestamp('2026-11-29T06:00:00.000Z')).toBe('2026-11-29 06:00 UTC');
    expect(zh!.timestamp('2026-11-29T06:00:00.000Z')).toBe('2026年11月29日 06:00 UTC');
    expect(ja!.timestamp('2026-11-29T06:00:00.000Z')).toBe('2026年11月29日 06:00 UTC');
    for (const f of [en!, zh!, ja!]) expect(f.money(null)).not.toMatch(/\d/);
  });
});

// ---------------------------------------------------------------------------------------------
// One analysis, three documents

const M = 1e6;
let cellNo = 0;

function trade(reporter: string, partner: string, flow: TradeRow['flow'], year: number, usdMillion: number, extra: Partial<TradeRow> = {}): TradeRow {
  const source_id = reporter === 'CHN' ? 'china-japan' : 'hlj-trade';
  return {
    table: 'trade_flow', reporter, partner, flow, product: 'TOTAL', period: String(year), year,
    value: usdMillion * 100, unit: '万美元', currency: 'USD', value_usd: usdMillion * M, value_native: usdMillion * M, illustrative: false,
    provenance: { table: 'trade_flow', source_id, cell: `sha-${source_id}#T!C${++cellNo}`, run_id: 1, key: `${reporter}|${partner}|${flow}|TOTAL|${year}|year|${source_id}` }, overruled: [],
    ...extra,
  };
}

function indicator(code: string, year: number, value: number): IndicatorRow {
  const money = code === 'gdp';
  return {
    table: 'indicator', region: 'CN-HL', code, period: String(year), year, value, unit: money ? '亿元' : '%', currency: money ? 'CNY' : null,
    value_usd: money ? (value * 1e8) / 6.5 : null, value_native: money ? value * 1e8 : null, illustrative: false,
    provenance: { table: 'indicator', source_id: 'hlj-gdp', cell: `sha-gdp#G!B${++cellNo}`, run_id: 3, key: `CN-HL|${code}|${year}|year|hlj-gdp` }, overruled: [],
  };
}

/**
 * Heilongjiang 2018–2019: total trade 26,000 → 27,000 (exports 5,000, imports 22,000 in 2019);
 * Japan 1,000 → 948 (illustrative, as in the bundled data); Russia 18,000; China 4,500,000 with
 * Japan 315,000; GDP 13,000亿元 at 6.5 yuan per dollar, real growth 4.2%.
 */
function input(): BriefInput {
  cellNo = 0;
  return {
    trade: [
      trade('CN-HL', 'WLD', 'export', 2018, 4_500),
      trade('CN-HL', 'WLD', 'import', 2018, 21_500),
      trade('CN-HL', 'WLD', 'export', 2019, 5_000),
      trade('CN-HL', 'WLD', 'import', 2019, 22_000),
      trade('CN-HL', 'JPN', 'total', 2018, 1_000, { illustrative: true }),
      trade('CN-HL', 'JPN', 'total', 2019, 948, { illustrative: true }),
      trade('CN-HL', 'RUS', 'total', 2019, 18_000),
      trade('CN-HL', 'KOR', 'total', 2019, 1_500),
      trade('CHN', 'WLD', 'total', 2019, 4_500_000),
      trade('CHN', 'JPN', 'total', 2019, 315_000),
    ],
    products: [],
    investment: [],
    indicators: [indicator('gdp', 2018, 12_800), indicator('gdp', 2019, 13_000), indicator('gdp_real_growth_pct', 2018, 4.7), indicator('gdp_real_growth_pct', 2019, 4.2)],
    fx: [],
    sources: [
      { source_id: 'hlj-trade', title: 'Heilongjiang trade by partner', publisher: 'Harbin Customs', url: 'data/sources/hlj-trade.xlsx', sha256: 'sha-hlj-trade', fetched_at: '2026-11-28T00:00:00.000Z', run_id: 1, citations: [] },
      { source_id: 'china-japan', title: 'China–Japan trade', publisher: 'GACC', url: 'data/sources/china-japan.xlsx', sha256: 'sha-china-japan', fetched_at: '2026-11-28T00:00:00.000Z', run_id: 2, citations: [] },
      { source_id: 'hlj-gdp', title: 'Heilongjiang GDP', publisher: null, url: 'data/sources/hlj-gdp.xlsx', sha256: 'sha-gdp', fetched_at: '2026-11-28T00:00:00.000Z', run_id: 3, citations: [] },
    ],
  };
}

const brief: BriefConfig = { id: 'hlj-japan', title: 'Heilongjiang–Japan economic and trade cooperation', subject: 'CN-HL', partner: 'JPN', comparators: ['CN-LN', 'CN-JL', 'CHN'], languages: ['en', 'zh', 'ja'], formats: ['pdf', 'xlsx', 'json'] };
const reference = loadReference();

function compose(lang: Lang): BriefDocument {
  const data = buildBriefData(input(), { briefId: brief.id, subject: brief.subject, partner: brief.partner, comparators: brief.comparators, kindOf: (c) => reference.entry(c)?.kind ?? undefined });
  return composeHljJapan(data, { brief, lang, generatedAt: '2026-11-29T06:00:00.000Z', names: (code) => reference.name(code, lang) });
}

/** Every string the document model shows a reader. */
function modelTexts(doc: BriefDocument): string[] {
  const out = [doc.title, doc.subtitle, doc.subject, doc.runningHeader, doc.illustrativeNote];
  const walk = (b: Block): void => {
    if (b.type === 'paragraph' || b.type === 'note') out.push(b.text);
    else if (b.type === 'list') out.push(...b.items);
    else if (b.type === 'keyFigures') for (const i of b.items) out.push(i.label, i.text, i.note ?? '');
    else if (b.type === 'chart') out.push(b.title, b.source ?? '');
    else if (b.type === 'table') {
      out.push(b.title, ...b.columns.map((c) => c.label), ...(b.notes ?? []));
      // Timestamps are drawn formatted (2026年11月28日 00:00 UTC), so their raw form is not a string shown.
      for (const r of b.rows) for (const v of Object.values(r.cells)) if (typeof v === 'string' && !/^\d{4}-\d\d-\d\dT/.test(v)) out.push(v);
    }
  };
  for (const s of doc.sections) {
    out.push(s.heading);
    s.blocks.forEach(walk);
  }
  return out.filter(Boolean);
}

const paragraphs = (doc: BriefDocument): string[] => doc.sections.flatMap((s) => s.blocks.flatMap((b) => (b.type === 'paragraph' ? [b.text] : [])));
const squash = (s: string): string => s.replace(/\s+/g, '');

describe('the brief in three languages', () => {
  const docs = {} as Record<Lang, BriefDocument>;
  const pdfs = {} as Record<Lang, { bytes: number; text: string; fonts: string }>;
  const books = {} as Record<Lang, ExcelJS.Workbook>;
  const json = {} as Record<Lang, BriefDocument>;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'tradebrief-i18n-'));
    for (const lang of LANGS) {
      const doc = compose(lang);
      docs[lang] = doc;
      const pdf = await renderPdf(doc);
      const file = path.join(dir, `brief.${lang}.pdf`);
      await writeFile(file, pdf);
      const { stdout: text } = await run('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { maxBuffer: 64 << 20 });
      const { stdout: fonts } = await run('pdffonts', [file]);
      pdfs[lang] = { bytes: pdf.length, text, fonts };
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load((await renderXlsx(doc)) as unknown as ArrayBuffer);
      books[lang] = wb;
      json[lang] = JSON.parse(renderJson(doc)) as BriefDocument;
    }
  }, 120_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('composes each language from its own catalogue, with names from the reference list', () => {
    expect(docs.zh.title).toBe('黑龙江省与日本经贸合作');
    expect(docs.ja.title).toBe('黒竜江省と日本の経済・貿易協力');
    // The configured title is English; only the English brief uses it.
    expect(docs.en.title).toBe('Heilongjiang–Japan economic and trade cooperation');
    expect(docs.zh.sections.map((s) => s.heading)).toEqual(['黑龙江省经济发展趋势', '黑龙江省对外开放与对外贸易', '黑龙江省与日本的经贸合作', '机遇与不足', '数据与方法']);
    expect(docs.ja.sections.map((s) => s.heading)).toEqual(['黒竜江省の経済発展の動向', '黒竜江省の対外開放と対外貿易', '黒竜江省と日本の経済・貿易協力', '機会と課題', 'データと方法']);
    const all = (lang: Lang) => modelTexts(docs[lang]).join('\n');
    expect(all('zh')).toContain('俄罗斯');
    expect(all('ja')).toContain('ロシア');
    for (const lang of ['zh', 'ja'] as const) {
      // No code where a name belongs (the cover's subject line shows both on purpose), and no
      // English left in the generated prose.
      expect(all(lang).replace(docs[lang].subject, '')).not.toMatch(/\b(CN-HL|JPN|RUS|KOR)\b/);
      for (const p of paragraphs(docs[lang])) expect(p.replace(/tradebrief|SHA-256|TII|RCA|HHI|GDP|HS/g, ''), p).not.toMatch(/[A-Za-z]{3,}/);
    }
  });

  it('writes the sentences a native analyst would, with hand-computed numbers', () => {
    // Japan 948 of 27,000 = 3.51%; (948 − 1,000) / 1,000 = −5.2%; the trade is illustrative (†).
    expect(paragraphs(docs.en)).toContain("In 2019 Heilongjiang's trade with Japan was US$ 948.0 million†, 3.5% of its total, 5.2% lower than in 2018.");
    expect(paragraphs(docs.zh)).toContain('2019年，黑龙江省对日贸易额为9.48亿美元†，占全省外贸总额的3.5%，比2018年下降5.2%。');
    expect(paragraphs(docs.ja)).toContain('2019年の黒竜江省の対日貿易額は9億4,800万ドル†で、全省貿易総額の3.5%を占め、前年比5.2%減少した。');
    // 27,000 over 26,000 = +3.85%.
    expect(paragraphs(docs.zh)).toContain('2019年，黑龙江省对外贸易总额为270.0亿美元，其中出口50.0亿美元，进口220.0亿美元，比2018年增长3.8%。');
    expect(paragraphs(docs.ja)).toContain('2019年の黒竜江省の貿易総額は270.0億ドル（輸出50.0億ドル、輸入220.0億ドル）で、前年比3.8%増加した。');
    // 13,000亿元 / 6.5 = US$ 200 billion = 2,000亿美元.
    expect(paragraphs(docs.zh)).toContain('2019年，黑龙江省地区生产总值为2,000.0亿美元（13,000.0亿元），按可比价格计算，比上年增长4.2%。');
    expect(paragraphs(docs.ja)).toContain('2019年の黒竜江省のGDPは2,000.0億ドル（1兆3,000億元）で、実質成長率は4.2%だった。');
  });

  for (const lang of LANGS) {
    it(`${lang}: the PDF shows its headings and sentences, in subset fonts that cover every character`, () => {
      const { text, fonts, bytes } = pdfs[lang];
      const flat = squash(text);
      for (const s of docs[lang].sections) expect(flat).toContain(squash(s.heading));
      const t = catalogue(lang);
      expect(flat.toLowerCase()).toContain(squash(t.labels.contents).toLowerCase());
      const pages = text.split('\f').filter((p) => p.trim()).length;
      expect(flat).toContain(squash(t.labels.page(2, pages)));
      expect(flat).toContain(squash(t.labels.sources));
      const sentence = paragraphs(docs[lang]).find((p) => p.includes('2019') && (p.includes('948') || p.includes('9.48') || p.includes('9億4,800万')))!;
      expect(sentence).toBeDefined();
      expect(flat).toContain(squash(sentence));
      expect(text).not.toContain('\uFFFD');
      // Every character the model uses is drawn by an embedded face (none became `?`)…
      const chars = new Set([...modelTexts(docs[lang]).join('')].filter((ch) => !/\s/.test(ch)));
      const primary = primaryFont(lang);
      for (const ch of chars) expect(covers(primary, ch.codePointAt(0)!) || covers(fallbackFont(primary), ch.codePointAt(0)!), `${ch} U+${ch.codePointAt(0)!.toString(16)}`).toBe(true);
      // …and comes back out of the PDF as itself.
      // (The English renderer draws U+2212 as a hyphen: Noto's is full-width.)
      const missing = [...chars].filter((ch) => !/[\s†]/.test(ch) && !text.includes(lang === 'en' && ch === '\u2212' ? '-' : ch));
      expect(missing).toEqual([]);
      expect(text).not.toContain('?');
      // Subset CID fonts only; Japanese glyph shapes set the Japanese brief, Simplified the Chinese.
      const names = [...fonts.matchAll(/^([A-Z]{6}\+\S+)/gm)].map((m) => m[1]!);
      expect(names.length).toBeGreaterThan(0);
      for (const line of fonts.split('\n').slice(2).filter(Boolean)) expect(line).toMatch(/^[A-Z]{6}\+NotoSans\S+\s+CID Type 0C\s+Identity-H\s+yes yes yes/);
      if (lang === 'ja') expect(names.some((n) => n.endsWith('+NotoSansJP-Regular'))).toBe(true);
      else expect(names.every((n) => /\+NotoSansHans-/.test(n))).toBe(true);
      expect(bytes).toBeLessThan(1_000_000);
    });
  }

  it('the three JSON documents carry identical figures', () => {
    // The formula is text in the brief's language (its variables stay the same); whether a figure
    // has one is part of the figure.
    const key = (doc: BriefDocument) => doc.figures.map(({ id, value, unit, period, illustrative, formula, provenance }) => ({ id, value, unit, period, illustrative, derived: formula !== undefined, provenance }));
    expect(json.en.figures.length).toBeGreaterThan(20);
    expect(key(json.zh)).toEqual(key(json.en));
    expect(key(json.ja)).toEqual(key(json.en));
    // Labels are in each language.
    const formula = (lang: Lang) => json[lang].figures.find((f) => f.formula?.startsWith('CAGR'))!.formula;
    expect([formula('en'), formula('zh'), formula('ja')]).toEqual([
      'CAGR = ((x_last / x_first)^(1/n) − 1) × 100, n = years between them',
      'CAGR = ((x_末 / x_初)^(1/n) − 1) × 100，n 为两期相隔年数',
      'CAGR = ((x_終 / x_初)^(1/n) − 1) × 100、n は両年の間の年数',
    ]);
    const label = (lang: Lang) => json[lang].figures.find((f) => f.id === 'trade.CN-HL.JPN.total.2019')!.label;
    expect([label('en'), label('zh'), label('ja')]).toEqual(['Heilongjiang trade with Japan', '黑龙江省对日贸易额', '黒竜江省の対日貿易額']);
  });

  it('the three workbooks carry equal Summary values and the same table sheets in their own words', () => {
    const summary = (wb: ExcelJS.Workbook): Map<string, unknown> => {
      const out = new Map<string, unknown>();
      wb.worksheets[0]!.eachRow((row) => {
        const id = row.getCell(7).value;
        if (typeof id === 'string' && id.includes('.')) out.set(id, row.getCell(2).value);
      });
      return out;
    };
    const en = summary(books.en);
    expect(en.size).toBeGreaterThan(3);
    expect(summary(books.zh)).toEqual(en);
    expect(summary(books.ja)).toEqual(en);
    expect(books.zh.worksheets[0]!.name).toBe('摘要');
    expect(books.ja.worksheets[0]!.name).toBe('概要');
    const names = (wb: ExcelJS.Workbook) => wb.worksheets.map((w) => w.name);
    expect(names(books.en)).toContain('T1 GDP, growth and openness');
    expect(names(books.zh)).toContain('表1 GDP、增速与外贸依存度');
    expect(names(books.ja)).toContain('表1 GDP・成長率・貿易依存度');
    for (const lang of LANGS) {
      expect(names(books[lang]).length).toBe(names(books.en).length);
      // Table sheets hold the same numbers in the same cells, whatever the language.
      for (const [i, ws] of books[lang].worksheets.entries()) {
        const ref = books.en.worksheets[i]!;
        const numbers = (w: ExcelJS.Worksheet) => {
          const out: unknown[] = [];
          w.eachRow((row) => row.eachCell((c) => typeof c.value === 'number' && out.push(`${c.address}=${c.value}`)));
          return out;
        };
        expect(numbers(ws), ws.name).toEqual(numbers(ref));
        expect(ws.name.length).toBeLessThanOrEqual(31);
      }
    }
  });
});
