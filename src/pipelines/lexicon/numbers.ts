// Reads spreadsheet cells as numbers the way statistics tables write them (Chinese, Japanese and
// English publishers). Pure, never throws, never turns a non-number into a number: anything it
// does not recognise is `value: null` with an `error`, which the normaliser turns into a reject
// (STYLE.md habit 9: unparseable is null with a reason, never 0).
//
// The string path is a single left-to-right scanner rather than a regular expression, so every
// input is read in linear time (a 100k-character cell of `1,1,1,…` cannot cause backtracking).
//
// Decisions:
// - A comma is a thousands separator only when every group after the first has exactly three
//   digits (`1,234.5`, `12,345,678`). A lone decimal comma (`12,5`, `1.234,5`) is an error: we do
//   not guess between European decimals and a mistyped grouping.
// - Spaces (including NBSP, thin and ideographic spaces) may group thousands the same way
//   (`1 234 567`) and may separate a sign, mark or percent sign from the number (`- 5`, `12.5 %`).
// - Exponent notation (`1.5e+21`, `1E-7`) is a number, because that is how JavaScript writes
//   large and small doubles. A lone trailing `e` (`12e`) is the "estimate" footnote mark.
// - `(123)` is -123 only when the parentheses hold the whole number (a `%` may sit inside) and no
//   letter mark (`p`, `(r)`, …) follows; `(123) p` is an error rather than a guess.
// - `△123` / `▲123` are negatives (Japanese convention).
// - Negative zero is returned as 0: the warehouse has no use for -0.
// - Error messages quote the cell truncated to 40 characters (an ellipsis marks the cut).

/** A cell read as a number. Exactly one of `value`, `missing` and `error` carries the meaning. */
export interface ParsedNumber {
  /** The number, after marks, signs and separators are read; null when missing or not a number. */
  value: number | null;
  /** The publisher's "no data" marker as written (`—`, `…`, `n.a.`, `x`), or `''` for a blank cell. */
  missing?: string;
  /** A footnote mark stripped from the value as written (`*`, `①`, `(p)`, `†`). */
  mark?: string;
  /** Why the cell is not a number; becomes the reject reason. */
  error?: string;
  /** True when the cell carried `%`/`％`; the value is not divided by 100 (`12.5%` is 12.5). */
  percent?: boolean;
}

/** Exact "no data" markers (compared after trimming; letter markers case-insensitively). */
const MISSING_EXACT = new Set([
  '—', '–', '-', '--', '…', '...', '..', '－', '―', '/', '*', '／', '＊', '×',
]);
const MISSING_LETTERS = new Set(['x', 'n.a.', 'n.a', 'n/a', 'na', 'ｘ', 'ｎ.ａ.', 'ｎ／ａ']);
/** Runs of dash-like characters (`——`, `－－`, Japanese `ー`) also mean "no data". */
const DASHES = new Set(['-', '—', '–', '－', '―', '‐', '‑', '‒', '─', '━', 'ー', 'ｰ', '−']);
/** Runs of dot-like characters (`……`, `・・・`) also mean "no data" (a single `.` does not). */
const DOTS = new Set(['.', '…', '‥', '・', '･', '．']);

const EXCEL_ERRORS = new Set([
  '#NULL!', '#DIV/0!', '#VALUE!', '#REF!', '#NAME?', '#NUM!', '#N/A', '#GETTING_DATA', '#SPILL!',
  '#CALC!', '#FIELD!', '#BLOCKED!', '#CONNECT!', '#BUSY!', '#UNKNOWN!',
]);

const SUPERSCRIPT_DIGITS = '¹²³⁰⁴⁵⁶⁷⁸⁹';
const MAX_NUMBER_LENGTH = 1000;

/** Reads a cell as a number the way statistics tables write them. Never throws, never turns a non-number into a number. */
export function parseNumber(raw: string | number | boolean | Date | null | undefined): ParsedNumber {
  try {
    return parseAny(raw);
  } catch {
    // Defensive only: the scanner below has no throwing paths, but a cell must never crash a run.
    return { value: null, error: `not a number: ${describe(raw)}` };
  }
}

function parseAny(raw: unknown): ParsedNumber {
  if (raw === null || raw === undefined) return { value: null, missing: '' };
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) return { value: null, error: `not a finite number: ${String(raw)}` };
    return { value: raw === 0 ? 0 : raw };
  }
  if (typeof raw === 'boolean') return { value: null, error: 'a boolean, not a number' };
  if (raw instanceof Date) return { value: null, error: 'a date, not a number' };
  if (typeof raw !== 'string') return { value: null, error: `not a number: ${describe(raw)}` };
  return parseString(raw);
}

function describe(raw: unknown): string {
  let s: string;
  try {
    s = typeof raw === 'string' ? raw.trim() : String(raw);
  } catch {
    s = typeof raw;
  }
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

/** Full-width ASCII to ASCII, odd spaces to a space, the minus sign to `-`. Linear, one pass. */
export function toHalfWidth(s: string): string {
  // Most cells are plain ASCII: skip the copy.
  if (!/[\u0080-\uffff]/.test(s)) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xff01 && c <= 0xff5e) out += String.fromCharCode(c - 0xfee0);
    else if (c === 0x3000 || c === 0x00a0 || c === 0x2009 || c === 0x202f || c === 0x2007 || c === 0x2002 || c === 0x2003) out += ' ';
    else if (c === 0x2212 || c === 0xfe63) out += '-';
    else if (c === 0xfe6a) out += '%';
    else out += s[i];
  }
  return out;
}

function missingMarker(t: string): string | null {
  if (MISSING_EXACT.has(t) || MISSING_LETTERS.has(t.toLowerCase())) return t;
  let allDashes = true;
  let allDots = true;
  for (const ch of t) {
    if (!DASHES.has(ch)) allDashes = false;
    if (!DOTS.has(ch)) allDots = false;
    if (!allDashes && !allDots) return null;
  }
  if (allDashes) return t;
  if (allDots && t !== '.') return t;
  return null;
}

const isDigit = (ch: string | undefined): boolean => ch !== undefined && ch >= '0' && ch <= '9';
const isSpace = (ch: string | undefined): boolean => ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r';
const isLatinLetter = (ch: string | undefined): boolean =>
  ch !== undefined && ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z'));

/**
 * A plain decimal (`8730510.66`, `-12`, `0.5`) as CSV exports write every cell: read at once,
 * without the scanner (issue 6). Anything else, a sign of `+`, grouping, marks, spaces, goes the
 * long way. Twenty characters keep every match finite.
 */
const PLAIN_DECIMAL = /^-?[0-9]+(?:\.[0-9]+)?$/;
const PLAIN_MAX = 20;

function parseString(raw: string): ParsedNumber {
  if (raw.length <= PLAIN_MAX && PLAIN_DECIMAL.test(raw)) {
    const value = Number(raw);
    // Negative zero is returned as 0, as below.
    return { value: value === 0 ? 0 : value };
  }
  const t = raw.trim();
  if (t === '') return { value: null, missing: '' };
  // The longest way to write a double (toLocaleString of 1.7e308) is about 410 characters; longer
  // cells are text, and refusing them early keeps every later step cheap.
  if (t.length > MAX_NUMBER_LENGTH) return { value: null, error: `not a number: ${describe(t)}` };
  const missing = missingMarker(t);
  if (missing !== null) return { value: null, missing };
  const s = toHalfWidth(t).trim();
  const missingHalf = missingMarker(s);
  if (missingHalf !== null) return { value: null, missing: t };
  if (s.startsWith('#') && EXCEL_ERRORS.has(s.toUpperCase())) {
    return { value: null, error: `Excel error ${s.toUpperCase()}` };
  }
  const notANumber: ParsedNumber = { value: null, error: `not a number: ${describe(t)}` };

  let i = 0;
  const n = s.length;
  const skipSpaces = (): void => {
    while (i < n && isSpace(s[i])) i++;
  };
  const readDigits = (): string => {
    const start = i;
    while (isDigit(s[i])) i++;
    return s.slice(start, i);
  };

  let negative = false;
  let percent = false;
  let paren = false;
  let sign = '';

  // Prefix: Japanese triangle negative, a leading percent sign, a sign, or an opening parenthesis.
  if (s[i] === '△' || s[i] === '▲') {
    negative = true;
    i++;
    skipSpaces();
  }
  if (s[i] === '%') {
    percent = true;
    i++;
    skipSpaces();
  }
  if (!negative && (s[i] === '+' || s[i] === '-')) {
    sign = s[i] === '-' ? '-' : '';
    i++;
    skipSpaces();
  }
  if (!negative && sign === '' && s[i] === '(' && !percent) {
    paren = true;
    i++;
    skipSpaces();
  }

  // Integer part, possibly grouped in threes by `,` or spaces (one separator kind per number).
  let intDigits = '';
  let groupSep = '';
  let groups = 0;
  let badGrouping = false;
  let firstGroupLength = 0;
  intDigits = readDigits();
  firstGroupLength = intDigits.length;
  while (intDigits.length > 0 && (s[i] === ',' || s[i] === ' ') && isDigit(s[i + 1])) {
    const sep = s[i] as string;
    if (groupSep !== '' && sep !== groupSep) {
      badGrouping = true;
      break;
    }
    groupSep = sep;
    i++;
    const group = readDigits();
    groups++;
    if (group.length !== 3) {
      badGrouping = true;
      break;
    }
    intDigits += group;
  }
  if (groups > 0 && firstGroupLength > 3) badGrouping = true;
  if (badGrouping) {
    const comma = s.indexOf(',');
    const lonelyComma = comma >= 0 && comma === s.lastIndexOf(',') && s.indexOf('.') < 0;
    if (groupSep === ',' && lonelyComma && !/^\d{3}(?!\d)/.test(s.slice(comma + 1))) {
      return { value: null, error: `not a number: ${describe(t)} (a decimal comma? not guessed)` };
    }
    return notANumber;
  }

  // Fraction and exponent.
  let fraction = '';
  if (s[i] === '.') {
    i++;
    fraction = readDigits();
  }
  if (intDigits === '' && fraction === '') return notANumber;
  let exponent = '';
  if ((s[i] === 'e' || s[i] === 'E') && groups === 0) {
    let j = i + 1;
    let expSign = '';
    if (s[j] === '+' || s[j] === '-') {
      expSign = s[j] === '-' ? '-' : '';
      j++;
    }
    if (isDigit(s[j])) {
      i = j;
      exponent = expSign + readDigits();
    }
  }

  if (paren) {
    skipSpaces();
    if (s[i] === '%') {
      percent = true;
      i++;
      skipSpaces();
    }
    if (s[i] !== ')') return notANumber;
    i++;
    negative = true;
  }

  // Suffix: a percent sign and footnote marks in any order.
  let mark = '';
  let letterMark = false;
  for (;;) {
    skipSpaces();
    if (i >= n) break;
    const ch = s[i] as string;
    if (ch === '%') {
      if (percent) return notANumber;
      percent = true;
      i++;
      continue;
    }
    if (ch === '*' || ch === '†' || ch === '‡' || ch === '#' || SUPERSCRIPT_DIGITS.includes(ch)) {
      mark += ch;
      i++;
      continue;
    }
    const code = ch.charCodeAt(0);
    if (code >= 0x2460 && code <= 0x2473) {
      mark += ch;
      i++;
      continue;
    }
    if (ch === '(' && s[i + 2] === ')' && /^[pePErR]$/.test(s[i + 1] ?? '')) {
      mark += s.slice(i, i + 3);
      letterMark = true;
      i += 3;
      continue;
    }
    if ((ch === 'p' || ch === 'e' || ch === 'r' || ch === 'P' || ch === 'E' || ch === 'R') && !isLatinLetter(s[i + 1])) {
      mark += ch;
      letterMark = true;
      i++;
      continue;
    }
    return notANumber;
  }
  if (paren && letterMark) return notANumber;

  const literal = `${sign}${intDigits === '' ? '0' : intDigits}${fraction === '' ? '' : `.${fraction}`}${exponent === '' ? '' : `e${exponent}`}`;
  let value = Number(literal);
  if (!Number.isFinite(value)) return { value: null, error: `number out of range: ${describe(t)}` };
  if (negative) value = -value;
  if (value === 0) value = 0;

  const result: ParsedNumber = { value };
  if (mark !== '') result.mark = mark;
  if (percent) result.percent = true;
  return result;
}
