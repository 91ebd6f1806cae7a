// Applying a layout to the body: one row in, that row's records out (`readRow`), plus the
// boundary rules that say where a table ends (`readTable`): a footnote, or a blank row followed
// by something that is not data (the next table's title or header).
import { isIllustrativeFlag, isNoteText, parseNumber, parseUnit, stripSubRowPrefix, findUnitInText, type ParsedNumber } from '../lexicon/index.js';
import { memoise } from '../lexicon/memo.js';
import type { CellValue, Grid, RecordDims, SourceRecord, TableInfo } from '../types.js';
import { columnLetters, quoteSheetName, rangeAddress } from './a1.js';
import { isDataLike, rowText } from './detect.js';
import { dateToPeriod, hasYear, singleYear, totalOf, withYear } from './headers.js';
import type { ColumnLayout, Layout, ShapeOptions } from './layout.js';
import { calendarDay, cellText, collapse, filledColumns, hasLeadingIndent, isBlank, isBlankRow } from './text.js';
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

/** The order of a record's dims. */
const DIMS: readonly RowDim[] = ['reporter', 'partner', 'flow', 'product', 'period', 'measure'];

/** A blank value cell: counted by the normaliser as missing. Shared: it is only read. */
const BLANK_CELL: ParsedNumber = { value: null, missing: '' };

/**
 * What `readRow` derives from a layout once instead of on every row (issue 6: the body reader runs
 * once per row of a million-row CSV). Derived anew when the layout's `columns` or `sheet` is
 * replaced; a detected layout is not edited in place.
 */
interface Plan {
  columns: readonly ColumnLayout[];
  sheet: string;
  /** Columns that say something about the row (labels, period, unit, flag, note), in sheet order. */
  labels: ColumnLayout[];
  /** Columns holding values, in sheet order. */
  values: ColumnLayout[];
  /** `Sheet!`, quoted as Excel does, and each value column's letters: a record's cell reference. */
  refPrefix: string;
  letters: string[];
  /** Whether each value column's header gives any dimension (most give none: their records take the row's dims). */
  colHasDims: boolean[];
}

const plans = new WeakMap<Layout, Plan>();

function planOf(layout: Layout): Plan {
  const known = plans.get(layout);
  if (known !== undefined && known.columns === layout.columns && known.sheet === layout.sheet) return known;
  const values = layout.columns.filter((col) => col.role === 'value');
  const plan: Plan = {
    columns: layout.columns,
    sheet: layout.sheet,
    labels: layout.columns.filter((col) => col.role !== 'value'),
    values,
    refPrefix: `${quoteSheetName(layout.sheet)}!`,
    letters: values.map((col) => columnLetters(col.col)),
    colHasDims: values.map((col) => DIMS.some((dim) => col.dims[dim] !== undefined)),
  };
  plans.set(layout, plan);
  return plan;
}

const isPercentText = memoise((u: string): boolean => hasPercentSign(u) || parseUnit(u)?.kind === 'percent');

function isPercentUnit(u: string | null): boolean {
  return u !== null && isPercentText(u);
}

/** The first label of a row, without its nesting: leading spaces or `其中：` make it a sub-row. */
interface FirstLabel {
  text: string;
  subRow: boolean;
}

function readFirstLabel(v: CellValue): FirstLabel {
  const stripped = stripSubRowPrefix(cellText(v));
  return { text: stripped.label.trim(), subRow: hasLeadingIndent(v) || stripped.subRow };
}

// Remembered for strings: a long table repeats its partners and regions on every row.
const firstLabelOf = memoise((v: string): FirstLabel => readFirstLabel(v));

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

/** Adds a cell's text to what the row says about `dim`; several cells join with a space. */
function addDim(dims: RecordDims, dim: RowDim, text: string): void {
  if (text === '') return;
  const before = dims[dim];
  dims[dim] = before === undefined ? text : `${before} ${text}`;
}

/** One body row → its records. Pure apart from `state`, so rows can be fed one at a time. */
export function readRow(layout: Layout, row: readonly CellValue[], r: number, state: RowState, opts: ShapeOptions): RowResult {
  const plan = planOf(layout);
  const merges = layout.labelMerges.size > 0;
  const rowDims: RecordDims = {};
  let indent = 0;
  let labelSeen = false;
  let illustrative = false;
  let rowUnit: string | null = null;
  for (const col of plan.labels) {
    let v: CellValue = row[col.col] ?? null;
    if (merges && isBlank(v)) v = layout.labelMerges.get(`${r}:${col.col}`) ?? null;
    if (isBlank(v)) continue;
    switch (col.role) {
      case 'period':
        addDim(rowDims, 'period', periodText(v, state));
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
        const dim: RowDim = col.role === 'label' ? layout.labelDim : (col.role as RowDim);
        if (!labelSeen && dim !== 'flow' && dim !== 'product') {
          // The first label of the row carries its nesting: leading spaces or `其中：`.
          labelSeen = true;
          const first = typeof v === 'string' ? firstLabelOf(v) : readFirstLabel(v);
          if (first.subRow) indent = 1;
          addDim(rowDims, dim, first.text);
        } else addDim(rowDims, dim, cellText(v));
      }
    }
  }
  const label = rowDims[layout.labelDim] ?? rowDims.partner ?? rowDims.reporter ?? rowDims.measure ?? null;

  const records: SourceRecord[] = [];
  const valueCols = plan.values;
  // A row with no value at all is a section heading (`亚洲`, `其中：`), not a row of missing values.
  if (valueCols.every((col) => isBlank(row[col.col] ?? null))) return { records, label };
  const rowTotal = label !== null && totalOf(label);
  const labelUnit = rowUnit === null && label !== null ? findUnitInText(label) : null;
  // An explicit percentage (header, row unit, label or cell) is never overridden by the configured unit.
  const rowPercent = isPercentUnit(rowUnit) || isPercentUnit(labelUnit);
  const rowNumber = r + 1;
  // The row's dims in DIMS order, once per row: a column whose header gives no dimension hands its
  // records a copy (the per-record join over DIMS was ≈ 40% of this function on a long table).
  let ordered: RecordDims | null = null;
  for (let k = 0; k < valueCols.length; k++) {
    const col = valueCols[k]!;
    const raw = row[col.col] ?? null;
    const parsed = isBlank(raw) ? BLANK_CELL : parseNumber(raw);
    let dims: RecordDims;
    if (!plan.colHasDims[k]) {
      if (ordered === null) {
        ordered = {};
        for (const dim of DIMS) if (rowDims[dim] !== undefined) ordered[dim] = rowDims[dim];
      }
      dims = { ...ordered };
    } else {
      dims = {};
      for (const dim of DIMS) {
        const value = joinDim(dim, rowDims[dim], col.dims[dim]);
        if (value !== undefined) dims[dim] = value;
      }
    }
    const percent = col.percent || parsed.percent === true || rowPercent;
    const unit = percent ? '%' : (opts.unit ?? rowUnit ?? col.unit ?? labelUnit ?? layout.unit);
    const rec: SourceRecord = {
      cell: `${plan.refPrefix}${plan.letters[k]!}${rowNumber}`,
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

/** Row `k` of the sheet (undefined past the end or where not held), for rules that look a few rows ahead. */
export type RowAt = (k: number) => readonly CellValue[] | undefined;

/**
 * After a blank row, does row `r` start another table? A row of several cells that is not data is
 * a header; a single text cell is a title unless data follows it directly (then it is a section
 * label such as `亚洲 Asia` inside the same table). Looks at most 3 rows ahead ({@link LOOKAHEAD}).
 */
function startsNewTable(at: RowAt, length: number, r: number): boolean {
  const row = at(r);
  if (isDataLike(row)) return false;
  if (filledColumns(row).length >= 2) return true;
  for (let k = r + 1; k < Math.min(length, r + 1 + LOOKAHEAD); k++) {
    const next = at(k);
    if (isBlankRow(next)) continue;
    return !isDataLike(next);
  }
  return true;
}

/** Rows past the current one that the end-of-table rule reads. */
export const LOOKAHEAD = 3;

/** Index of the row's first non-blank cell, or -1 for a blank row. */
function firstFilled(row: readonly CellValue[]): number {
  for (let c = 0; c < row.length; c++) if (!isBlank(row[c])) return c;
  return -1;
}

/** A footnote cell (`注：`, `Source:`), as `isNoteRow` reads a row's first filled cell. */
function isNoteCell(v: CellValue | undefined): boolean {
  return typeof v === 'string' && isNoteText(collapse(v));
}

export interface TableRead {
  records: SourceRecord[];
  info: TableInfo;
  /** The row after the table (its notes included): where the search for the next table resumes. */
  end: number;
}

/** Reads a table's body from `layout.bodyStart` until a footnote block ends or another table starts. */
export function readTable(layout: Layout, grid: Grid, opts: ShapeOptions): TableRead {
  const records: SourceRecord[] = [];
  const reader = new TableReader(layout, opts, (rec) => records.push(rec));
  const at: RowAt = (k) => grid.rows[k];
  const length = grid.rows.length;
  for (let r = layout.bodyStart; r < length; r++) {
    if (!reader.step(grid.rows[r] ?? [], r, at, length)) break;
  }
  return { records, info: reader.info(), end: reader.end ?? length };
}

/**
 * The body of one table, a row at a time: `readTable` over a whole grid, and the streaming CSV path
 * (stream.ts) over rows as papaparse yields them, with the same rules — one implementation, so
 * both read a table alike. Records go to `emit` as they are read.
 */
export class TableReader {
  /** The row after the table (its notes included) once a footnote block or another table ended it; null while it goes on. */
  end: number | null = null;
  /** Some record has no unit (shape warns). */
  unitless = false;
  private readonly state: RowState;
  private readonly notes: string[];
  private readonly labels = new Set<string>();
  private readonly periods = new Set<string>();
  private lastLabel: string | null = null;
  private lastPeriod: string | null = null;
  private blankBefore = false;
  private inNotes = false;
  private lastRow = -1;

  constructor(
    readonly layout: Layout,
    private readonly opts: ShapeOptions,
    private readonly emit: (rec: SourceRecord) => void,
  ) {
    this.state = { year: layout.titleYear };
    this.notes = [...layout.notes];
  }

  /**
   * Reads body row `r` (rows come in order from `layout.bodyStart`); `at` must hold rows up to
   * r + LOOKAHEAD (or to `length`, the sheet's row count, when that is nearer). False once the
   * table has ended (see `end`): later rows are not the table's.
   */
  step(row: readonly CellValue[], r: number, at: RowAt, length: number): boolean {
    if (this.end !== null) return false;
    // One look at the row's first filled cell says both whether it is blank and whether it is a
    // footnote (isBlankRow, isNoteRow).
    const first = firstFilled(row);
    if (first < 0) {
      if (this.inNotes) {
        this.end = r;
        return false;
      }
      this.blankBefore = true;
      return true;
    }
    if (isNoteCell(row[first])) {
      this.inNotes = true;
      this.notes.push(rowText(row));
      return true;
    }
    if (this.inNotes) {
      // A footnote's continuation line, unless numbers appear again (then a new table begins).
      if (isDataLike(row)) {
        this.end = r;
        return false;
      }
      this.notes.push(rowText(row));
      return true;
    }
    if (this.blankBefore && startsNewTable(at, length, r)) {
      this.end = r;
      return false;
    }
    this.blankBefore = false;
    const out = readRow(this.layout, row, r, this.state, this.opts);
    if (out.records.length > 0) {
      this.lastRow = r;
      // A long table repeats its labels and periods row after row: comparing with the last one
      // added is cheaper than hashing every row's fresh string into the set.
      if (out.label !== null && out.label !== this.lastLabel) this.labels.add((this.lastLabel = out.label));
      for (const rec of out.records) {
        const period = rec.dims.period;
        if (period !== undefined && period !== this.lastPeriod) this.periods.add((this.lastPeriod = period));
        if (rec.unit === null) this.unitless = true;
        this.emit(rec);
      }
    }
    return true;
  }

  /** What the table turned out to be, for TableInfo (call after the last row). */
  info(): TableInfo {
    const layout = this.layout;
    const cols = layout.columns.map((col) => col.col);
    return {
      sheet: layout.sheet,
      range: rangeAddress(layout.bodyStart, Math.min(...cols), Math.max(this.lastRow, layout.bodyStart), Math.max(...cols)),
      title: layout.title,
      headerRows: layout.headerRows,
      orientation: layout.orientation,
      unit: layout.unit,
      unitSource: layout.unitSource,
      periods: [...this.periods],
      labels: [...this.labels],
      notes: this.notes,
    };
  }
}
