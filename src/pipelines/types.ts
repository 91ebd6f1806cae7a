// The typed values that flow between the pipeline stages (see ../shared/DESIGN.md):
// Source ─extract→ Fetched ─parse→ ParsedFile(Grid per sheet) ─shape→ SourceRecord[] ─normalise→ Fact[] + Reject[] ─load→ warehouse

/** What a spreadsheet cell holds once parsed; `null` for an empty cell. */
export type CellValue = string | number | boolean | Date | null;

/** A zero-based inclusive cell range, as SheetJS reports merges. */
export interface Range {
  s: { r: number; c: number };
  e: { r: number; c: number };
}

/** One sheet as the publisher laid it out, before any interpretation. */
export interface Grid {
  /** The sheet's name in the workbook; CSV files have a single sheet named after the file. */
  sheet: string;
  /** Rows top to bottom; rows may be ragged; empty cells are `null`. Row 0 is spreadsheet row 1. */
  rows: CellValue[][];
  /** Merged ranges; the value sits in the top-left cell, the rest are `null`. */
  merges: Range[];
}

export type FileFormat = 'xlsx' | 'xls' | 'ods' | 'csv' | 'html';

/** A parsed file: its detected format and its sheets. */
export interface ParsedFile {
  format: FileFormat;
  /** The text encoding detected for CSV and HTML (`utf-8`, `gb18030`, `shift_jis`); absent for binary workbooks. */
  encoding?: string;
  sheets: Grid[];
}

/** The dimensions a shaped value carries, in the source's own words (normalise maps them to codes). */
export interface RecordDims {
  /** The partner country/region/group label (trade), or the investor (investment), e.g. `日本 Japan`. */
  partner?: string;
  /** The reporting region label when the table carries it (e.g. a comparison of provinces). */
  reporter?: string;
  /** The flow label as published: `进出口`, `出口`, `輸入`, `Exports`, `Total trade`. */
  flow?: string;
  /** The period as published: `2019`, `2019年1-6月`, `Jan-Jun 2019`, `2019-06`. */
  period?: string;
  /** A measure or indicator label: `地区生产总值`, `GDP`, `项目数`, `实际利用外资`, `CNY per USD`. */
  measure?: string;
  /** A product label or HS code. */
  product?: string;
}

/** One value found in a table, in the source's own terms. */
export interface SourceRecord {
  /** Where the value sits: `Sheet!C7`. The loader prefixes the file's sha256. */
  cell: string;
  dims: RecordDims;
  /** The cell's content as published (for rejects and revisions). */
  raw: CellValue;
  /** The parsed number; `null` when the cell is missing (see `missing`) or not a number (see `error`). */
  value: number | null;
  /** The missing-value marker seen (`—`, `…`, `n.a.`, `x`, blank): a publisher's "no data", never 0. */
  missing?: string;
  /** Why the cell could not be read as a number (becomes a reject with this reason). */
  error?: string;
  /** The unit as published, from the title, a unit row, a header or the config: `万美元`, `US$ million`, `%`. */
  unit: string | null;
  /** A footnote mark stripped from the value: `*`, `①`, `(p)`. */
  mark?: string;
  /** True for total and subtotal rows/columns (`合计`, `总计`, `Total`), kept as totals, never summed as partners. */
  total: boolean;
  /** Nesting level: 0 for top-level rows, 1 for `其中：` sub-rows, and so on. */
  indent: number;
  /** True when the source flags the value as illustrative (not published). */
  illustrative: boolean;
}

/** What shape found in one table, for `inspect` and the run log. */
export interface TableInfo {
  sheet: string;
  /** A1-style range of the table body, e.g. `A4:H30`. */
  range: string;
  title: string | null;
  headerRows: number;
  orientation: 'wide' | 'long';
  unit: string | null;
  /** Where the unit came from: `title`, `unit-row`, `header`, `config`, `column` (long tables), or `none`. */
  unitSource: string;
  periods: string[];
  labels: string[];
  notes: string[];
}

export interface ShapeResult {
  records: SourceRecord[];
  tables: TableInfo[];
  /** Things a human should know (a sheet skipped, an ambiguous header), one line each. */
  warnings: string[];
}

export type Dataset = 'trade' | 'investment' | 'indicator' | 'fx';
export type PeriodKind = 'year' | 'quarter' | 'month' | 'ytd';
/** `re-export`/`re-import` only where a source lists them separately (exports/imports include them). */
export type Flow = 'export' | 'import' | 'total' | 're-export' | 're-import';
export type InvestmentMeasure = 'projects' | 'contracted' | 'utilized';

/** Columns every fact carries, in canonical terms. */
export interface FactValue {
  /** `2023`, `2023-Q2`, `2023-06` (single month or year-to-date, see `period_kind`). */
  period: string;
  period_kind: PeriodKind;
  /** The value as published, after the footnote mark is removed (not rescaled). */
  value: number;
  /** The unit as published (`万美元`, `100 million yuan`, `%`, `projects`). */
  unit: string;
  /** ISO 4217 currency of `value`, or null for counts and percentages. */
  currency: string | null;
  /** `value` in plain US dollars; null when it is not money or cannot be converted (never 0). */
  value_usd: number | null;
  illustrative: boolean;
  /** Provenance within the file: `Sheet!C7`; the loader prefixes `sha256#`. */
  cell: string;
}

export interface TradeFact extends FactValue {
  table: 'trade_flow';
  reporter: string;
  partner: string;
  flow: Flow;
  /** `TOTAL` or `HS:xxxx`. */
  product: string;
}

export interface InvestmentFact extends FactValue {
  table: 'investment_flow';
  host: string;
  investor: string;
  measure: InvestmentMeasure;
}

export interface IndicatorFact extends FactValue {
  table: 'indicator';
  region: string;
  /** `gdp`, `gdp_real_growth_pct`, `population`, … */
  code: string;
}

export interface FxFact {
  table: 'fx_rate';
  currency: string;
  period: string;
  /** Units of `currency` per US dollar (annual average unless the period says otherwise). */
  per_usd: number;
  cell: string;
}

export type Fact = TradeFact | InvestmentFact | IndicatorFact | FxFact;

/** A value that could not be loaded, with the reason and where it sits. */
export interface Reject {
  /** `Sheet!C7` (the loader prefixes the sha256). */
  cell: string;
  reason: string;
  raw: string | null;
}

export interface NormaliseResult {
  facts: Fact[];
  rejects: Reject[];
}
