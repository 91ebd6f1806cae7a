// Reads period labels (`2023年1-6月`, `Jan-Jun 2023`, `令和5年`, `2023-Q2`) into the canonical
// periods of DESIGN.md: `2023` (year), `2023-Q2` (quarter), `2023-06` with kind `month` (that month
// alone) or `ytd` (cumulative from January to that month). Pure; never throws; returns null rather
// than guessing.
//
// Decisions:
// - A cumulative range that equals a calendar unit is returned as that unit, otherwise as ytd:
//   `1-1月` is the month `2023-01`; `1-3月` is the quarter `2023-Q1` (Jan–Mar cumulative is Q1);
//   `1-12月` is the year `2023`; `1-6月`, `1-9月`, `2月累计`… are ytd. A non-cumulative three-month
//   span on quarter boundaries (`4-6月`, `Apr-Jun`) is that quarter.
// - Spans the canonical forms cannot express are null, not approximated: `2-5月`, the second half
//   (`下半年`, `H2`, `下期`), and fiscal sub-periods (`2023年度上期`, `FY2023 Q1`).
// - `年度` and `FY` alone are read as the year, as the brief asks, although Japanese 年度 is a fiscal
//   year (April–March); the source's config is the place to say so if it matters.
// - Japanese `上期`/`上半期` after a calendar year (`2023年上期`) is January–June (ytd 6), as the
//   Ministry of Finance trade statistics use it.
// - Strings name years 1900–2100 (yearbooks go back to 1949); a JS number is a year only when it is
//   an integer in 1990–2100, because numeric cells in that range are more often values.
// - A Date is the month it falls in, after rounding to the nearest UTC day: SheetJS builds dates at
//   local midnight, which in UTC+8 is the previous day's 16:00 UTC.
// - Anything left over (`2019?`, `2023-06-30`, `202306`) makes the label not a period.

import type { PeriodKind } from '../types.js';
import { memoise, memoiseCopy } from './memo.js';

export type { PeriodKind };

export interface ParsedPeriod {
  /** Canonical period: `2023`, `2023-Q2` or `2023-06`. */
  period: string;
  kind: PeriodKind;
  /** months covered, e.g. 6 for Jan–Jun */
  months: number;
}

/** Labels longer than this are titles or notes, not period labels (also bounds the regex work). */
const MAX_LABEL_LENGTH = 64;
const MIN_STRING_YEAR = 1900;
const MAX_YEAR = 2100;
const MIN_NUMBER_YEAR = 1990;

const ERAS: Record<string, number> = { 令和: 2018, 平成: 1988, 昭和: 1925 };

// A Map, not an object, so that `constructor` is not a month.
const MONTH_NAMES = new Map<string, number>(Object.entries({
  jan: 1, january: 1, feb: 2, february: 2, mar: 3, march: 3, apr: 4, april: 4, may: 5,
  jun: 6, june: 6, jul: 7, july: 7, aug: 8, august: 8, sep: 9, sept: 9, september: 9,
  oct: 10, october: 10, nov: 11, november: 11, dec: 12, december: 12,
}));

const CJK_DIGITS: Record<string, number> = {
  一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9,
};

/** `6`, `06`, `六`, `十二`, `二十` → number; null when not a small number. */
function smallNumber(text: string): number | null {
  if (/^\d{1,2}$/.test(text)) return Number(text);
  if (text === '元') return 1;
  if (text === '十') return 10;
  const m = /^([一二两三四五六七八九]?)(十?)([一二三四五六七八九]?)$/.exec(text);
  if (m === null || text === '') return null;
  const [, tens = '', ten = '', units = ''] = m;
  if (ten === '') return tens !== '' && units === '' ? (CJK_DIGITS[tens] ?? null) : null;
  return (tens === '' ? 1 : (CJK_DIGITS[tens] ?? 0)) * 10 + (units === '' ? 0 : (CJK_DIGITS[units] ?? 0));
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

function yearPeriod(year: number): ParsedPeriod {
  return { period: String(year), kind: 'year', months: 12 };
}
function monthPeriod(year: number, month: number): ParsedPeriod | null {
  if (month < 1 || month > 12) return null;
  return { period: `${year}-${pad2(month)}`, kind: 'month', months: 1 };
}
function quarterPeriod(year: number, quarter: number): ParsedPeriod | null {
  if (quarter < 1 || quarter > 4) return null;
  return { period: `${year}-Q${quarter}`, kind: 'quarter', months: 3 };
}

/** A span of months `from..to` within one year (see the decisions above). */
function rangePeriod(year: number, from: number, to: number): ParsedPeriod | null {
  if (from < 1 || to > 12 || from > to) return null;
  if (from === to) return monthPeriod(year, from);
  if (from === 1 && to === 12) return yearPeriod(year);
  if (to - from === 2 && from % 3 === 1) return quarterPeriod(year, (from + 2) / 3);
  if (from === 1) return { period: `${year}-${pad2(to)}`, kind: 'ytd', months: to };
  return null;
}

/** NFKC (full-width digits, `～`, `㍻`), dashes and `至` to `-`, lower case, single spaces. */
function normalise(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u2010-\u2015\u2212\u301c\u30fc~至到]/g, '-')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/** Replaces a Japanese era year (`令和5年`, `平成元年`, `令和五年`) with the Gregorian `2023年`. */
function replaceEra(s: string): string | null {
  const m = /^(令和|平成|昭和) ?([0-9]{1,2}|元|[一二三四五六七八九十]{1,3}) ?年/.exec(s);
  if (m === null) return s;
  const base = ERAS[m[1] ?? ''];
  const n = smallNumber(m[2] ?? '');
  if (base === undefined || n === null || n < 1) return null;
  return `${base + n}年${s.slice(m[0].length)}`;
}

type SubPeriod = { kind: 'year' } | { kind: 'range'; from: number; to: number } | { kind: 'quarter'; quarter: number };

const NUM = '([0-9]{1,2}|[一二两三四五六七八九十]{1,3})';
const RE_MONTH_RANGE = new RegExp(`^${NUM} ?月? ?- ?${NUM} ?月(?:份)? ?(累计|累計|期)?$`);
const RE_MONTH = new RegExp(`^${NUM} ?月(?:份)? ?(累计|累計)?$`);
const RE_QUARTER_CJK = /^第? ?([1-4一二三四]) ?(?:季度|季|四半期)$/;
const RE_QUARTER_RANGE_CJK = /^第? ?([1-4一二三四]) ?(?:季度)? ?- ?第? ?([1-4一二三四]) ?(?:季度|季)$/;
const RE_FIRST_QUARTERS = /^前 ?([1-4一二两三四]) ?个? ?季度$/;
const RE_QUARTER_EN = /^(?:q ?([1-4])|([1-4]) ?q|quarter ?([1-4])|([1-4])(?:st|nd|rd|th) quarter)$/;
const RE_MONTH_NAME_RANGE = /^([a-z]{3,9})\.? ?- ?([a-z]{3,9})\.?$/;
const RE_MONTH_NAME = /^([a-z]{3,9})\.?$/;

/** Reads the part of a label that is not the year. */
function readSubPeriod(r: string): SubPeriod | null {
  if (r === '' || r === '全年' || r === '年') return { kind: 'year' };
  let m = RE_MONTH_RANGE.exec(r);
  if (m !== null) {
    const from = smallNumber(m[1] ?? '');
    const to = smallNumber(m[2] ?? '');
    return from === null || to === null ? null : { kind: 'range', from, to };
  }
  m = RE_MONTH.exec(r);
  if (m !== null) {
    const month = smallNumber(m[1] ?? '');
    if (month === null) return null;
    // `6月累计` is January to June.
    return { kind: 'range', from: m[2] === undefined ? month : 1, to: month };
  }
  m = RE_QUARTER_CJK.exec(r);
  if (m !== null) return { kind: 'quarter', quarter: smallNumber(m[1] ?? '') ?? Number(m[1]) };
  m = RE_QUARTER_RANGE_CJK.exec(r);
  if (m !== null) {
    const a = smallNumber(m[1] ?? '') ?? Number(m[1]);
    const b = smallNumber(m[2] ?? '') ?? Number(m[2]);
    return { kind: 'range', from: a * 3 - 2, to: b * 3 };
  }
  m = RE_FIRST_QUARTERS.exec(r);
  if (m !== null) {
    const q = smallNumber(m[1] ?? '') ?? Number(m[1]);
    return { kind: 'range', from: 1, to: q * 3 };
  }
  m = RE_QUARTER_EN.exec(r);
  if (m !== null) return { kind: 'quarter', quarter: Number(m[1] ?? m[2] ?? m[3] ?? m[4]) };
  if (['上半年', '上半期', '上期', 'h1', '1h', 'first half', '1st half', 'half 1'].includes(r)) {
    return { kind: 'range', from: 1, to: 6 };
  }
  m = RE_MONTH_NAME_RANGE.exec(r);
  if (m !== null) {
    const from = MONTH_NAMES.get(m[1] ?? '');
    const to = MONTH_NAMES.get(m[2] ?? '');
    return from === undefined || to === undefined ? null : { kind: 'range', from, to };
  }
  m = RE_MONTH_NAME.exec(r);
  if (m !== null) {
    const month = MONTH_NAMES.get(m[1] ?? '');
    return month === undefined ? null : { kind: 'range', from: month, to: month };
  }
  return null;
}

function build(year: number, sub: SubPeriod): ParsedPeriod | null {
  if (!Number.isInteger(year) || year < MIN_STRING_YEAR || year > MAX_YEAR) return null;
  switch (sub.kind) {
    case 'year':
      return yearPeriod(year);
    case 'quarter':
      return quarterPeriod(year, sub.quarter);
    case 'range':
      return rangePeriod(year, sub.from, sub.to);
  }
}

function parseDate(d: Date): ParsedPeriod | null {
  const t = d.getTime();
  if (!Number.isFinite(t)) return null;
  const rounded = new Date(Math.round(t / 86_400_000) * 86_400_000);
  const year = rounded.getUTCFullYear();
  if (year < MIN_STRING_YEAR || year > MAX_YEAR) return null;
  return monthPeriod(year, rounded.getUTCMonth() + 1);
}

function parseString(text: string, contextYear: number | undefined): ParsedPeriod | null {
  if (text.length > MAX_LABEL_LENGTH * 2) return null;
  const normalised = normalise(text);
  if (normalised === '' || normalised.length > MAX_LABEL_LENGTH) return null;
  const s = replaceEra(normalised);
  if (s === null) return null;

  // Fiscal-year labels: the year, and nothing finer.
  let m = /^(?:fy ?(\d{4})|(\d{4}) ?fy|(\d{4}) ?年度)$/.exec(s);
  if (m !== null) return build(Number(m[1] ?? m[2] ?? m[3]), { kind: 'year' });
  if (/^fy|fy$|年度/.test(s)) return null;

  // Dates are not periods.
  if (/^\d{4}([-/.])\d{1,2}\1\d{1,2}$/.test(s)) return null;
  // Numeric months: `2023-06`, `2023/6`, `2023.06`, `2023m06`, `06/2023`.
  m = /^(\d{4}) ?(?:[-/.]|m) ?(\d{1,2})$/.exec(s);
  if (m !== null) return build(Number(m[1]), { kind: 'range', from: Number(m[2]), to: Number(m[2]) });
  m = /^(\d{1,2}) ?[-/.] ?(\d{4})$/.exec(s);
  if (m !== null) return build(Number(m[2]), { kind: 'range', from: Number(m[1]), to: Number(m[1]) });
  // `2023.1-6`, `2023/1-6`
  m = /^(\d{4})[./](\d{1,2}) ?- ?(\d{1,2})$/.exec(s);
  if (m !== null) return build(Number(m[1]), { kind: 'range', from: Number(m[2]), to: Number(m[3]) });

  // Year first: `2023年1-6月`, `2023 H1`, `2023-Q2`, `2023年上期`, `2023 Jan`.
  m = /^(\d{4})(?![0-9])(.*)$/.exec(s);
  if (m !== null) {
    const rest = (m[2] ?? '').replace(/^[ \-/.,年]+/, '').trim();
    const sub = readSubPeriod(rest);
    return sub === null ? null : build(Number(m[1]), sub);
  }
  // Year last: `Jan-Jun 2023`, `H1 2023`, `Q1/2023`, `June, 2023`.
  m = /^(.*[^0-9])(\d{4}) ?年?$/.exec(s);
  if (m !== null) {
    const rest = (m[1] ?? '').replace(/[ \-/.,]+$/, '').trim();
    if (rest === '') return null;
    const sub = readSubPeriod(rest);
    return sub === null || sub.kind === 'year' ? null : build(Number(m[2]), sub);
  }
  // No year: `1-6月`, `上半年`, `Jan`, `一季度` take the context year.
  if (contextYear === undefined) return null;
  const sub = readSubPeriod(s);
  if (sub === null || sub.kind === 'year') return null;
  return build(contextYear, sub);
}

/** Reads a period label. `context.year` fills year-less labels such as `1-6月` or `Jan-Jun`. Returns null when the text is not a period. */
export function parsePeriod(text: string | number | Date, context?: { year?: number }): ParsedPeriod | null {
  try {
    if (typeof text === 'number') {
      return Number.isInteger(text) && text >= MIN_NUMBER_YEAR && text <= MAX_YEAR ? yearPeriod(text) : null;
    }
    if (text instanceof Date) return parseDate(text);
    if (typeof text !== 'string') return null;
    return stringReader(context?.year)(text);
  } catch {
    // Defensive only: no path above throws, but a label must never crash a run.
    return null;
  }
}

/** One remembering reader per context year (see memo.ts); a handful of years per table. */
const readers = new Map<number | undefined, (text: string) => ParsedPeriod | null>();
const MAX_READERS = 64;

function stringReader(year: number | undefined): (text: string) => ParsedPeriod | null {
  let reader = readers.get(year);
  if (reader === undefined) {
    if (readers.size >= MAX_READERS) readers.clear();
    reader = memoiseCopy((text: string) => parseString(text, year));
    readers.set(year, reader);
  }
  return reader;
}

const looksLikePeriodText = memoise((text: string) => parseString(text, 2000) !== null);

/** Cheap check for header detection (year-less labels count). */
export function looksLikePeriod(text: string | number | Date): boolean {
  if (typeof text === 'string') {
    try {
      return looksLikePeriodText(text);
    } catch {
      return false;
    }
  }
  return parsePeriod(text, { year: 2000 }) !== null;
}
