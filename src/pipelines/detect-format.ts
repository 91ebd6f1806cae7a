// What a file is, from its bytes alone. Statistics sites routinely serve HTML tables, CSVs and zips
// with a `.xls` name (or a `.csv` that is really an xlsx), so the extension is never consulted.
import { isUtf8 } from 'node:buffer';
import { analyse } from 'chardet';
import { entryHead, localEntries } from '../zip.js';
import type { FileFormat } from './types.js';

/**
 * What detectFormat finds: a file format, or `csv-zip` (a zip of CSV files, as the World Bank's bulk
 * downloads and other portals serve: parsed as CSV, one sheet per entry), `html-page` (not data)
 * or `unknown`.
 */
export type DetectedFormat = FileFormat | 'csv-zip' | 'html-page' | 'unknown';

/** Text encodings the CSV and HTML readers decode; the ones Chinese, Japanese and English statistics offices use. */
export type TextEncoding = 'utf-8' | 'gb18030' | 'shift_jis' | 'utf-16le' | 'utf-16be';

const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const OLE2 = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const ODS_MIMETYPE = 'application/vnd.oasis.opendocument.spreadsheet';
/** How many bytes the text/binary sniffing looks at; enough for a title, a header and some rows. */
const SNIFF_BYTES = 8192;

/**
 * The format of a file from its content.
 *
 * `head` may be the first few kB of a workbook (the first zip entry's name or the OLE2 signature
 * decides), but should be the whole file for text: an HTML file is searched in full for a `<table`.
 *
 * - zip with entries under `xl/` → `xlsx`; zip whose `mimetype` entry says spreadsheet → `ods`;
 *   another zip holding `.csv` entries → `csv-zip`
 * - OLE2 compound file → `xls` (an encrypted xlsx is OLE2 too; the reader reports it as password-protected)
 * - text starting with `<` that contains a `<table` → `html` (a "web page" saved as .xls)
 * - Excel 2003 XML (SpreadsheetML) → `xls`, the format Excel itself gives it when saved as .xls
 * - `<!DOCTYPE html` / `<html` without a table → `html-page` (an error or login page, not data)
 * - other text → `csv`; other binary → `unknown`
 */
export function detectFormat(head: Buffer): DetectedFormat {
  if (startsWith(head, ZIP)) return detectZip(head);
  if (startsWith(head, OLE2)) return 'xls';
  if (head.length === 0) return 'csv';

  const encoding = sniffEncoding(head.subarray(0, SNIFF_BYTES));
  if (encoding === null && looksBinary(head.subarray(0, SNIFF_BYTES))) return 'unknown';

  // Markup keywords are ASCII, so latin1 finds them in UTF-8, GB18030 and Shift_JIS alike;
  // only UTF-16 needs real decoding first.
  const text = encoding === 'utf-16le' || encoding === 'utf-16be' ? decodeUtf16(head, encoding) : head.toString('latin1');
  const start = text.replace(/^\uFEFF/, '').trimStart();
  if (start.startsWith('<')) {
    const top = start.slice(0, SNIFF_BYTES);
    // SpreadsheetML has a <Table> element too, so it is recognised before HTML.
    if (/<(ss:)?Workbook[\s>]/.test(top) && !/<html[\s>]/i.test(top)) return 'xls';
    if (/<table[\s>]/i.test(text)) return 'html';
    if (/<(!doctype\s+html|html[\s>]|head[\s>]|body[\s>])/i.test(top)) return 'html-page';
    return 'unknown';
  }
  return 'csv';
}

function detectZip(buf: Buffer): DetectedFormat {
  const entries = localEntries(buf);
  // Every part of an OOXML workbook lives under xl/ (a docx uses word/), so any of them tells, even
  // in the first few kB of a file or in a truncated download where xl/workbook.xml is missing.
  if (entries.some((e) => e.name.startsWith('xl/'))) return 'xlsx';
  const mimetype = entries.find((e) => e.name === 'mimetype');
  if (mimetype && entryHead(buf, mimetype, 256).toString('latin1').trim() === ODS_MIMETYPE) return 'ods';
  if (entries.some((e) => isCsvEntry(e.name))) return 'csv-zip';
  return 'unknown';
}

/**
 * A CSV entry of a zip: a `.csv` file, not a directory, and not the `__MACOSX/._name.csv` resource
 * fork the macOS archiver adds beside every file (binary, despite its name).
 */
export function isCsvEntry(name: string): boolean {
  return /\.csv$/i.test(name) && !name.endsWith('/') && !name.startsWith('__MACOSX/') && !/(^|\/)\._/.test(name);
}

/**
 * The text encoding of `buf`.
 *
 * A BOM decides; else text that is valid UTF-8 is UTF-8 (pure ASCII included); else UTF-16 without a
 * BOM is recognised by its NUL bytes; else it is GB18030 or Shift_JIS, whichever reads the bytes as
 * more plausible text (see {@link cjkScore}).
 */
export function detectEncoding(buf: Buffer): TextEncoding {
  return sniffEncoding(buf) ?? (isUtf8(trimPartialUtf8(buf)) ? 'utf-8' : guessCjk(buf));
}

/** A BOM or the NUL pattern of UTF-16; `null` when neither. */
function sniffEncoding(buf: Buffer): TextEncoding | null {
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return 'utf-8';
  if (buf[0] === 0xff && buf[1] === 0xfe) return 'utf-16le';
  if (buf[0] === 0xfe && buf[1] === 0xff) return 'utf-16be';
  // Excel's "Unicode text" export has a BOM, but scripts write UTF-16 without one: ASCII-heavy
  // UTF-16 has NULs in every other byte, which no 8-bit encoding produces.
  const n = Math.min(buf.length, SNIFF_BYTES) & ~1;
  if (n >= 4) {
    let evenNul = 0;
    let oddNul = 0;
    for (let i = 0; i < n; i += 2) {
      if (buf[i] === 0) evenNul++;
      if (buf[i + 1] === 0) oddNul++;
    }
    const pairs = n / 2;
    if (oddNul > pairs * 0.3 && evenNul < pairs * 0.05) return 'utf-16le';
    if (evenNul > pairs * 0.3 && oddNul < pairs * 0.05) return 'utf-16be';
  }
  return null;
}

/** A buffer cut at an arbitrary length may end inside a UTF-8 sequence; drop that tail before validating. */
function trimPartialUtf8(buf: Buffer): Buffer {
  let end = buf.length;
  for (let k = 1; k <= 3 && end - k >= 0; k++) {
    const b = buf[end - k]!;
    if ((b & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead
    if (b >= 0xc0) {
      const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      if (need > k) end -= k;
    }
    break;
  }
  return buf.subarray(0, end);
}

function looksBinary(head: Buffer): boolean {
  let control = 0;
  for (const b of head) {
    // Tab, LF, FF, CR and ESC appear in text; other C0 controls (NUL above all) do not.
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0c && b !== 0x0d && b !== 0x1b) control++;
  }
  // A stray NUL in a CSV stays text (parse reports it by name); a binary file is full of controls.
  return control > Math.max(2, head.length * 0.05);
}

function decodeUtf16(buf: Buffer, encoding: 'utf-16le' | 'utf-16be'): string {
  const even = buf.subarray(0, buf.length & ~1);
  if (encoding === 'utf-16le') return even.toString('utf16le');
  const swapped = Buffer.from(even);
  swapped.swap16();
  return swapped.toString('utf16le');
}

function guessCjk(buf: Buffer): 'gb18030' | 'shift_jis' {
  const sjis = cjkScore(buf, 'shift_jis');
  const gb = cjkScore(buf, 'gb18030');
  if (sjis !== gb) return sjis > gb ? 'shift_jis' : 'gb18030';
  // A tie means a handful of high bytes at most; chardet's statistics are the best remaining hint.
  const confidence = (name: string) => analyse(buf).find((m) => m.name === name)?.confidence ?? 0;
  // Remaining ties go to GB18030: the project's sources are mostly Chinese.
  return confidence('Shift_JIS') > confidence('GB18030') ? 'shift_jis' : 'gb18030';
}

/**
 * How plausible `buf` is as text in `encoding`: +1 per common double-byte character, −1 per rare
 * one, −5 per invalid sequence. Both encodings can "decode" most of the other's bytes, but GBK's
 * hanzi (lead bytes B0–F7) read as Shift_JIS become half-width katakana and broken pairs, while
 * Shift_JIS kanji and kana (lead bytes 81–9F) read as GB18030 fall outside GB2312 into the rarely
 * used GBK extension. Byte-level scoring sees this without a frequency table (chardet's single-byte
 * probers are unreliable on the short label-heavy texts statistics tables are).
 */
export function cjkScore(buf: Buffer, encoding: 'gb18030' | 'shift_jis'): number {
  let score = 0;
  const n = buf.length;
  let i = 0;
  while (i < n) {
    const b = buf[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    const t = i + 1 < n ? buf[i + 1]! : -1;
    if (encoding === 'gb18030') {
      if (b === 0x80 || b === 0xff) {
        score -= 5;
        i++;
      } else if (t >= 0x30 && t <= 0x39) {
        // Four-byte GB18030: characters beyond GBK, rare in statistics tables.
        const ok = i + 3 < n && buf[i + 2]! >= 0x81 && buf[i + 2]! <= 0xfe && buf[i + 3]! >= 0x30 && buf[i + 3]! <= 0x39;
        score -= ok ? 1 : 5;
        i += ok ? 4 : 1;
      } else if (b >= 0xa1 && b <= 0xf7 && t >= 0xa1 && t <= 0xfe) {
        score += 1; // GB2312: the common hanzi and punctuation
        i += 2;
      } else if (t >= 0x40 && t <= 0xfe && t !== 0x7f) {
        score -= 1; // GBK extension
        i += 2;
      } else {
        score -= 5;
        i++;
      }
    } else {
      if (b >= 0xa1 && b <= 0xdf) {
        score -= 1; // half-width katakana: legal but rare in modern tables
        i++;
      } else if (((b >= 0x81 && b <= 0x9f) || (b >= 0xe0 && b <= 0xfc)) && ((t >= 0x40 && t <= 0x7e) || (t >= 0x80 && t <= 0xfc))) {
        score += b >= 0xf0 ? -1 : 1; // F0–FC is the user-defined area
        i += 2;
      } else {
        score -= 5;
        i++;
      }
    }
  }
  return score;
}

function startsWith(buf: Buffer, magic: Buffer): boolean {
  return buf.length >= magic.length && buf.subarray(0, magic.length).equals(magic);
}
