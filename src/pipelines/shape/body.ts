// Applying a layout to the body: one row in, that row's records out (`readRow`), plus the
// boundary rules that say where a table ends (`readTable`): a footnote, or a blank row followed
// by something that is not data (the next table's title or header).
import { isIllustrativeFlag, parseNumber, parseUnit, stripSubRowPrefix, findUnitInText } from '../lexicon/index.js';
import type { CellValue, Grid, RecordDims, SourceRecord, TableInfo } from '../types.js';
import { cellRef, rangeAddress } from './a1.js';
import { isDataLike, isNoteRow, rowText } from './detect.js';
import { dateToPeriod, hasYear, singleYear, totalOf, withYear } from './headers.js';
import type { Layout, ShapeOptions } from './layout.js';
import { calendarDay, cellText, filledColumns, hasLeadingIndent, isBlank, isBlankRow } from './text.js';
import { hasPercentSign, isTruthyFlag } from './vocabulary.js';

/** What carries over from one body row to the next. */
export interface RowState {
  /** The last year a period label stated, for year-less labels below it (`2023年1-2月`, then `1-3月`). */
  year: number | null;
}

export interface RowResult {
  records: SourceRecord[];
  /** The row's own label (partner, region or measure), for TableInfo.labels. */
  label: string | null;
}

type RowDim = keyof RecordDims;

function isPercentUnit(u: string | null): boolean {
  return u !== null && (hasPercentSign(u) || parseUnit(u)?.kind === 'percent');
}

function periodText(v: CellValue, state: RowState): string {
  if (v instanceof Date) {
    const day = calendarDay(v);
    return dateToPeriod(v, day !== null && day.d === 1 ? 'month' : 'day');
  }
  if (typeof v === 'number') return String(v);
  const text = withYear(cellText(v), state.year);
  if (hasYear(text)) state.year = singleYear(text) ?? state.year;
  return text;
}

/** Joins what a row and a column say about the same dimension (`GDP` + `增长%` → `GDP 增长%`). */
function joinDim(dim: RowDim, row: string | undefined, col: string | undefined): string | undefined {
  if (row === undefined) return col;
  if (col === undefined) return row;
  if (dim === 'period') {
    const combined = withYear(col, singleYear(row));
    if (combined !== col) return combined;
  }
  return `${row} ${col}`;
}

/** One body row → its records. Pure apart from `state`, so rows can be fed one at a time. */
export function readRow(layout: Layout, row: readonly CellValue[], r: number, state: RowState, opts: ShapeOptions): RowResult {
  const parts: Partial<Record<RowDim, string[]>> = {};
  const push = (dim: RowDim, text: string) => {
    if (text === '') return;
    (parts[dim] ??= []).push(text);
  };
  let indent = 0;
  let labelSeen = false;
  let illustrative = false;
  let rowUnit: string | null = null;
  for (const col of layout.columns) {
    if (col.role === 'value') continue;
    let v: CellValue = row[col.col] ?? null;
    if (isBlank(v)) v = layout.labelMerges.get(`${r}:${col.col}`) ?? null;
    if (isBlank(v)) continue;
    switch (col.role) {
      case 'period':
        push('period', periodText(v, state));
        break;
      case 'unit':
        rowUnit = cellText(v);
        break;
      case 'flag':
        if (v === true || (typeof v === 'number' && v !== 0) || (typeof v === 'string' && (isTruthyFlag(v) || isIllustrativeFlag(v)))) illustrative = true;
        break;
      case 'note':
        if (typeof v === 'string' && isIllustrativeFlag(cellText(v))) illustrative = true;
        break;
      default: {
        const dim: RowDim = col.role === 'label' ? layout.labelDim : col.role;
        let text = cellText(v);
        if (!labelSeen && dim !== 'flow' && dim !== 'product') {
          // The first label of the row carries its nesting: leading spaces or `其中：`.
          labelSeen = true;
          if (hasLeadingIndent(v)) indent = 1;
          const stripped = stripSubRowPrefix(text);
          if (stripped.subRow) indent = 1;
          text = stripped.label.trim();
        }
        push(dim, text);
      }
    }
  }
  const rowDims: RecordDims = {};
  for (const [dim, texts] of Object.entries(parts) as [RowDim, string[]][]) rowDims[dim] = texts.join(' ');
  const label = rowDims[layout.labelDim] ?? rowDims.partner ?? rowDims.reporter ?? rowDims.measure ?? null;
  const rowTotal = label !== null && totalOf(label);
  const labelUnit = rowUnit === null && label !== null ? findUnitInText(label) : null;

  const records: SourceRecord[] = [];
  const valueCols = layout.columns.filter((col) => col.role === 'value');
  // A row with no value at all is a section heading (`亚洲`, `其中：`), not a row of missing values.
  if (valueCols.every((col) => isBlank(row[col.col] ?? null))) return { records, label };
  for (const col of valueCols) {
    const raw = row[col.col] ?? null;
    const parsed = isBlank(raw) ? { value: null, missing: '' } : parseNumber(raw);
    const dims: RecordDims = {};
    for (const dim of ['reporter', 'partner', 'flow', 'product', 'period', 'measure'] as RowDim[]) {
      const value = joinDim(dim, rowDims[dim], col.dims[dim]);
      if (value !== undefined) dims[dim] = value;
    }
    // An explicit percentage (header, row unit, label or cell) is never overridden by the configured unit.
    const percent = col.percent || parsed.percent === true || isPercentUnit(rowUnit) || isPercentUnit(labelUnit);
    const unit = percent ? '%' : (opts.unit ?? rowUnit ?? col.unit ?? labelUnit ?? layout.unit);
    const rec: SourceRecord = {
      cell: cellRef(layout.sheet, r, col.col),
      dims,
      raw,
      value: parsed.value,
      unit,
      total: rowTotal || col.total,
      indent,
      illustrative: illustrative || (parsed.mark !== undefined && isIllustrativeFlag(parsed.mark)),
    };
    if (parsed.missing !== undefined) rec.missing = parsed.missing;
    if (parsed.error !== undefined) rec.error = parsed.error;
    if (parsed.mark !== undefined) rec.mark = parsed.mark;
    records.push(rec);
  }
  return { records, label };
}

/**
 * After a blank row, does row `r` start another table? A row of several cells that is not data is
 * a header; a single text cell is a title unless data follows it directly (then it is a section
 * label such as `亚洲 Asia` inside the same table).
 */
function startsNewTable(grid: Grid, r: number): boolean {
  const row = grid.rows[r];
  if (isDataLike(row)) return false;
  if (filledColumns(row).length >= 2) return true;
  for (let k = r + 1; k < Math.min(grid.rows.length, r + 4); k++) {
    const next = grid.rows[k];
    if (isBlankRow(next)) continue;
    return !isDataLike(next);
  }
  return true;
}

export interface TableRead {
  records: SourceRecord[];
  info: TableInfo;
  /** The row after the table (its notes included): where the search for the next table resumes. */
  end: number;
}

/** Reads a table's body from `layout.bodyStart` until a footnote block ends or another table starts. */
export function readTable(layout: Layout, grid: Grid, opts: ShapeOptions): TableRead {
  const state: RowState = { year: layout.titleYear };
  const records: SourceRecord[] = [];
  const notes = [...layout.notes];
  const labels = new Set<string>();
  let blankBefore = false;
  let inNotes = false;
  let lastRow = -1;
  let end = grid.rows.length;
  for (let r = layout.bodyStart; r < grid.rows.length; r++) {
    const row = grid.rows[r] ?? [];
    if (isBlankRow(row)) {
      if (inNotes) {
        end = r;
        break;
      }
      blankBefore = true;
      continue;
    }
    if (isNoteRow(row)) {
      inNotes = true;
      notes.push(rowText(row));
      continue;
    }
    if (inNotes) {
      // A footnote's continuation line, unless numbers appear again (then a new table begins).
      if (isDataLike(row)) {
        end = r;
        break;
      }
      notes.push(rowText(row));
      continue;
    }
    if (blankBefore && startsNewTable(grid, r)) {
      end = r;
      break;
    }
    blankBefore = false;
    const out = readRow(layout, row, r, state, opts);
    if (out.records.length > 0) {
      lastRow = r;
      if (out.label !== null) labels.add(out.label);
      for (const rec of out.records) records.push(rec);
    }
  }
  const cols = layout.columns.map((col) => col.col);
  const periods = [...new Set(records.flatMap((rec) => (rec.dims.period === undefined ? [] : [rec.dims.period])))];
  const info: TableInfo = {
    sheet: layout.sheet,
    range: rangeAddress(layout.bodyStart, Math.min(...cols), Math.max(lastRow, layout.bodyStart), Math.max(...cols)),
    title: layout.title,
    headerRows: layout.headerRows,
    orientation: layout.orientation,
    unit: layout.unit,
    unitSource: layout.unitSource,
    periods,
    labels: [...labels],
    notes,
  };
  return { records, info, end };
}

