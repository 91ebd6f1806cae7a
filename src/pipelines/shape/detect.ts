// Layout detection: from the rows at the head of a table, decide where the title, header and body
// are, what each column holds and what the unit is. Only the head and a sample of the body are
// read, so the body itself can then be streamed row by row (see body.ts).
import { findUnitInText, isNoteText, looksLikePeriod, parseNumber } from '../lexicon/index.js';
import type { CellValue, Grid } from '../types.js';
import {
  dateStyle,
  fillHeaderBlock,
  flowOf,
  forwardFillUpperRows,
  headerPath,
  isSerialDateNumber,
  isYearNumber,
  readHeading,
  singleYear,
  unitStatement,
} from './headers.js';
import type { ColumnLayout, LabelDim, Layout, ShapeOptions, UnitSource } from './layout.js';
import { cellText, collapse, excelSerialToDate, filledColumns, isBlank, isBlankRow } from './text.js';
import { type ColumnRole, roleFromName } from './vocabulary.js';

/** Body rows sampled to decide what each column holds; a table's first 200 rows say enough. */
const SAMPLE_ROWS = 200;
/** Yearbook headers never exceed three rows (the config schema caps `header_rows` there too). */
const MAX_HEADER_ROWS = 3;

/** True when the row's first filled cell is a footnote (`注：`, `資料：`, `Source:`). */
export function isNoteRow(row: readonly CellValue[] | undefined): boolean {
  const first = filledColumns(row)[0];
  if (first === undefined || !row) return false;
  const v = row[first];
  return typeof v === 'string' && isNoteText(collapse(v));
}

/** The row's filled cells as one line of text (for notes and warnings). */
export function rowText(row: readonly CellValue[] | undefined): string {
  return filledColumns(row)
    .map((c) => cellText(row?.[c]))
    .join(' ');
}

/**
 * Does the row hold data? It must have a number past its first filled cell that is not a year
 * heading (`2019`), nor a serial date beside date headings, or a "no data" marker (`—`, `…`).
 * Header rows hold text, years and dates only, which is what tells them apart.
 */
export function isDataLike(row: readonly CellValue[] | undefined): boolean {
  if (!row) return false;
  const filled = filledColumns(row);
  if (filled.length < 2) return false;
  const dates = filled.some((c) => row[c] instanceof Date);
  for (const c of filled.slice(1)) {
    const v = row[c] ?? null;
    if (v instanceof Date || typeof v === 'boolean' || v === null) continue;
    if (typeof v === 'number') {
      if (isYearNumber(v) || (dates && isSerialDateNumber(v))) continue;
      return true;
    }
    const p = parseNumber(v);
    if (p.value !== null) {
      if (isYearNumber(p.value) && /^\s*\d{4}\s*$/.test(v)) continue;
      return true;
    }
    if (p.missing !== undefined && p.missing !== '') return true;
  }
  return false;
}

/** A row above the header that is a title or a unit statement rather than a header row. */
function isTitleLike(grid: Grid, r: number, width: number): boolean {
  const row = grid.rows[r];
  const filled = filledColumns(row);
  if (!row || filled.length === 0 || filled.length > 2) return false;
  if (filled.some((c) => typeof row[c] !== 'string')) return false;
  const texts = filled.map((c) => cellText(row[c]));
  if (filled.length === 2) {
    // `Title ……… 单位：万美元` on one row.
    return filled[0] === 0 && texts.some((t) => unitStatement(t, true) !== null);
  }
  const c = filled[0] ?? 0;
  const t = texts[0] ?? '';
  const merge = grid.merges.find((m) => m.s.r === r && m.s.c === c);
  if (merge && merge.e.r > merge.s.r) return false; // a header cell merged down over the next row
  if (unitStatement(t, true) !== null) return true;
  if (looksLikePeriod(t) && t.length <= 16) return false; // a lone `2019年` heading over the values
  if (c === 0) return true;
  return merge !== undefined && merge.e.c - merge.s.c + 1 >= width / 2;
}

interface Head {
  /** First row of the table (title or header). */
  start: number;
  /** Non-blank rows from start to the first data row. */
  rows: number[];
  dataRow: number;
  /** Text rows above the table, separated from it by a blank row (a previous table's notes, a chapter heading). */
  preamble: number[];
}

function findHead(grid: Grid, from: number): Head | null {
  let dataRow = -1;
  for (let r = from; r < grid.rows.length; r++) {
    if (isDataLike(grid.rows[r])) {
      dataRow = r;
      break;
    }
  }
  if (dataRow < 0) return null;
  const groups: number[][] = [];
  let current: number[] = [];
  for (let r = from; r < dataRow; r++) {
    if (isBlankRow(grid.rows[r])) {
      if (current.length > 0) groups.push(current);
      current = [];
    } else current.push(r);
  }
  if (current.length > 0) groups.push(current);
  let head = groups.pop() ?? [];
  // A title sometimes sits one blank row above its header.
  const prev = groups[groups.length - 1];
  const width = grid.rows[dataRow]?.length ?? 0;
  if (prev && prev.length <= 3 && prev.every((r) => isTitleLike(grid, r, width) && !isNoteRow(grid.rows[r]))) {
    head = [...prev, ...head];
    groups.pop();
  }
  const preamble = groups.flat();
  // A previous table's footnotes running straight into this table's title are not its title.
  while (head.length > 0 && isNoteRow(grid.rows[head[0] ?? -1])) preamble.push(head.shift() as number);
  return { start: head[0] ?? dataRow, rows: head, dataRow, preamble };
}

interface ColumnStats {
  filled: number;
  texts: number;
  numbers: number;
  years: number;
  periodTexts: number;
  distinct: Set<string>;
}

function sampleBody(grid: Grid, bodyStart: number, width: number): ColumnStats[] {
  const stats: ColumnStats[] = Array.from({ length: width }, () => ({
    filled: 0,
    texts: 0,
    numbers: 0,
    years: 0,
    periodTexts: 0,
    distinct: new Set<string>(),
  }));
  let seen = 0;
  let blankBefore = false;
  for (let r = bodyStart; r < grid.rows.length && seen < SAMPLE_ROWS; r++) {
    const row = grid.rows[r];
    if (isBlankRow(row)) {
      blankBefore = true;
      continue;
    }
    if (isNoteRow(row)) break;
    const data = isDataLike(row);
    if (!data && blankBefore) break; // probably the next table's title
    blankBefore = false;
    if (!data || !row) continue;
    seen++;
    for (let c = 0; c < width; c++) {
      const v = row[c] ?? null;
      const s = stats[c];
      if (!s || isBlank(v)) continue;
      s.filled++;
      if (s.distinct.size < 50) s.distinct.add(cellText(v));
      if (v instanceof Date) {
        s.years++;
        continue;
      }
      if (typeof v === 'number') {
        s.numbers++;
        if (isYearNumber(v)) s.years++;
        continue;
      }
      if (typeof v !== 'string') {
        s.texts++;
        continue;
      }
      const p = parseNumber(v);
      if (p.value !== null) {
        s.numbers++;
        if (isYearNumber(p.value) && /^\s*\d{4}\s*$/.test(v)) s.years++;
      } else if (p.error !== undefined) {
        s.texts++;
        if (looksLikePeriod(collapse(v))) s.periodTexts++;
      }
    }
  }
  return stats;
}

const KEY_ROLES: ReadonlySet<ColumnRole> = new Set(['partner', 'reporter', 'flow', 'measure', 'product']);

function roleOfPath(path: CellValue[]): ColumnRole | null {
  for (let i = path.length - 1; i >= 0; i--) {
    const v = path[i];
    if (typeof v !== 'string') continue;
    const role = roleFromName(collapse(v));
    if (role !== null) return role;
  }
  return null;
}

function pathLooksLikeValues(path: CellValue[]): boolean {
  return path.some(
    (v) => v instanceof Date || (typeof v === 'number' && isYearNumber(v)) || (typeof v === 'string' && (looksLikePeriod(collapse(v)) || flowOf(collapse(v)))),
  );
}

function assignRoles(paths: CellValue[][], stats: ColumnStats[], opts: ShapeOptions, periodsOn: boolean): (ColumnRole | null)[] {
  const orientation = opts.layout?.orientation;
  const rowPeriods = periodsOn && orientation !== 'wide';
  const labelColumns = opts.layout?.label_columns;
  const roles: (ColumnRole | null)[] = [];
  let seenValue = false;
  for (let c = 0; c < paths.length; c++) {
    const path = paths[c] ?? [];
    const s = stats[c] as ColumnStats;
    const named = roleOfPath(path);
    const textual = s.filled > 0 && s.texts >= s.filled / 2;
    const periodish = s.filled > 0 && s.years + s.periodTexts >= 0.8 * s.filled;
    const mostlyPeriodTexts = s.texts > 0 && s.periodTexts >= 0.6 * s.texts;
    let role: ColumnRole | null;
    if (labelColumns !== undefined) {
      if (c < labelColumns) {
        if (named !== null && KEY_ROLES.has(named)) role = named;
        else if (named === 'period' || (rowPeriods && periodish)) role = 'period';
        else role = 'label';
      } else role = named === 'flag' || named === 'unit' || named === 'note' ? named : 'value';
    } else if (named === 'flag' || named === 'note') role = named;
    else if (named === 'unit' && (textual || s.filled === 0)) role = 'unit';
    else if (named === 'value') role = 'value';
    else if (named === 'period' && periodish && periodsOn) role = 'period';
    else if (named === 'measure' && textual && rowPeriods && mostlyPeriodTexts) role = 'period'; // `项目` over `2023年1-2月`
    else if (named !== null && KEY_ROLES.has(named) && textual) role = named;
    else if (!seenValue && textual) role = rowPeriods && mostlyPeriodTexts ? 'period' : 'label';
    else if (!seenValue && rowPeriods && s.filled >= 2 && s.years === s.filled && s.distinct.size >= 2 && !pathLooksLikeValues(path)) role = 'period';
    else if (seenValue && textual) role = 'note'; // unnamed remarks to the right of the numbers
    else if (s.filled === 0 && path.length === 0) role = null; // a spacer column
    else role = 'value';
    if (role === 'value') seenValue = true;
    roles.push(role);
  }
  if (orientation === 'long' && periodsOn && !roles.includes('period')) {
    const first = roles.indexOf('label');
    if (first >= 0) roles[first] = 'period';
  }
  preferCodeColumns(roles, stats);
  return roles;
}

/** ISO 3166 alpha-3 (`CHN`, `WLD`) or a subdivision code (`CN-HL`). */
const PLACE_CODE = /^(?:[A-Z]{3}|[A-Z]{2}-[A-Z0-9]{1,3})$/;

/**
 * A place named twice — `Country Name` and `Country Code` side by side, as the World Bank's and
 * the IMF's downloads have it — would be read as one label `China CHN` that no code list knows.
 * When one of two or more partner (or reporter) columns holds nothing but codes, that column is
 * the place and the name columns beside it are left out.
 */
function preferCodeColumns(roles: (ColumnRole | null)[], stats: ColumnStats[]): void {
  for (const place of ['partner', 'reporter'] as const) {
    const cols = roles.flatMap((role, c) => (role === place ? [c] : []));
    if (cols.length < 2) continue;
    const codes = cols.filter((c) => {
      const s = stats[c];
      return !!s && s.filled > 0 && [...s.distinct].every((v) => PLACE_CODE.test(v.trim()));
    });
    if (codes.length !== 1) continue;
    for (const c of cols) if (c !== codes[0]) roles[c] = null;
  }
}

function mostCommon(values: string[]): string | null {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: string | null = null;
  let n = 0;
  for (const [v, k] of counts) {
    if (k > n) {
      best = v;
      n = k;
    }
  }
  return best;
}

export interface Detection {
  layout: Layout;
  /** Text rows above the table (see Head.preamble). */
  preamble: number[];
}

/**
 * Finds the next table at or below row `from`: null when only text (or nothing) remains.
 * Reads the head rows and a sample of the body; the body itself is read by `readTable`.
 */
export function detectLayout(grid: Grid, from: number, opts: ShapeOptions): Detection | null {
  const head = findHead(grid, from);
  if (head === null) return null;
  const warnings: string[] = [];
  const over = opts.layout ?? {};
  const width = Math.max(0, ...grid.rows.slice(head.start, Math.min(grid.rows.length, head.dataRow + SAMPLE_ROWS)).map((r) => r.length));

  // Title rows, then header rows, then the body.
  let titleRows: number[];
  let headerStart: number;
  let bodyStart: number;
  if (over.title_rows !== undefined) {
    titleRows = [];
    for (let r = head.start; r < head.start + over.title_rows; r++) if (!isBlankRow(grid.rows[r])) titleRows.push(r);
    headerStart = head.start + over.title_rows;
    while (headerStart < grid.rows.length && isBlankRow(grid.rows[headerStart])) headerStart++;
    bodyStart = over.header_rows !== undefined ? headerStart + over.header_rows : Math.max(head.dataRow, headerStart + 1);
  } else {
    let t = 0;
    while (t < head.rows.length - 1 && isTitleLike(grid, head.rows[t] as number, width)) t++;
    let headerRows = head.rows.slice(t);
    if (over.header_rows !== undefined && headerRows.length > over.header_rows) {
      t += headerRows.length - over.header_rows;
    } else if (over.header_rows === undefined && headerRows.length > MAX_HEADER_ROWS) {
      warnings.push(`${grid.sheet}: ${headerRows.length} rows above the data; took the last ${MAX_HEADER_ROWS} as the header`);
      t += headerRows.length - MAX_HEADER_ROWS;
    }
    titleRows = head.rows.slice(0, t);
    headerRows = head.rows.slice(t);
    headerStart = headerRows[0] ?? head.dataRow;
    bodyStart = over.header_rows !== undefined ? headerStart + over.header_rows : head.dataRow;
  }
  const headerEnd = bodyStart;

  // Title text and a unit stated in it or on a row/cell of its own.
  const titleTexts: string[] = [];
  let titleUnit: string | null = null;
  let unitRowUnit: string | null = null;
  for (const r of titleRows) {
    const row = grid.rows[r];
    for (const c of filledColumns(row)) {
      const text = cellText(row?.[c]);
      const statement = unitStatement(text, true);
      if (statement !== null) {
        unitRowUnit ??= statement;
        continue;
      }
      titleTexts.push(text);
      titleUnit ??= findUnitInText(text);
    }
  }
  const title = titleTexts.length > 0 ? titleTexts.join(' ') : null;

  // Header paths, column roles.
  const block = fillHeaderBlock(grid, headerStart, headerEnd, width);
  const periodsOn = opts.fixed?.period === undefined;
  const stats = sampleBody(grid, bodyStart, width);
  const rawPaths = Array.from({ length: width }, (_, c) => headerPath(block, c));
  const roles = assignRoles(rawPaths, stats, opts, periodsOn);
  const valueCols = new Set(roles.flatMap((role, c) => (role === 'value' ? [c] : [])));
  if (valueCols.size === 0) return null;
  forwardFillUpperRows(block, grid, headerStart, valueCols);

  const dateRows = new Set<number>();
  const dates: Date[] = [];
  block.forEach((row, i) => {
    if (row.some((v) => v instanceof Date)) dateRows.add(headerStart + i);
  });
  block.forEach((row, i) => {
    for (const v of row) {
      if (v instanceof Date) dates.push(v);
      else if (typeof v === 'number' && dateRows.has(headerStart + i) && isSerialDateNumber(v)) dates.push(excelSerialToDate(v));
    }
  });
  const ctx = { periods: periodsOn, dateRows, dateStyle: dateStyle(dates) };

  const columns: ColumnLayout[] = [];
  let headerUnit: string | null = null;
  const columnUnits: string[] = [];
  for (let c = 0; c < width; c++) {
    const role = roles[c];
    if (role === null || role === undefined) continue;
    const path: { value: CellValue; row: number }[] = [];
    let last = '';
    block.forEach((row, i) => {
      const v = row[c] ?? null;
      const t = cellText(v);
      if (t === '' || t === last) return;
      last = t;
      path.push({ value: v, row: headerStart + i });
    });
    const heading = readHeading(path, ctx);
    headerUnit ??= heading.tableUnit;
    const header = path.map((p) => cellText(p.value));
    if (role === 'value') {
      if (heading.unit !== null && !heading.percent) columnUnits.push(heading.unit);
      columns.push({ col: c, role, header, dims: heading.dims, unit: heading.unit, percent: heading.percent, total: heading.total });
    } else {
      columns.push({ col: c, role, header, dims: {}, unit: null, percent: false, total: false });
    }
  }

  // Columns whose headers give identical dims would produce colliding records: say so.
  const seen = new Map<string, number>();
  for (const col of columns) {
    if (col.role !== 'value') continue;
    const key = JSON.stringify(col.dims);
    const other = seen.get(key);
    if (other !== undefined) {
      warnings.push(`${grid.sheet}: columns ${other + 1} and ${col.col + 1} have the same header (${col.header.join(' / ') || 'none'}); check layout.header_rows`);
    } else seen.set(key, col.col);
  }

  // The table-wide unit, most explicit source first.
  let unit: string | null = null;
  let unitSource: UnitSource = 'none';
  const unitCol = columns.find((col) => col.role === 'unit');
  const firstUnitInColumn = (): string | null => {
    if (!unitCol) return null;
    for (let r = bodyStart; r < Math.min(grid.rows.length, bodyStart + SAMPLE_ROWS); r++) {
      const t = cellText(grid.rows[r]?.[unitCol.col]);
      if (t !== '') return t;
    }
    return null;
  };
  const headerColumnUnit = mostCommon(columnUnits);
  const candidates: [UnitSource, string | null | undefined][] = [
    ['config', opts.unit],
    // A unit row (`单位：亿元`) is more explicit than a currency named in the title (`（人民币值）`).
    ['unit-row', unitRowUnit],
    ['title', titleUnit],
    ['header', headerUnit ?? headerColumnUnit],
    ['column', unitCol ? firstUnitInColumn() : null],
  ];
  for (const [source, u] of candidates) {
    if (u !== null && u !== undefined && u !== '') {
      unit = u;
      unitSource = source;
      break;
    }
  }

  const labelDim: LabelDim = opts.dataset === 'trade' || opts.dataset === 'investment' ? 'partner' : 'measure';
  const labelMerges = new Map<string, CellValue>();
  const keyCols = new Set(columns.filter((col) => col.role !== 'value').map((col) => col.col));
  for (const m of grid.merges) {
    if (m.e.r < bodyStart) continue;
    const v = grid.rows[m.s.r]?.[m.s.c] ?? null;
    for (let r = Math.max(m.s.r, bodyStart); r <= m.e.r; r++) {
      for (let c = m.s.c; c <= m.e.c; c++) if (keyCols.has(c) && !(r === m.s.r && c === m.s.c)) labelMerges.set(`${r}:${c}`, v);
    }
  }

  const layout: Layout = {
    sheet: grid.sheet,
    start: titleRows[0] ?? headerStart,
    titleRows: titleRows.length,
    headerRows: Math.max(0, headerEnd - headerStart),
    bodyStart,
    title,
    orientation: columns.some((col) => col.role === 'period') ? 'long' : 'wide',
    columns,
    labelDim,
    unit,
    unitSource,
    titleYear: title === null ? null : singleYear(title),
    periods: periodsOn,
    labelMerges,
    notes: [],
    warnings,
  };
  return { layout, preamble: head.preamble };
}
