// The shape stage: Grids as the publisher laid them out → one SourceRecord per data cell, in the
// source's own words. Statistical tables are not tidy: titles, unit rows, one to three merged header
// rows, bilingual labels, indented sub-rows, totals, footnotes and several tables per sheet.
//
// Decisions:
// - A blank cell in the body is a record with `value: null, missing: ''` (the normaliser counts
//   it), except when the whole row has no value at all: that is a section heading (`亚洲`, `其中：`).
// - Row labels keep their own words; header texts drop a bracketed unit (`出口（万美元）` → flow
//   `出口`, unit `万美元`) and bare value words (`金额`, `Value`).
// - Units, most specific first: an explicit percentage (`%` in the header, a row unit, the label or
//   the cell) always wins; then the configured unit, then a unit column, the column header, the row
//   label, and the table's unit (title, unit row, header cell).
// - `fixed.period` in the config means the table has no period dimension: nothing is read as one.
import type { CellValue, Grid, Range, ShapeResult, SourceRecord, TableInfo } from '../types.js';
import { LOOKAHEAD, TableReader, readTable } from './body.js';
import { detectLayout, isDataLike, isNoteRow, rowText } from './detect.js';
import type { ShapeOptions } from './layout.js';
import { citingLine, isBlankRow } from './text.js';

export type { ColumnLayout, Layout, ShapeOptions, UnitSource } from './layout.js';
export { detectLayout } from './detect.js';
export { readRow, readTable, TableReader } from './body.js';
export { cellRef, quoteSheetName } from './a1.js';

/** Shapes every sheet (or `opts.sheets`) into records and table descriptions. Pure. */
export function shape(grids: Grid[], opts: ShapeOptions): ShapeResult {
  const records: SourceRecord[] = [];
  const tables: TableInfo[] = [];
  const warnings: string[] = [];
  const wanted = opts.sheets;
  if (wanted) {
    for (const name of wanted) if (!grids.some((g) => g.sheet === name)) warnings.push(`sheet "${name}" not found`);
  }
  for (const grid of grids) {
    if (wanted && !wanted.includes(grid.sheet)) continue;
    const before = tables.length;
    shapeSheet(grid, opts, records, tables, warnings);
    if (tables.length === before) {
      const textRows = grid.rows.filter((row) => !isBlankRow(row)).length;
      warnings.push(`sheet "${grid.sheet}": no table found${textRows > 0 ? ` (${textRows} rows of text only)` : ' (empty)'}, skipped`);
    }
  }
  return { records, tables, warnings };
}

function shapeSheet(grid: Grid, opts: ShapeOptions, records: SourceRecord[], tables: TableInfo[], warnings: string[], from = 0, prev: TableInfo | null = null): void {
  while (from < grid.rows.length) {
    const found = detectLayout(grid, from, opts);
    if (found === null) {
      // Only text remains: footnotes separated from the last table by a blank row are its notes.
      if (prev) attachNotes(grid, from, grid.rows.length, prev);
      return;
    }
    const { layout, preamble } = found;
    const read = readTable(layout, grid, opts);
    const info = read.info;
    for (const r of preamble) {
      if (!isNoteRow(grid.rows[r])) continue;
      (prev ?? info).notes.push(rowText(grid.rows[r]));
    }
    const where = `${grid.sheet}!${info.range}`;
    for (const w of layout.warnings) warnings.push(w);
    if (layout.periods && info.periods.length === 0) warnings.push(`${where}: no period found; set fixed.period in the source config`);
    if (read.records.some((rec) => rec.unit === null)) warnings.push(`${where}: no unit found for some values; set unit in the source config`);
    for (const rec of read.records) records.push(rec);
    tables.push(info);
    prev = info;
    from = Math.max(read.end, layout.bodyStart + 1);
  }
}

/** Text rows after a table's last note block; footnote-looking rows (and their continuations) join its notes. */
function attachNotes(grid: Grid, from: number, to: number, info: TableInfo): void {
  let inNote = false;
  for (let r = from; r < to; r++) {
    const row = grid.rows[r];
    if (isBlankRow(row)) {
      inNote = false;
      continue;
    }
    if (isNoteRow(row)) inNote = true;
    if (inNote) info.notes.push(rowText(row));
  }
}

// ---------------------------------------------------------------------------------------------
// Streaming (issue 6): a CSV sheet a row at a time, for files too large to hold as one grid.

/**
 * Thrown by {@link SheetStream} when the sheet needs what only the whole grid allows (no table in
 * the head rows, too little body there for detection's sample, a long tail of further tables, a
 * row wider than the head with `layout.label_columns` set). The caller reads the file whole instead.
 */
export class NeedsWholeGrid extends Error {
  override name = 'NeedsWholeGrid';
}

export interface SheetStreamLimits {
  /**
   * Rows held for detectLayout before the body streams; default 2000. Detection reads the head, the
   * first 200 data rows and the 200 rows below the body's start (detect.ts, SAMPLE_ROWS): these must
   * all lie in the head for the layout to be the one the whole grid gives.
   */
  headRows?: number;
  /** Rows after the first table (its notes, further tables) held to the end; default 20000. More: NeedsWholeGrid. */
  tailRows?: number;
}

/** detect.ts's SAMPLE_ROWS: how many body rows detection samples. */
const DETECTION_SAMPLE = 200;

/**
 * `shape` over one sheet fed a row at a time, keeping only a few rows: the head until the layout is
 * detected, the end-of-table rule's look-ahead, and whatever follows the first table (notes, small
 * further tables), which is shaped at the end exactly as `shape` would. Records go to `emit` in
 * the order `shape` lists them. Rows are as parse makes them (empty cells null) but need not be
 * padded to the sheet's width.
 */
export class SheetStream {
  private head: CellValue[][] | null = [];
  private reader: TableReader | null = null;
  /** Text rows above the first table (Detection.preamble). */
  private preamble: CellValue[][] = [];
  /** Rows from `windowStart` not yet read by `reader`. */
  private window: CellValue[][] = [];
  private windowStart = 0;
  /** Rows from `tailStart` on, once the first table has ended. */
  private tail: CellValue[][] | null = null;
  private tailStart = 0;
  private headWidth = 0;
  private width = 0;
  private rows = 0;
  private readonly headRows: number;
  private readonly tailRows: number;

  /**
   * `merges`: the sheet's merged ranges (an xlsx sheet's), all of them within the head rows: the
   * caller reads the file whole when one reaches further.
   */
  constructor(
    private readonly sheet: string,
    private readonly opts: ShapeOptions,
    private readonly emit: (rec: SourceRecord) => void,
    limits: SheetStreamLimits = {},
    private readonly merges: Range[] = [],
  ) {
    this.headRows = limits.headRows ?? 2000;
    this.tailRows = limits.tailRows ?? 20_000;
    // As parse's grid: a merge's first cell belongs to the sheet even where no value is.
    for (const m of merges) this.width = Math.max(this.width, m.s.c + 1);
  }

  /** The next row of the sheet. */
  push(row: CellValue[]): void {
    this.rows++;
    if (row.length > this.width) this.width = row.length;
    if (this.head !== null) {
      this.head.push(row);
      if (this.head.length >= this.headRows) this.startBody();
      return;
    }
    if (row.length > this.headWidth && this.opts.layout?.label_columns !== undefined) {
      // With label_columns every column right of the labels is a value column, so a wider row
      // widens the table the whole grid would detect.
      throw new NeedsWholeGrid(`row ${this.rows} is wider than the rows detection read, and layout.label_columns is set`);
    }
    if (this.tail !== null) {
      this.tail.push(row);
      if (this.tail.length > this.tailRows) throw new NeedsWholeGrid(`more than ${this.tailRows} rows follow the first table`);
      return;
    }
    this.window.push(row);
    this.drain(false);
  }

  /** After the last row: the tables and warnings, as `shape` reports them for this sheet. */
  end(): { tables: TableInfo[]; warnings: string[] } {
    if (this.head !== null) {
      // The whole sheet fit in the head: shape it as a grid (as tall as its merges reach, as parse's grid).
      for (const m of this.merges) while (this.head.length <= m.s.r) this.head.push([]);
      const res = shape([{ sheet: this.sheet, rows: pad(this.head, this.width), merges: this.merges }], this.opts);
      for (const rec of res.records) this.emit(rec);
      return { tables: res.tables, warnings: res.warnings };
    }
    this.drain(true);
    const reader = this.reader!;
    const info = reader.info();
    const layout = reader.layout;
    // As shapeSheet does for the first table of a sheet (no previous table to give them to).
    for (const row of this.preamble) if (isNoteRow(row)) info.notes.push(rowText(row));
    const where = `${this.sheet}!${info.range}`;
    const warnings = [...layout.warnings];
    if (layout.periods && info.periods.length === 0) warnings.push(`${where}: no period found; set fixed.period in the source config`);
    if (reader.unitless) warnings.push(`${where}: no unit found for some values; set unit in the source config`);
    const tables = [info];
    if (this.tail !== null) {
      // The rest of the sheet, at its own row numbers (cell references), the rows above it left out.
      const rows: CellValue[][] = [];
      rows.length = this.tailStart;
      for (const row of pad(this.tail, this.width)) rows.push(row);
      const records: SourceRecord[] = [];
      shapeSheet({ sheet: this.sheet, rows, merges: this.merges }, this.opts, records, tables, warnings, this.tailStart, info);
      for (const rec of records) this.emit(rec);
    }
    return { tables, warnings };
  }

  private startBody(): void {
    const head = pad(this.head!, this.width);
    this.headWidth = this.width;
    const found = detectLayout({ sheet: this.sheet, rows: head, merges: this.merges }, 0, this.opts);
    if (found === null) throw new NeedsWholeGrid(`no table in the first ${head.length} rows`);
    const { layout, preamble } = found;
    let dataRow = 0;
    while (dataRow < head.length && !isDataLike(head[dataRow])) dataRow++;
    let dataRows = 0;
    for (let r = layout.bodyStart; r < head.length && dataRows < DETECTION_SAMPLE; r++) if (isDataLike(head[r])) dataRows++;
    if (dataRow + DETECTION_SAMPLE >= head.length || layout.bodyStart + DETECTION_SAMPLE >= head.length || dataRows < DETECTION_SAMPLE) {
      throw new NeedsWholeGrid(`the first table's head and detection sample do not fit in the first ${head.length} rows`);
    }
    this.preamble = preamble.map((r) => head[r]!);
    this.reader = new TableReader(layout, this.opts, this.emit);
    this.head = null;
    this.window = head.slice(layout.bodyStart);
    this.windowStart = layout.bodyStart;
    this.drain(false);
  }

  /** Reads the window's rows that have their look-ahead (all of them at the end of the sheet). */
  private drain(atEnd: boolean): void {
    const reader = this.reader!;
    const window = this.window;
    const base = this.windowStart;
    const length = atEnd ? this.rows : Number.MAX_SAFE_INTEGER;
    const at = (k: number): CellValue[] | undefined => window[k - base];
    let i = 0;
    while (window.length - i > (atEnd ? 0 : LOOKAHEAD)) {
      const r = base + i;
      if (!reader.step(window[i]!, r, at, length)) {
        this.tail = window.slice(i);
        this.tailStart = r;
        this.window = [];
        return;
      }
      i++;
    }
    if (i > 0) {
      window.splice(0, i);
      this.windowStart = base + i;
    }
  }
}

/** Rows padded with nulls to `width`, as parse pads a CSV grid (in place: the rows are the stream's own). */
function pad(rows: CellValue[][], width: number): CellValue[][] {
  for (const row of rows) while (row.length < width) row.push(null);
  return rows;
}

/**
 * The note lines worth keeping with a file: the notes under its tables, and the lines of sheets
 * without a table (a Sources/资料来源 sheet) that cite a URL.
 */
export function noteLines(sheets: readonly Grid[], shaped: ShapeResult): string[] {
  const lines = shaped.tables.flatMap((t) => t.notes);
  const shapedSheets = new Set(shaped.tables.map((t) => t.sheet));
  for (const g of sheets) {
    if (shapedSheets.has(g.sheet)) continue;
    for (const row of g.rows) {
      const line = citingLine(row);
      if (line !== null) lines.push(line);
    }
  }
  return [...new Set(lines)];
}
