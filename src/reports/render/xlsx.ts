// BriefDocument → Excel workbook (exceljs): a Summary sheet, one sheet per table block, a Figures
// sheet and a Sources sheet that traces every figure down to the source cell. Sheet names, headers
// and labels come from the document language's catalogue (概要, 出所, …); the numbers and figure ids
// are the same in every language, so one script can read any of the workbooks by column.
//
// Numbers stay numbers: values are written as published in the model and shown through number
// formats. Percent values are in percent units in the model (12.3 means 12.3%), so they are written
// as 12.3 with the format `0.0"%"` rather than divided by 100 — a formula over the cell gets the
// number the brief quotes. Null is an empty cell, never 0.
//
// Text is never a formula: exceljs writes a string value as a shared string (a formula needs a
// `{ formula }` object), so a source label like `=HYPERLINK(...)` lands as inert text.

import { createRequire } from 'node:module';
import type ExcelJS from 'exceljs';
import {
  ILLUSTRATIVE_MARK,
  type BriefDocument,
  type Figure,
  type KeyFigure,
  type TableCell,
  type TableColumn,
} from '../document.js';
import { cleanText, displayWidth, LABEL_MAX } from '../fonts.js';
import { catalogue, type Messages } from '../i18n/index.js';
import { deflateStoredZip } from '../../zip.js';

// exceljs's entry point also loads its streaming reader and writer and what they need (unzipper,
// archiver, tar-stream, …): about 90 ms of a report's start-up for code a workbook built in memory
// never runs (issue 6). The entry re-exports this very class.
const Workbook = createRequire(import.meta.url)('exceljs/lib/doc/workbook.js') as typeof ExcelJS.Workbook;

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF3' } };
const NOTE_FONT: Partial<ExcelJS.Font> = { italic: true, color: { argb: 'FF6B6B6B' }, size: 9 };
const MIN_WIDTH = 8;
const MAX_WIDTH = 60;

/** Sheet names this renderer always uses in a language; table sheets must not take them. */
export function fixedSheets(t: Messages): string[] {
  return [t.workbook.sheets.summary, t.workbook.sheets.figures, t.workbook.sheets.sources];
}

/** The English fixed sheet names. */
export const FIXED_SHEETS = fixedSheets(catalogue('en'));

/** Excel number format for a table column: thousands separators and the column's decimals. */
export function columnFormat(col: Pick<TableColumn, 'kind' | 'decimals'>): string | undefined {
  if (col.kind === 'text') return undefined;
  const decimals = col.decimals ?? (col.kind === 'integer' ? 0 : col.kind === 'index' ? 2 : 1);
  const base = decimals > 0 ? `#,##0.${'0'.repeat(decimals)}` : '#,##0';
  return col.kind === 'percent' ? `${base}"%"` : base;
}

/** Number format for a figure by its unit. */
export function unitFormat(unit: string): string {
  if (unit === '%') return '#,##0.0"%"';
  if (unit === 'index') return '0.00';
  if (/^(projects|count|firms|persons)$/i.test(unit)) return '#,##0';
  return '#,##0.0';
}

const SHEET_MAX = 31;

/**
 * `text` cut to `max` characters at a word boundary when there is one in the second half (a
 * space, or CJK where every character is a word), trailing punctuation dropped; a single long word
 * is cut where it must.
 */
function cutAtWord(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  const head = chars.slice(0, max);
  const next = chars[max]!;
  let cut = max;
  // Latin text: back up to the last space unless the cut already falls on one.
  if (/[\x21-\x7e]/.test(head[max - 1]!) && /[\x21-\x7e]/.test(next)) {
    const space = head.lastIndexOf(' ');
    if (space >= max / 2) cut = space;
  }
  return head.slice(0, cut).join('').replace(/[\s,;:.\-–—、，；：（(]+$/u, '');
}

/**
 * A valid, unique sheet name: Excel forbids `[]:*?/\`, a leading or trailing apostrophe, more than
 * 31 characters (cut at a word boundary), and names equal ignoring case (plus the reserved `History`).
 */
export function sheetName(title: string, taken: Set<string>): string {
  let base = cleanText(title)
    .replace(/[\n[\]:*?/\\]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^'+|'+$/g, '');
  if (!base || base.toLowerCase() === 'history') base = 'Table';
  base = cutAtWord(base, SHEET_MAX).replace(/'+$/, '');
  let name = base;
  for (let i = 2; taken.has(name.toLowerCase()); i++) {
    const suffix = ` (${i})`;
    name = cutAtWord(base, SHEET_MAX - suffix.length) + suffix;
  }
  taken.add(name.toLowerCase());
  return name;
}

/**
 * The sheet of the n-th table: `T1 GDP, growth and openness` — the catalogue's short name for the
 * table id, else the title without its leading "Region: " and trailing "(…)".
 */
export function tableSheetName(t: Messages, n: number, block: { id: string; title: string }, taken: Set<string>): string {
  const short =
    t.workbook.tableSheets[block.id] ??
    block.title
      .replace(/^[^:：]{1,40}[:：]\s*/, '')
      .replace(/\s*[(（][^()（）]*[)）]\s*$/, '')
      .trim();
  return sheetName(t.workbook.tableSheet(n, short || block.title), taken);
}

/** Text for a cell from a source label: no control characters, capped. */
function text(value: string, max = LABEL_MAX): string {
  return cleanText(value, max);
}

/** Sets a cell from a model value: number as number, null as nothing, text as (inert) text. */
function setCell(cell: ExcelJS.Cell, value: TableCell | boolean | undefined, numFmt?: string): void {
  if (value === null || value === undefined || (typeof value === 'number' && !Number.isFinite(value))) return;
  if (typeof value === 'number') {
    cell.value = value;
    if (numFmt) cell.numFmt = numFmt;
  } else if (typeof value === 'boolean') {
    cell.value = value;
  } else {
    cell.value = text(value);
  }
}

// Widths in Excel's character units, East Asian wide characters counting double.
function fitColumns(sheet: ExcelJS.Worksheet, fromRow: number, toRow?: number): void {
  const last = toRow ?? sheet.rowCount;
  const widths: number[] = [];
  for (let r = fromRow; r <= last; r++) {
    sheet.getRow(r).eachCell((cell, col) => {
      const v = cell.value;
      const shown = typeof v === 'number' ? formatForWidth(v, cell.numFmt) : v === null || v === undefined ? '' : String(v);
      const w = Math.max(...shown.split('\n').map(displayWidth)) + 2;
      widths[col - 1] = Math.max(widths[col - 1] ?? MIN_WIDTH, w);
    });
  }
  widths.forEach((w, i) => {
    sheet.getColumn(i + 1).width = Math.min(Math.max(w ?? MIN_WIDTH, MIN_WIDTH), MAX_WIDTH);
  });
}

// One formatter per decimal count: `toLocaleString` builds a new Intl.NumberFormat on every call,
// which was most of the workbook's time (issue 6).
const widthFormats = new Map<number, Intl.NumberFormat>();

function formatForWidth(v: number, numFmt: string | undefined): string {
  const decimals = /0\.(0+)/.exec(numFmt ?? '')?.[1]?.length ?? 0;
  let nf = widthFormats.get(decimals);
  if (!nf) {
    nf = new Intl.NumberFormat('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
    widthFormats.set(decimals, nf);
  }
  return nf.format(v) + (numFmt?.includes('%') ? '%' : '');
}

function styleHeader(row: ExcelJS.Row): void {
  row.font = { bold: true };
  row.eachCell((cell) => {
    cell.fill = HEADER_FILL;
    cell.alignment = { vertical: 'top', wrapText: true };
    cell.border = { bottom: { style: 'thin', color: { argb: 'FF8A9AA8' } } };
  });
}

export async function renderXlsx(doc: BriefDocument): Promise<Buffer> {
  const wb = new Workbook();
  const generated = new Date(doc.generatedAt);
  wb.creator = 'tradebrief';
  wb.lastModifiedBy = 'tradebrief';
  wb.created = generated;
  wb.modified = generated;
  wb.title = text(doc.title);
  wb.subject = text(doc.subject);

  const t = catalogue(doc.lang);
  const figures = new Map(doc.figures.map((f) => [f.id, f]));
  const taken = new Set<string>(fixedSheets(t).map((s) => s.toLowerCase()));

  summarySheet(wb, doc, t, figures);
  let n = 0;
  for (const section of doc.sections) {
    for (const block of section.blocks) {
      if (block.type === 'table') tableSheet(wb, doc, t, block, tableSheetName(t, ++n, block, taken));
    }
  }
  figuresSheet(wb, doc, t);
  sourcesSheet(wb, doc, t);

  // Stored by JSZip, deflated by zlib: the same workbook in a fraction of the time (src/zip.ts).
  const stored = await wb.xlsx.writeBuffer({ zip: { compression: 'STORE' } });
  return deflateStoredZip(Buffer.from(stored as ArrayBuffer));
}

function summarySheet(wb: ExcelJS.Workbook, doc: BriefDocument, t: Messages, figures: Map<string, Figure>): void {
  const ws = wb.addWorksheet(t.workbook.sheets.summary);
  const m = t.workbook.meta;
  ws.getCell('A1').value = text(doc.title);
  ws.getCell('A1').font = { bold: true, size: 14 };
  ws.getCell('A2').value = text(doc.subtitle);
  ws.getCell('A2').font = { color: { argb: 'FF6B6B6B' } };
  const generated = new Date(doc.generatedAt);
  const meta: [string, string | Date][] = [
    [m.subject, doc.subject],
    [m.vintage, doc.dataVintage],
    // A real date cell (Excel keeps no zone: the value is UTC, and the format says so).
    [m.generated, Number.isNaN(generated.getTime()) ? doc.generatedAt : generated],
    [m.brief, doc.briefId],
    [m.language, doc.lang],
  ];
  meta.forEach(([k, v], i) => {
    const row = ws.getRow(4 + i);
    row.getCell(1).value = k;
    row.getCell(1).font = { bold: true };
    if (v instanceof Date) {
      row.getCell(2).value = v;
      row.getCell(2).numFmt = t.workbook.generatedFormat;
      row.getCell(2).alignment = { horizontal: 'left' };
    } else {
      row.getCell(2).value = text(v);
    }
  });

  const headerRow = 4 + meta.length + 1;
  const header = ws.getRow(headerRow);
  header.values = [...t.workbook.summaryHeader];
  styleHeader(header);

  // Every key figure shown in the PDF, once, in the order the brief shows them.
  const seen = new Set<string>();
  const items: KeyFigure[] = [];
  for (const s of doc.sections) for (const b of s.blocks) if (b.type === 'keyFigures') items.push(...b.items);
  let r = headerRow + 1;
  let marked = false;
  for (const item of items) {
    if (seen.has(item.figureId)) continue;
    seen.add(item.figureId);
    const f = figures.get(item.figureId);
    const row = ws.getRow(r++);
    row.getCell(1).value = text(item.label);
    if (f) {
      setCell(row.getCell(2), f.value, unitFormat(f.unit));
      row.getCell(3).value = text(f.unit);
      if (f.period) row.getCell(4).value = text(f.period);
      if (f.illustrative) {
        row.getCell(5).value = ILLUSTRATIVE_MARK;
        marked = true;
      }
    }
    row.getCell(6).value = text(item.text);
    row.getCell(7).value = text(item.figureId);
  }
  if (marked && doc.illustrativeNote) {
    const note = ws.getRow(r + 1).getCell(1);
    note.value = text(doc.illustrativeNote, 1000);
    note.font = NOTE_FONT;
  }
  fitColumns(ws, headerRow, r - 1);
  ws.getColumn(1).width = Math.max(ws.getColumn(1).width ?? MIN_WIDTH, 16);
}

function tableSheet(
  wb: ExcelJS.Workbook,
  doc: BriefDocument,
  t: Messages,
  block: Extract<BriefDocument['sections'][number]['blocks'][number], { type: 'table' }>,
  name: string,
): void {
  const ws = wb.addWorksheet(name);
  ws.getCell('A1').value = text(block.title);
  ws.getCell('A1').font = { bold: true, size: 12 };

  const HEADER = 3;
  const anyIllustrative = block.rows.some((r) => r.illustrative);
  const labels = block.columns.map((c) => text(c.label));
  if (anyIllustrative) labels.push(t.workbook.illustrative);
  const header = ws.getRow(HEADER);
  header.values = labels;
  styleHeader(header);
  block.columns.forEach((col, i) => {
    if (col.kind !== 'text') header.getCell(i + 1).alignment = { horizontal: 'right', vertical: 'top', wrapText: true };
  });

  const formats = block.columns.map(columnFormat);
  block.rows.forEach((tr, i) => {
    const row = ws.getRow(HEADER + 1 + i);
    block.columns.forEach((col, j) => setCell(row.getCell(j + 1), tr.cells[col.key] ?? null, formats[j]));
    if (anyIllustrative && tr.illustrative) row.getCell(block.columns.length + 1).value = ILLUSTRATIVE_MARK;
    if (tr.total) row.font = { bold: true };
  });
  const lastRow = HEADER + block.rows.length;
  ws.views = [{ state: 'frozen', ySplit: HEADER }];
  ws.autoFilter = { from: { row: HEADER, column: 1 }, to: { row: Math.max(lastRow, HEADER), column: labels.length } };
  fitColumns(ws, HEADER, lastRow);

  const notes = [...(block.notes ?? [])];
  if (anyIllustrative && doc.illustrativeNote) notes.push(doc.illustrativeNote);
  notes.forEach((note, i) => {
    const cell = ws.getCell(lastRow + 2 + i, 1);
    cell.value = text(note, 1000);
    cell.font = NOTE_FONT;
  });
}

function figuresSheet(wb: ExcelJS.Workbook, doc: BriefDocument, t: Messages): void {
  const ws = wb.addWorksheet(t.workbook.sheets.figures);
  const header = ws.getRow(1);
  header.values = [...t.workbook.figuresHeader];
  styleHeader(header);
  doc.figures.forEach((f, i) => {
    const row = ws.getRow(2 + i);
    row.getCell(1).value = text(f.id);
    row.getCell(2).value = text(f.label);
    setCell(row.getCell(3), f.value, unitFormat(f.unit));
    row.getCell(4).value = text(f.unit);
    if (f.period) row.getCell(5).value = text(f.period);
    row.getCell(6).value = f.illustrative;
    if (f.formula) row.getCell(7).value = text(f.formula, 1000);
    row.getCell(8).value = f.provenance.length;
  });
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: Math.max(1 + doc.figures.length, 1), column: 8 } };
  fitColumns(ws, 1);
}

function sourcesSheet(wb: ExcelJS.Workbook, doc: BriefDocument, t: Messages): void {
  const ws = wb.addWorksheet(t.workbook.sheets.sources);
  const header = ws.getRow(1);
  header.values = [...t.workbook.provenanceHeader];
  styleHeader(header);
  let r = 2;
  for (const f of doc.figures) {
    for (const p of f.provenance) {
      const row = ws.getRow(r++);
      row.getCell(1).value = text(f.id);
      row.getCell(2).value = text(p.table);
      row.getCell(3).value = text(p.source_id);
      row.getCell(4).value = text(p.cell, 1000);
      setCell(row.getCell(5), p.run_id);
      row.getCell(6).value = text(p.key, 1000);
    }
  }
  const provLast = r - 1;
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: Math.max(provLast, 1), column: 6 } };

  // The source files below the provenance rows, after a gap and their own header.
  r += 1;
  ws.getCell(r, 1).value = t.workbook.sourceFiles;
  ws.getCell(r, 1).font = { bold: true, size: 12 };
  r += 1;
  const filesHeader = ws.getRow(r++);
  filesHeader.values = [...t.workbook.filesHeader];
  styleHeader(filesHeader);
  for (const s of doc.sources) {
    const row = ws.getRow(r++);
    row.getCell(1).value = text(s.source_id);
    row.getCell(2).value = text(s.title);
    if (s.publisher) row.getCell(3).value = text(s.publisher);
    row.getCell(4).value = text(s.url, 1000);
    if (s.sha256) row.getCell(5).value = text(s.sha256);
    if (s.fetched_at) row.getCell(6).value = text(s.fetched_at);
    setCell(row.getCell(7), s.run_id);
    if (s.citations.length) row.getCell(8).value = text(s.citations.join('\n'), 2000);
  }
  fitColumns(ws, 1);
  // sha256 and keys are long and need no full width on screen.
  ws.getColumn(4).width = Math.min(ws.getColumn(4).width ?? MIN_WIDTH, 48);
}
