// The one document model a brief is composed into, and that the PDF, workbook and JSON renderers
// all render — so the three cannot disagree. Composing is pure; rendering touches the disk.

export type Lang = 'en' | 'zh' | 'ja';

/** Where a figure came from, down to the source cell. */
export interface Provenance {
  /** Warehouse table: `trade_flow`, `investment_flow`, `indicator`, `fx_rate`. */
  table: string;
  source_id: string;
  /** `sha256#Sheet!C7`. */
  cell: string;
  run_id: number | null;
  /** The warehouse key of the row, e.g. `CN-HL|JPN|total|TOTAL|2019|year`. */
  key: string;
}

/** A number the brief shows, with its unit, period and the warehouse rows behind it. */
export interface Figure {
  /** Stable id, e.g. `trade.total.2019` or `japan.tii.2019`. */
  id: string;
  label: string;
  /** null when the loaded sources lack it: rendered as "n/a", never 0. */
  value: number | null;
  /** `USD`, `%`, `index`, `projects`, `CNY`… */
  unit: string;
  period: string | null;
  /** The formula for derived figures (shown in Data and methods), e.g. `(x_ij/X_i)/(x_wj/X_w)`. */
  formula?: string;
  /** True when any input is illustrative (not published): renderers add a mark and a note. */
  illustrative: boolean;
  provenance: Provenance[];
}

export interface KeyFigure {
  label: string;
  /** Pre-formatted for display, e.g. `US$ 1,234.5 million`. */
  text: string;
  figureId: string;
  /** A short qualifier under the value, e.g. `2019, +10.6% y/y`. */
  note?: string;
}

export interface TableColumn {
  key: string;
  /** Header text including the unit, e.g. `Trade (US$ million)`. */
  label: string;
  kind: 'text' | 'number' | 'percent' | 'index' | 'integer';
  /** Decimal places for numbers (default 1). */
  decimals?: number;
}

/** A table cell: a number (in the column's unit), text, or null (n/a). */
export type TableCell = string | number | null;

export interface TableRow {
  cells: Record<string, TableCell>;
  /** Figure ids behind this row's numbers (for the workbook's Sources sheet). */
  figureIds?: string[];
  /** True when a value in the row is illustrative. */
  illustrative?: boolean;
  /** Bold total row. */
  total?: boolean;
}

export type Block =
  | { type: 'paragraph'; text: string; figureIds?: string[] }
  | { type: 'keyFigures'; items: KeyFigure[] }
  | {
      type: 'chart';
      id: string;
      title: string;
      /** A vega-lite spec with inline data; the renderer sets fonts and size. */
      spec: Record<string, unknown>;
      /** One sentence describing the chart for readers who cannot see it. */
      alt: string;
      source?: string;
    }
  | {
      type: 'table';
      id: string;
      title: string;
      columns: TableColumn[];
      rows: TableRow[];
      /** Source line and notes under the table. */
      notes?: string[];
    }
  | { type: 'note'; text: string }
  | { type: 'list'; items: string[] };

export interface Section {
  id: string;
  heading: string;
  blocks: Block[];
}

export interface SourceEntry {
  source_id: string;
  title: string;
  publisher: string | null;
  url: string;
  sha256: string | null;
  fetched_at: string | null;
  run_id: number | null;
  /** The citations inside the file (publisher URLs of the figures it compiles). */
  citations: string[];
}

export interface BriefDocument {
  briefId: string;
  lang: Lang;
  title: string;
  subtitle: string;
  /** `Heilongjiang (CN-HL) · focus partner Japan (JPN)`. */
  subject: string;
  /** The latest period the data covers, e.g. `2023`. */
  dataVintage: string;
  /** ISO timestamp; frozen in tests. */
  generatedAt: string;
  /** Running header text on every PDF page. */
  runningHeader: string;
  sections: Section[];
  figures: Figure[];
  sources: SourceEntry[];
  /** The note explaining the illustrative mark, shown when any figure is illustrative. */
  illustrativeNote: string;
}

/** The mark put after every illustrative value, in every renderer. */
export const ILLUSTRATIVE_MARK = '†';
