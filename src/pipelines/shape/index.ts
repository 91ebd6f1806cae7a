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
import type { Grid, ShapeResult, SourceRecord, TableInfo } from '../types.js';
import { readTable } from './body.js';
import { detectLayout, isNoteRow, rowText } from './detect.js';
import type { ShapeOptions } from './layout.js';
import { isBlankRow } from './text.js';

export type { ColumnLayout, Layout, ShapeOptions, UnitSource } from './layout.js';
export { detectLayout } from './detect.js';
export { readRow, readTable } from './body.js';
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

function shapeSheet(grid: Grid, opts: ShapeOptions, records: SourceRecord[], tables: TableInfo[], warnings: string[]): void {
  let from = 0;
  let prev: TableInfo | null = null;
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
