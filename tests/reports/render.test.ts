// The renderers against the fixture document: the PDF's extracted text and fonts (not its bytes),
// the workbook read back with exceljs and SheetJS, the JSON parsed, and atomic writes.

import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import * as nodeFs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import * as XLSX from 'xlsx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderChartSvg } from '../../src/reports/charts.js';
import { ILLUSTRATIVE_MARK, type BriefDocument } from '../../src/reports/document.js';
import { cleanText, displayWidth, fontRuns, FONT_JP, FONT_SC, measureText } from '../../src/reports/fonts.js';
import { renderJson } from '../../src/reports/render/json.js';
import { CONTENT_WIDTH, fitTable, formatValue, renderPdf, tableTexts } from '../../src/reports/render/pdf.js';
import { writeAtomic, type AtomicFs } from '../../src/reports/render/write-atomic.js';
import { renderXlsx, sheetName, tableSheetName } from '../../src/reports/render/xlsx.js';
import { catalogue } from '../../src/reports/i18n/index.js';
import { fixtureDocument, HOSTILE_LABEL, LONG_URL, WIDE_HEADERS, wideTablesDocument } from './fixture-document.js';

const run = promisify(execFile);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tradebrief-render-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function pdfText(pdf: Buffer, name: string): Promise<{ layout: string; flat: string; fonts: string }> {
  const file = path.join(dir, name);
  await writeFile(file, pdf);
  const { stdout: layout } = await run('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-']);
  const { stdout: fonts } = await run('pdffonts', [file]);
  return { layout, flat: layout.replace(/\s+/g, ' '), fonts };
}

interface PdfWord {
  page: number;
  text: string;
  xMin: number;
  xMax: number;
  yMin: number;
}

/** Every word pdftotext finds, with its box in points (origin top left). */
async function pdfWords(pdf: Buffer, name: string): Promise<{ words: PdfWord[]; pageWidth: number }> {
  const file = path.join(dir, name);
  await writeFile(file, pdf);
  const { stdout } = await run('pdftotext', ['-bbox', '-enc', 'UTF-8', file, '-'], { maxBuffer: 64 << 20 });
  const pageWidth = Number(/<page width="([\d.]+)"/.exec(stdout)![1]);
  const words: PdfWord[] = [];
  const decode = (t: string) => t.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
  for (const [p, page] of stdout.split('<page ').slice(1).entries()) {
    for (const m of page.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<\/word>/g)) {
      words.push({ page: p + 1, xMin: Number(m[1]), yMin: Number(m[2]), xMax: Number(m[3]), text: decode(m[4]!) });
    }
  }
  return { words, pageWidth };
}

/** pdffonts rows after the two header lines: name, type…, emb, sub, uni. */
function fontRows(fonts: string): { name: string; type: string; emb: string; sub: string }[] {
  return fonts
    .trim()
    .split('\n')
    .slice(2)
    .map((line) => {
      const cols = line.trim().split(/\s+/);
      // name type... encoding emb sub uni objnum gen
      return { name: cols[0]!, type: line.slice(37, 55).trim(), emb: cols.at(-5)!, sub: cols.at(-4)! };
    });
}

describe('formatting', () => {
  it('formats numbers by column kind and never shows null as 0', () => {
    expect(formatValue(1234.46, { kind: 'number', decimals: 1 })).toBe('1,234.5');
    expect(formatValue(1234.46, { kind: 'number' })).toBe('1,234.5');
    expect(formatValue(0.4249, { kind: 'index' })).toBe('0.42');
    expect(formatValue(12345, { kind: 'integer' })).toBe('12,345');
    expect(formatValue(-0.04, { kind: 'percent' })).toBe('0.0');
    expect(formatValue(-3.25, { kind: 'percent', decimals: 2 })).toBe('-3.25');
    expect(formatValue(null, { kind: 'number' })).toBe('n/a');
    expect(formatValue(Number.NaN, { kind: 'number' })).toBe('n/a');
  });

  it('strips control characters and caps labels', () => {
    expect(cleanText('a\u0007b\u0085c\nd\u202ee')).toBe('abc\nde');
    const long = cleanText('x'.repeat(500), 200);
    expect([...long]).toHaveLength(200);
    expect(long.endsWith('…')).toBe(true);
    expect(displayWidth('日本 ab')).toBe(7);
  });

  it('sends glyphs the primary face lacks to the other face', () => {
    // Noto Sans JP has no simplified 罗; Noto Sans SC has it.
    expect(fontRuns('ロシア 俄罗斯', FONT_JP)).toEqual([
      { text: 'ロシア 俄', font: FONT_JP },
      { text: '罗', font: FONT_SC },
      { text: '斯', font: FONT_JP },
    ]);
    expect(fontRuns('Japan 日本', FONT_SC)).toEqual([{ text: 'Japan 日本', font: FONT_SC }]);
  });
});

describe('renderChartSvg', () => {
  it('gives the same SVG for the same spec, sized and set in the given font', async () => {
    const chart = fixtureDocument().sections[3]!.blocks.find((b) => b.type === 'chart')!;
    if (chart.type !== 'chart') throw new Error('fixture');
    const opts = { width: 480, height: 220, font: FONT_SC, lang: 'en' as const };
    const a = await renderChartSvg(chart.spec, opts);
    const b = await renderChartSvg(chart.spec, opts);
    expect(a).toBe(b);
    expect(a).toMatch(/^<svg[^>]* width="480" height="220"/);
    expect(a).toContain(`font-family="${FONT_SC}"`);
    expect(a).toContain('辽宁省');
  });

  it('keeps control characters out of the SVG (they are not valid XML)', async () => {
    const svg = await renderChartSvg(
      { data: { values: [{ k: 'bad\u0001label', v: 1 }] }, mark: 'bar', encoding: { x: { field: 'k' }, y: { field: 'v', type: 'quantitative' } } },
      { width: 200, height: 120, font: FONT_SC, lang: 'en' },
    );
    expect(svg).toContain('badlabel');
    expect([...svg].filter((ch) => ch.charCodeAt(0) < 0x09)).toEqual([]);
  });
});

describe('renderPdf', () => {
  let pdf: Buffer;
  let text: Awaited<ReturnType<typeof pdfText>>;
  let doc: BriefDocument;
  beforeAll(async () => {
    doc = fixtureDocument();
    pdf = await renderPdf(doc);
    text = await pdfText(pdf, 'brief-en.pdf');
  });

  it('is a small A4 PDF (fonts subset)', () => {
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.length).toBeLessThan(2_000_000);
  });

  it('has the cover, numbered headings, paragraphs and the Sources list', () => {
    expect(text.flat).toContain("Heilongjiang's Economic and Trade Cooperation with Japan");
    expect(text.flat).toContain('Data vintage 2023');
    expect(text.flat).toContain('2024-05-02 08:30 UTC');
    for (const [i, s] of doc.sections.entries()) expect(text.flat).toContain(`${i + 1} ${s.heading}`);
    expect(text.flat).toContain(`${doc.sections.length + 1} Sources`);
    expect(text.flat).toContain('Heilongjiang grew more slowly than China as a whole over the decade');
    expect(text.flat).toContain('https://example.org/hlj/trade-by-partner-2023.xlsx');
    expect(text.flat).toContain('sha256 3f1c9a0b7d2e');
    expect(text.flat).not.toContain('sha256 3f1c9a0b7d2e4');
  });

  it('formats table numbers, shows null as n/a and marks illustrative values', () => {
    expect(text.flat).toContain('1,234.5');
    expect(text.flat).toContain('45,761.1');
    expect(text.flat).toContain('n/a');
    expect(text.flat).toContain(`日本 Japan${ILLUSTRATIVE_MARK}`);
    expect(text.flat).toContain(`0.42${ILLUSTRATIVE_MARK}`);
    expect(text.flat).toContain(doc.illustrativeNote);
    expect(text.flat).toContain('Other partners (incl. unallocated)');
    expect(text.flat).toContain(HOSTILE_LABEL);
  });

  it('numbers pages and repeats the running header, but not on the cover', () => {
    const pages = text.layout.split('\f').filter((p) => p.trim());
    expect(pages.length).toBeGreaterThan(3);
    expect(text.flat).toContain('Page 2 of');
    expect(pages[0]).not.toContain('Page 1 of');
    expect(pages[0]).not.toContain(doc.runningHeader);
    for (const page of pages.slice(1)) expect(page).toContain(doc.runningHeader);
  });

  it('draws CJK in tables and in charts with embedded subset fonts, no missing glyphs', () => {
    expect(text.flat).toContain('日本');
    expect(text.flat).toContain('辽宁省'); // only in the comparator chart's SVG
    expect(text.flat).toContain('黑龙江省');
    expect(text.layout).not.toContain('\uFFFD');
    const rows = fontRows(text.fonts);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.type).not.toMatch(/Type 3/);
      expect(row.emb).toBe('yes');
      expect(row.sub).toBe('yes');
      expect(row.name).toMatch(/^[A-Z]{6}\+NotoSans/);
    }
  });

  it('caps huge labels, drops glyphs no font has, and omits the note where nothing is illustrative', async () => {
    const small = fixtureDocument();
    const huge = 'Partner label from a hostile file '.repeat(300);
    small.sections = [
      {
        id: 'only',
        heading: 'Only section',
        blocks: [
          {
            type: 'table',
            id: 't',
            title: 'Hostile labels',
            columns: [
              { key: 'k', label: 'Label', kind: 'text' },
              { key: 'v', label: 'Value (US$ million)', kind: 'number' },
            ],
            rows: [{ cells: { k: huge, v: 1 } }, { cells: { k: 'smile 😀 \u0000ok', v: null } }],
          },
        ],
      },
    ];
    const out = await pdfText(await renderPdf(small), 'brief-hostile.pdf');
    expect(out.flat).toContain('Partner label from a hostile file');
    expect(out.flat).toContain('…');
    expect(out.flat.split('Partner label from a hostile file').length - 1).toBeLessThan(10);
    expect(out.flat).toContain('smile ? ok');
    expect(out.layout).not.toContain('\uFFFD');
    expect(out.flat).not.toContain(small.illustrativeNote);
  });

  it('gives the same bytes for the same document after other documents shared the parsed fonts', async () => {
    // Every face is parsed once per process and shared by every PDF (issue 6); each PDF still
    // embeds its own subset, so what one PDF drew never reaches another.
    const zh = await renderPdf({ ...fixtureDocument(), lang: 'zh' });
    expect(Buffer.compare(await renderPdf(doc), pdf)).toBe(0);
    expect(Buffer.compare(await renderPdf({ ...fixtureDocument(), lang: 'zh' }), zh)).toBe(0);
  });

  it('sets a Japanese brief in Noto Sans JP, with simplified hanzi from Noto Sans SC', async () => {
    const ja = { ...fixtureDocument(), lang: 'ja' as const };
    const out = await pdfText(await renderPdf(ja), 'brief-ja.pdf');
    expect(out.fonts).toMatch(/\+NotoSansJP-Regular/);
    expect(out.fonts).toMatch(/\+NotoSansHans-Regular/);
    expect(out.flat).toContain('俄罗斯');
    expect(out.flat).toContain('ページ');
    expect(out.layout).not.toContain('\uFFFD');
  });
});

describe('PDF table layout', () => {
  const doc = wideTablesDocument();
  const tables = doc.sections[0]!.blocks.flatMap((b) => (b.type === 'table' ? [b] : []));
  const fits = tables.map((t) =>
    fitTable(
      tableTexts(t),
      t.columns.map((c) => c.kind !== 'text'),
      FONT_SC,
    ),
  );
  let words: PdfWord[];
  let pageWidth: number;
  let layout: string;
  beforeAll(async () => {
    const pdf = await renderPdf(doc);
    ({ words, pageWidth } = await pdfWords(pdf, 'brief-wide.pdf'));
    layout = (await pdfText(pdf, 'brief-wide-layout.pdf')).layout;
  });

  it('never makes a table wider than the text block', () => {
    for (const fit of fits) {
      const total = fit.widths.reduce((a, b) => a + b, 0) + fit.widths.length * 2 * fit.padding;
      expect(total).toBeLessThanOrEqual(CONTENT_WIDTH);
      for (const w of fit.widths) expect(w).toBeGreaterThan(0);
    }
  });

  it('gives every column its widest number and header word, stepping the type down to fit', () => {
    for (const [t, table] of tables.entries()) {
      const fit = fits[t]!;
      const texts = tableTexts(table);
      for (const [i, col] of table.columns.entries()) {
        for (const word of texts.header[i]!.split(/\s+/)) {
          if (word.length > 20) continue; // hashes and URLs may break
          expect(measureText(word, FONT_SC, fit.headerSize, true), `${table.id}: ${word}`).toBeLessThanOrEqual(fit.widths[i]!);
        }
        if (col.kind === 'text') continue;
        for (const row of texts.rows) {
          expect(measureText(row[i]!.text, FONT_SC, fit.fontSize), `${table.id}: ${row[i]!.text}`).toBeLessThanOrEqual(fit.widths[i]!);
        }
      }
    }
    expect(fits[1]!.fontSize).toBe(8.5);
  });

  it('steps the type down before it lets a number or header word break', () => {
    const wide = tables[0]!;
    const texts = tableTexts(wide);
    const numeric = wide.columns.map((c) => c.kind !== 'text');
    const normal = fitTable(texts, numeric, FONT_SC, 360);
    expect(normal.fontSize).toBeLessThan(8.5);
    expect(normal.fontSize).toBeGreaterThanOrEqual(7);
    expect(normal.widths.reduce((a, b) => a + b, 0) + normal.widths.length * 2 * normal.padding).toBeLessThanOrEqual(360);
    for (const [i, w] of normal.widths.entries()) {
      for (const word of texts.header[i]!.split(' ')) expect(measureText(word, FONT_SC, normal.headerSize, true)).toBeLessThanOrEqual(w);
      if (numeric[i]) for (const row of texts.rows) expect(measureText(row[i]!.text, FONT_SC, normal.fontSize)).toBeLessThanOrEqual(w);
    }
    // Far too narrow: the smallest size, and still never wider than the room.
    const cramped = fitTable(texts, numeric, FONT_SC, 250);
    expect(cramped.fontSize).toBe(7);
    expect(cramped.widths.reduce((a, b) => a + b, 0) + cramped.widths.length * 2 * cramped.padding).toBeLessThanOrEqual(250);
  });

  it('gives the text columns only the room left once the numbers fit', () => {
    // Compared regions: "Year" and "Period" are short text; the numeric columns must not starve.
    const [region, year, trade, share, tii, cagr, period] = fits[1]!.widths as [number, number, number, number, number, number, number];
    expect(trade).toBeGreaterThanOrEqual(measureText('Trade (US$ million)', FONT_SC, 8, true));
    expect(cagr).toBeGreaterThanOrEqual(measureText('CAGR of trade with Japan (%)', FONT_SC, 8, true));
    expect(share).toBeGreaterThan(20);
    expect(tii).toBeGreaterThan(20);
    expect(region + year + period).toBeLessThan(CONTENT_WIDTH / 2 + 60);
  });

  it('keeps header words and numbers whole in the PDF', () => {
    const found = new Set(words.map((w) => w.text));
    for (const header of WIDE_HEADERS) for (const word of header.split(' ')) expect(found, word).toContain(word);
    for (const word of ['Region', 'Period', 'CAGR', 'Japan', '(%)', 'Publisher', 'SHA-256', 'Fetched']) expect(found, word).toContain(word);
    // No header fragment such as "Sha" + "re" or a lone "R".
    for (const bad of ['Sha', 'Opennes', 'R', 'a', 'n', 'k', 'Growt', 'millio', 'milli']) expect(found, bad).not.toContain(bad);
    const wide = tables[0]!;
    for (const row of tableTexts(wide).rows) {
      for (const [i, cell] of row.entries()) {
        if (wide.columns[i]!.kind === 'text') continue;
        expect(found, cell.text).toContain(cell.text);
      }
    }
    for (const n of ['948.0', '297,280.0', '-12.4', '10,234.5', '1.21']) expect(found, n).toContain(n);
  });

  it('wraps long text cells inside their column, never past the right margin', () => {
    const right = pageWidth - (pageWidth - CONTENT_WIDTH) / 2;
    const over = words.filter((w) => w.xMax > right + 0.5);
    expect(over).toEqual([]);
    // The URL wrapped at its slashes and hyphens: every piece is there, in order.
    const url = words.filter((w) => LONG_URL.includes(w.text) && w.text.length > 3).map((w) => w.text);
    expect(url.join('')).toContain('https://statistics.example.org/');
    expect(url.join('')).toContain('foreign-trade-by-partner-country-and-region.xlsx');
    expect(layout).toContain('2024-05-01 06:00 UTC');
  });

  it('repeats the caption and header on every page a table runs onto, zebra rows in between', async () => {
    const long = wideTablesDocument();
    const first = long.sections[0]!.blocks[0]!;
    if (first.type !== 'table') throw new Error('fixture');
    first.rows = [...first.rows, ...first.rows, ...first.rows, ...first.rows, ...first.rows];
    long.sections[0]!.blocks = [first];
    const out = await pdfText(await renderPdf(long), 'brief-long-table.pdf');
    const pages = out.layout.split('\f').filter((p) => p.includes('Exports'));
    expect(pages.length).toBeGreaterThan(1);
    for (const page of pages) {
      expect(page).toContain('Table 1 Heilongjiang: trade with Japan');
      expect(page).toMatch(/Exports\s+Imports/);
    }
  });
});

describe('renderXlsx', () => {
  const doc = fixtureDocument();
  let wb: ExcelJS.Workbook;
  let buf: Buffer;
  beforeAll(async () => {
    buf = await renderXlsx(doc);
    wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
  });

  const tableSheet = (title: string): ExcelJS.Worksheet => {
    const ws = wb.worksheets.find((w) => w.getCell('A1').value === title);
    if (!ws) throw new Error(`no sheet for ${title}`);
    return ws;
  };

  it('sets the workbook properties', () => {
    expect(wb.creator).toBe('tradebrief');
    expect(wb.created.toISOString()).toBe(doc.generatedAt);
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      'Summary',
      // Numbered like the PDF's tables, cut at a word boundary, never colliding with the fixed sheets.
      'T1 Foreign trade of',
      'T2 Heilongjiang trade by',
      'T3 Figures and formulas',
      'Figures',
      'Sources',
    ]);
  });

  it('writes key figures on Summary as numbers equal to the figures', () => {
    const ws = wb.getWorksheet('Summary')!;
    const byId = new Map<string, ExcelJS.Row>();
    ws.eachRow((row) => {
      const id = row.getCell(7).value;
      if (typeof id === 'string') byId.set(id, row);
    });
    const shown = doc.sections.flatMap((s) => s.blocks.flatMap((b) => (b.type === 'keyFigures' ? b.items : [])));
    expect(shown.length).toBeGreaterThan(0);
    for (const item of shown) {
      const f = doc.figures.find((x) => x.id === item.figureId)!;
      const row = byId.get(item.figureId)!;
      expect(row, item.figureId).toBeDefined();
      expect(row.getCell(2).value).toBe(f.value);
      if (f.value !== null) expect(row.getCell(2).type).toBe(ExcelJS.ValueType.Number);
      expect(row.getCell(5).value).toBe(f.illustrative ? ILLUSTRATIVE_MARK : null);
    }
    expect(byId.get('japan.share.2023')!.getCell(2).numFmt).toBe('#,##0.0"%"');
  });

  it('writes a table sheet with frozen header, filter, units, formats and empty nulls', () => {
    const ws = tableSheet('Heilongjiang trade by partner, 2023');
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 });
    expect(ws.autoFilter).toBeTruthy();
    const header = ws.getRow(3).values as unknown[];
    expect(header).toContain('Trade (US$ million)');
    expect(header).toContain('Illustrative');
    expect(ws.getRow(3).font?.bold).toBe(true);
    const russia = ws.getRow(4);
    expect(russia.getCell(1).value).toBe('俄罗斯 Russia');
    expect(russia.getCell(2).value).toBe(30431.2);
    expect(russia.getCell(2).numFmt).toBe('#,##0.0');
    expect(russia.getCell(3).numFmt).toBe('#,##0.0"%"');
    expect(russia.getCell(5).value).toBeNull();
    expect(ws.getRow(5).getCell(6).value).toBe(ILLUSTRATIVE_MARK);
    expect(ws.getRow(8).getCell(1).value).toBe('Other partners (incl. unallocated)');
    // CJK counts double: the label column is wider than its character count.
    expect(ws.getColumn(1).width).toBeGreaterThanOrEqual(HOSTILE_LABEL.length);
    const notes: string[] = [];
    ws.eachRow((row, n) => {
      if (n > 10 && typeof row.getCell(1).value === 'string') notes.push(row.getCell(1).value as string);
    });
    expect(notes).toContain(doc.illustrativeNote);
  });

  it('writes a label beginning with = as text, never a formula', () => {
    const ws = tableSheet('Heilongjiang trade by partner, 2023');
    const cell = ws.getRow(7).getCell(1);
    expect(cell.value).toBe(HOSTILE_LABEL);
    expect(cell.type).toBe(ExcelJS.ValueType.String);

    const sheet = XLSX.read(buf, { type: 'buffer', cellFormula: true }).Sheets[ws.name]!;
    expect(sheet.A7).toMatchObject({ t: 's', v: HOSTILE_LABEL });
    expect(sheet.A7!.f).toBeUndefined();
    const formulas = Object.values(XLSX.read(buf, { type: 'buffer', cellFormula: true }).Sheets).flatMap((s) =>
      Object.entries(s).filter(([k, c]) => !k.startsWith('!') && (c as XLSX.CellObject).f),
    );
    expect(formulas).toEqual([]);
  });

  it('lists every figure and every provenance row', () => {
    const figures = wb.getWorksheet('Figures')!;
    expect(figures.rowCount).toBe(doc.figures.length + 1);
    const sources = wb.getWorksheet('Sources')!;
    const cells: unknown[] = [];
    sources.eachRow((row) => cells.push(row.getCell(4).value));
    for (const f of doc.figures) for (const p of f.provenance) expect(cells).toContain(p.cell);
    const urls: unknown[] = [];
    sources.eachRow((row) => urls.push(row.getCell(4).value));
    for (const s of doc.sources) expect(urls).toContain(s.url);
  });

  it('makes sheet names valid and unique', () => {
    const taken = new Set(['summary']);
    expect(sheetName('Trade [US$]: a/b\\c*?', taken)).toBe('Trade US$ a b c');
    expect(sheetName('Summary', taken)).toBe('Summary (2)');
    const long = 'x'.repeat(40);
    expect(sheetName(long, taken)).toHaveLength(31);
    expect(sheetName(long, taken)).toBe(`${'x'.repeat(27)} (2)`);
    // Cut at the last space that fits, never mid-word, trailing punctuation dropped.
    expect(sheetName('T1 Heilongjiang: GDP, growth, trade openness', taken)).toBe('T1 Heilongjiang GDP, growth');
    expect(sheetName('表1 黑龙江省GDP、经济增速与外贸依存度以及其他很长很长很长的标题', taken)).toHaveLength(31);
  });

  it('names table sheets T<n> with the short name of the table, distinct from Sources', () => {
    const taken = new Set(['summary', 'figures', 'sources']);
    const en = catalogue('en');
    expect(tableSheetName(en, 1, { id: 'economy', title: 'Heilongjiang: GDP, growth and trade openness' }, taken)).toBe('T1 GDP, growth and openness');
    expect(tableSheetName(en, 12, { id: 'sources', title: 'Sources' }, taken)).toBe('T12 Source files');
    // An id without a short name: the title without its "Region: " prefix and "(…)" suffix.
    expect(tableSheetName(en, 3, { id: 'new', title: 'Jilin: trade with the Republic of Korea by product group (latest)' }, taken)).toBe('T3 trade with the Republic of');
    expect(tableSheetName(catalogue('ja'), 1, { id: 'economy', title: '黒竜江省：GDP、成長率、貿易依存度' }, taken)).toBe('表1 GDP・成長率・貿易依存度');
  });
});

describe('renderJson', () => {
  it('round-trips the figures and is stable', () => {
    const doc = fixtureDocument();
    const json = renderJson(doc);
    const parsed = JSON.parse(json) as BriefDocument;
    expect(parsed.figures).toEqual(doc.figures);
    expect(parsed.sections).toHaveLength(doc.sections.length);
    expect(json).toBe(renderJson(fixtureDocument()));
    expect(json.startsWith('{\n  "briefId": ')).toBe(true);
    expect(json.endsWith('}\n')).toBe(true);
  });
});

describe('writeAtomic', () => {
  it('replaces the file and leaves no temp file', async () => {
    const file = path.join(dir, 'atomic', 'brief.json');
    await nodeFs.mkdir(path.dirname(file), { recursive: true });
    await writeAtomic(file, 'old');
    await writeAtomic(file, Buffer.from('new'));
    expect(await readFile(file, 'utf8')).toBe('new');
    expect(await readdir(path.dirname(file))).toEqual(['brief.json']);
  });

  it('keeps the old file when the write fails', async () => {
    const file = path.join(dir, 'atomic-fail', 'brief.pdf');
    await nodeFs.mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, 'old');
    const failingRename: AtomicFs = { ...nodeFs, rename: () => Promise.reject(new Error('disk full')) };
    await expect(writeAtomic(file, 'new', { fs: failingRename })).rejects.toThrow('disk full');
    const failingWrite: AtomicFs = {
      ...nodeFs,
      open: (async (...args: Parameters<typeof nodeFs.open>) => {
        const handle = await nodeFs.open(...args);
        handle.writeFile = () => Promise.reject(new Error('EIO'));
        return handle;
      }) as typeof nodeFs.open,
    };
    await expect(writeAtomic(file, 'new', { fs: failingWrite })).rejects.toThrow('EIO');
    expect(await readFile(file, 'utf8')).toBe('old');
    expect(await readdir(path.dirname(file))).toEqual(['brief.pdf']);
  });
});
