// Cell text helpers shared by detection and the body reader. Labels keep the source's own words;
// these only tidy whitespace, because the normaliser matches labels against alias lists.
import type { CellValue } from '../types.js';

/** True for an empty cell: null, or a string of whitespace only. */
export function isBlank(v: CellValue | undefined): boolean {
  return v === null || v === undefined || (typeof v === 'string' && v.trim() === '');
}

/** Whitespace other than single inner spaces: the only text `collapse` changes. */
const UNTIDY = /[^\S ]| {2}|^ | $/;

/** Whitespace (newlines and ideographic spaces included) collapsed to one space and trimmed. */
export function collapse(s: string): string {
  // Most cells are tidy already; testing is cheaper than rebuilding them (issue 6).
  return UNTIDY.test(s) ? s.replace(/\s+/g, ' ').trim() : s;
}

/** A cell as label text: strings collapsed, numbers as written, dates as ISO days; '' when blank. */
export function cellText(v: CellValue | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return collapse(v);
  if (v instanceof Date) return isoDay(v);
  return String(v);
}

/** True when every cell of the row is blank. */
export function isBlankRow(row: readonly CellValue[] | undefined): boolean {
  return row === undefined || row.every((v) => isBlank(v));
}

/** Indices of the non-blank cells of a row. */
export function filledColumns(row: readonly CellValue[] | undefined): number[] {
  const out: number[] = [];
  if (!row) return out;
  for (let c = 0; c < row.length; c++) if (!isBlank(row[c])) out.push(c);
  return out;
}

/**
 * The calendar day a spreadsheet date stands for. SheetJS builds dates at local midnight (and
 * older files carry a few seconds of float error), so the wall-clock time is rounded to the
 * nearest day before reading it.
 */
export function calendarDay(d: Date): { y: number; m: number; d: number } | null {
  const t = d.getTime();
  if (!Number.isFinite(t)) return null;
  const local = t - d.getTimezoneOffset() * 60_000;
  const day = new Date(Math.round(local / 86_400_000) * 86_400_000);
  return { y: day.getUTCFullYear(), m: day.getUTCMonth() + 1, d: day.getUTCDate() };
}

function isoDay(d: Date): string {
  const day = calendarDay(d);
  if (!day) return '';
  return `${day.y}-${String(day.m).padStart(2, '0')}-${String(day.d).padStart(2, '0')}`;
}

/** Excel's serial day number (1900 date system) as a Date at UTC midnight. */
export function excelSerialToDate(serial: number): Date {
  // Serial 25569 is 1970-01-01; the 1900 leap-year bug only affects serials below 61.
  return new Date(Math.round((serial - 25569) * 86_400_000));
}

/** Leading indentation of a label written with spaces (ASCII, full-width or NBSP). */
export function hasLeadingIndent(v: CellValue | undefined): boolean {
  return typeof v === 'string' && /^[ \t\u00a0\u3000]+\S/.test(v);
}

/**
 * A row's text cells joined, when they cite a URL: the lines of a Sources/资料来源 sheet kept with a
 * file's notes (shape/index.ts's noteLines, the streaming path's workbook reader); null otherwise.
 */
export function citingLine(row: readonly CellValue[]): string | null {
  const text = row.filter((v) => typeof v === 'string' && v.trim() !== '').join(' ');
  return /https?:\/\//.test(text) ? text : null;
}
