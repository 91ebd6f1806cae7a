// What detection decides about one table, separated from applying it so that the body can be read
// row by row (the streaming CSV path will feed rows to `readRow` without holding the sheet).
import type { FixedValues, LayoutOverrides } from '../../config/schema.js';
import type { CellValue, Dataset, RecordDims } from '../types.js';
import type { ColumnRole } from './vocabulary.js';

export interface ShapeOptions {
  /** The unit of every value, from the source config; overrides the detected unit (but not an explicit `%`). */
  unit?: string;
  /** Overrides of what detection finds; default: detect everything. */
  layout?: LayoutOverrides;
  /** Values the table does not carry; only `period` matters here (it switches period detection off). */
  fixed?: FixedValues;
  /** Decides what bare row labels are: partners (trade, investment) or measures (indicator, fx). */
  dataset: Dataset;
  /** Only these sheets; default every sheet that holds a table. */
  sheets?: string[];
}

/** Where a table's unit came from (TableInfo.unitSource). */
export type UnitSource = 'config' | 'title' | 'unit-row' | 'header' | 'column' | 'none';

/** The dimension bare row labels fill. */
export type LabelDim = 'partner' | 'reporter' | 'measure';

export interface ColumnLayout {
  /** Zero-based column index in the sheet. */
  col: number;
  role: ColumnRole;
  /** The header path top to bottom, merges filled, whitespace collapsed, repeats dropped. */
  header: string[];
  /** Value columns: the dimensions the header path gives every value below it. */
  dims: RecordDims;
  /** Value columns: the unit the header states (`出口（万美元）`), or null. */
  unit: string | null;
  /** Value columns: the header says the values are percentages (`同比±%`, growth). */
  percent: boolean;
  /** Value columns headed as a total (`合计`, `Total`). */
  total: boolean;
}

export interface Layout {
  sheet: string;
  /** First row of the table (its first title row, else its first header row), zero-based. */
  start: number;
  titleRows: number;
  headerRows: number;
  /** First body row, zero-based. */
  bodyStart: number;
  title: string | null;
  /** `long` when periods run down the rows (a period column), `wide` when across. */
  orientation: 'wide' | 'long';
  /** Every column that carries something (spacer columns are left out). */
  columns: ColumnLayout[];
  labelDim: LabelDim;
  /** The table-wide unit (before per-column, per-row and per-cell units). */
  unit: string | null;
  unitSource: UnitSource;
  /** The year a title states, for year-less row periods (`1-3月`). */
  titleYear: number | null;
  /** False when the config fixes the period: then nothing in the table is read as a period. */
  periods: boolean;
  /** Vertical merges over label columns in the body, `row:col` → the merge's value. */
  labelMerges: Map<string, CellValue>;
  notes: string[];
  warnings: string[];
}
