// Header rows → one header path per column, and a path → the dimensions of the values below it.
// Yearbooks stack up to three header rows with merged cells (`2019` merged over `进出口 | 出口 | 进口`);
// filling the merges gives every column its full path, which is then read cell by cell.
import { findUnitInText, isTotalLabel, looksLikePeriod, parseFlow, parsePeriod, parseUnit } from '../lexicon/index.js';
import { memoise } from '../lexicon/memo.js';
import type { CellValue, Grid, RecordDims } from '../types.js';
import { calendarDay, cellText, collapse, excelSerialToDate, isBlank } from './text.js';
import { dimensionName, hasPercentSign, hasUnitPrefix, isGrowthText, isValueWord } from './vocabulary.js';

/**
 * The header block with merged cells filled: every cell a merge covers holds the merge's value.
 * Rows are `bodyStart - headerStart` long; columns `width`.
 */
export function fillHeaderBlock(grid: Grid, headerStart: number, headerEnd: number, width: number): CellValue[][] {
  const block: CellValue[][] = [];
  for (let r = headerStart; r < headerEnd; r++) {
    const src = grid.rows[r] ?? [];
    const row: CellValue[] = [];
    for (let c = 0; c < width; c++) row.push(src[c] ?? null);
    block.push(row);
  }
  for (const m of grid.merges) {
    if (m.e.r < headerStart || m.s.r >= headerEnd) continue;
    const v = grid.rows[m.s.r]?.[m.s.c] ?? null;
    if (isBlank(v)) continue;
    for (let r = Math.max(m.s.r, headerStart); r <= Math.min(m.e.r, headerEnd - 1); r++) {
      for (let c = m.s.c; c <= Math.min(m.e.c, width - 1); c++) {
        const row = block[r - headerStart];
        if (row && isBlank(row[c])) row[c] = v;
      }
    }
  }
  return block;
}

/**
 * Publishers often centre a heading across columns without merging them (and CSV has no merges),
 * leaving `2019 | | | 2020 | |`. In an upper header row that has no merges, a blank cell over a
 * value column takes the heading to its left, as long as that heading also sits over a value column.
 */
export function forwardFillUpperRows(block: CellValue[][], grid: Grid, headerStart: number, valueCols: Set<number>): void {
  for (let i = 0; i < block.length - 1; i++) {
    const r = headerStart + i;
    const merged = grid.merges.some((m) => m.s.r <= r && m.e.r >= r && m.e.c > m.s.c);
    if (merged) continue;
    const row = block[i];
    if (!row) continue;
    for (let c = 1; c < row.length; c++) {
      if (valueCols.has(c) && valueCols.has(c - 1) && isBlank(row[c]) && !isBlank(row[c - 1])) row[c] = row[c - 1] ?? null;
    }
  }
}

/** A column's header path: texts top to bottom, blanks and vertical repeats dropped. */
export function headerPath(block: CellValue[][], col: number): CellValue[] {
  const out: CellValue[] = [];
  let last = '';
  for (const row of block) {
    const v = row[col] ?? null;
    if (isBlank(v)) continue;
    const t = cellText(v);
    if (t === last) continue;
    out.push(v);
    last = t;
  }
  return out;
}

const YEAR_MIN = 1900;
const YEAR_MAX = 2100;
/** An integer a header uses as a year. Wider than parsePeriod's number rule (1990–) because yearbooks go back to 1949. */
export function isYearNumber(n: number): boolean {
  return Number.isInteger(n) && n >= YEAR_MIN && n <= YEAR_MAX;
}
/** Serial day numbers of 1900–2100 (Excel's 1900 system), as a date header saved as a plain number. */
export function isSerialDateNumber(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= 73051 && !isYearNumber(n);
}

/** How date headers are written as periods: a row of 1 January dates of different years is a row of years. */
export type DateStyle = 'year' | 'month' | 'day';

export function dateStyle(dates: Date[]): DateStyle {
  const days = dates.map(calendarDay).filter((d) => d !== null);
  if (days.length === 0) return 'month';
  const years = new Set(days.map((d) => d.y));
  if (days.every((d) => d.m === 1 && d.d === 1) && years.size === days.length && days.length > 1) return 'year';
  if (days.every((d) => d.d === 1)) return 'month';
  return 'day';
}

/** A date as the period text a publisher would have written: `2019`, `2019-01` or `2019-01-15`. */
export function dateToPeriod(d: Date, style: DateStyle): string {
  const day = calendarDay(d);
  if (!day) return '';
  const mm = String(day.m).padStart(2, '0');
  if (style === 'year') return String(day.y);
  if (style === 'month') return `${day.y}-${mm}`;
  return `${day.y}-${mm}-${String(day.d).padStart(2, '0')}`;
}

/** A unit statement that is the whole text: `单位：万美元`, `(Unit: US$10,000)`, `US$ million`, `単位：千ドル`. */
export function unitStatement(text: string, allowBare: boolean): string | null {
  const t = collapse(text);
  if (t === '') return null;
  if (hasUnitPrefix(t)) return findUnitInText(t);
  if (/^[(（][^()（）]*[)）]$/.test(t)) {
    const inner = findUnitInText(t) ?? (parseUnit(t) ? t.slice(1, -1).trim() : null);
    if (inner !== null) return inner;
  }
  if (allowBare && parseUnit(t) !== null) return t;
  return null;
}

/** Removes the bracketed part of a header that states the unit: `出口（万美元）` → `出口`. */
export function stripUnit(text: string, unit: string): string {
  const stripped = text.replace(/[(（][^()（）]*[)）]/g, (m) => (m.includes(unit) ? ' ' : m));
  return collapse(stripped.replace(/(单位|單位|単位|units?)\s*[:：]\s*\S+/gi, ' '));
}

// The body reader asks these of every row's period and label (issue 6); they are pure, so they
// are remembered per text (see lexicon/memo.ts).
const rememberedHasYear = memoise(readHasYear);
const rememberedSingleYear = memoise(readSingleYear);
const rememberedTotal = memoise(readTotal);

/** Is a year written in the text? (`2019`, `2019年`, `令和5年`.) */
export function hasYear(text: string): boolean {
  return rememberedHasYear(text);
}

function readHasYear(text: string): boolean {
  return /(^|[^0-9])(19|20)\d{2}([^0-9]|$)/.test(text) || /(令和|平成|昭和)/.test(text);
}

/** The single year a text states, or null (used for `1-6月` under a `2019` heading or title). */
export function singleYear(text: string): number | null {
  return rememberedSingleYear(text);
}

function readSingleYear(text: string): number | null {
  const years = new Set([...text.matchAll(/(?:^|[^0-9])((?:19|20)\d{2})(?![0-9])/g)].map((m) => Number(m[1])));
  if (years.size !== 1) return null;
  const [y] = [...years];
  return y ?? null;
}

/**
 * A period under a year: `1-6月` under `2019` is `2019年1-6月`, `Jan-Jun` under `2019` is
 * `Jan-Jun 2019`. A label that already states a year, or that is not a year-less period, is kept.
 */
export function withYear(label: string, year: number | null): string {
  if (year === null || hasYear(label)) return label;
  if (parsePeriod(label) !== null || parsePeriod(label, { year }) === null) return label;
  return /[\u3000-\u9fff]/.test(label) ? `${year}年${label}` : `${label} ${year}`;
}

/** Flow recognised in a header, trying the whole text then each line/word group (`进出口 Total`). */
export function flowOf(text: string): boolean {
  if (parseFlow(text) !== null) return true;
  const parts = text.split(/\s+/).filter((p) => p !== '');
  return parts.length > 1 && parts.some((p) => parseFlow(p) !== null);
}

/** Totals written bilingually (`合计 Total`) are recognised on any part. */
export function totalOf(text: string): boolean {
  return rememberedTotal(text);
}

function readTotal(text: string): boolean {
  if (isTotalLabel(text)) return true;
  const parts = text.split(/\s+/).filter((p) => p !== '');
  return parts.length > 1 && parts.some((p) => isTotalLabel(p));
}

export interface ColumnHeading {
  dims: RecordDims;
  unit: string | null;
  percent: boolean;
  total: boolean;
  /** A unit statement found among the header cells (`单位：万美元` in a corner cell). */
  tableUnit: string | null;
}

export interface HeadingContext {
  /** Whether period words count as periods (false when the config fixes the period). */
  periods: boolean;
  /** True when the header row holding the cell also holds dates (so serial numbers are dates). */
  dateRows: Set<number>;
  dateStyle: DateStyle;
}

/**
 * Reads a value column's header path into dims. Each cell adds to one dimension: flows
 * (`出口`, `Exports`), periods (`2019`, a Date, `1-6月` — combined with the year above it), or
 * else the measure (`同比±%`, `项目数`). A bracketed unit is the column's unit and is removed
 * from the label; a bare value word (`金额`, `Value`) adds nothing.
 */
export function readHeading(path: { value: CellValue; row: number }[], ctx: HeadingContext): ColumnHeading {
  const out: ColumnHeading = { dims: {}, unit: null, percent: false, total: false, tableUnit: null };
  const add = (dim: 'flow' | 'measure', text: string) => {
    out.dims[dim] = out.dims[dim] === undefined ? text : `${out.dims[dim]} ${text}`;
  };
  const addPeriod = (text: string) => {
    const prev = out.dims.period;
    if (prev === undefined) out.dims.period = text;
    else {
      const combined = withYear(text, singleYear(prev));
      out.dims.period = combined !== text ? combined : `${prev} ${text}`;
    }
  };
  // Set by a header cell that names the dimension of the cells below it (`商品编码 HS`).
  let named: 'partner' | 'reporter' | 'product' | null = null;
  for (const [i, { value, row }] of path.entries()) {
    if (named !== null && !isBlank(value)) {
      out.dims[named] = out.dims[named] === undefined ? cellText(value) : `${out.dims[named]} ${cellText(value)}`;
      continue;
    }
    if (typeof value === 'string' && i < path.length - 1) {
      named = dimensionName(collapse(value));
      if (named !== null) {
        // A flow in the group header's brackets applies to every column below it.
        for (const m of collapse(value).matchAll(/[（(]([^()（）]*)[)）]/g)) if (flowOf(m[1]!)) add('flow', m[1]!);
        continue;
      }
    }
    if (value instanceof Date) {
      if (ctx.periods) addPeriod(dateToPeriod(value, ctx.dateStyle));
      else add('measure', cellText(value));
      continue;
    }
    if (typeof value === 'number') {
      if (ctx.periods && isYearNumber(value)) addPeriod(String(value));
      else if (ctx.periods && ctx.dateRows.has(row) && isSerialDateNumber(value)) addPeriod(dateToPeriod(excelSerialToDate(value), ctx.dateStyle));
      else add('measure', String(value));
      continue;
    }
    let text = cellText(value);
    if (text === '') continue;
    const statement = unitStatement(text, false);
    if (statement !== null) {
      out.tableUnit ??= statement;
      continue;
    }
    const unit = findUnitInText(text);
    if (unit !== null) {
      out.unit = unit;
      text = stripUnit(text, unit);
    }
    if (hasPercentSign(unit ?? '') || hasPercentSign(text)) out.percent = true;
    if (text === '' || isValueWord(text)) continue;
    if (isGrowthText(text)) {
      // A rate of change is a measure even when it names a flow (`出口增长%`): it must never be
      // read as the flow's amount, so it does not set the flow.
      out.percent = true;
      add('measure', text);
    } else if (flowOf(text)) add('flow', text);
    else if (ctx.periods && looksLikePeriod(text)) addPeriod(text);
    else {
      if (totalOf(text)) out.total = true;
      add('measure', text);
    }
  }
  if (out.percent) out.unit = '%';
  return out;
}
