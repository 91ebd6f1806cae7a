// A streaming reader for large, plain .xlsx sheets (issue 6): rows come out a batch at a time while
// the sheet's XML is inflated, so a million-row sheet is never held whole — neither its XML (a
// quarter of a gigabyte) nor its cells. SheetJS, which the whole-grid path uses, keeps both.
//
// It reads exactly what parse.ts's SheetJS read makes of a cell (with cellDates, no formulas, no
// formatted text): shared and inline strings, numbers, booleans, error texts, and numbers in a date
// format as Dates (the 1900 and 1904 systems, SheetJS's UTC conversion and its fake 1900-02-29
// left as a number). tests/pipelines/xlsx-stream.test.ts holds it to SheetJS cell by cell.
//
// Hand-written rather than a library: ExcelJS's WorkbookReader and SAX-based readers build an
// object per XML node and took longer than SheetJS on the bench's sheet; scanning the text of each
// row with indexOf is what makes the streaming path faster than the parse it replaces.
//
// What it does not read, it refuses with XlsxNeedsWholeFile (the caller then reads the file whole,
// so the answer is the same either way): zip64 or encrypted archives, parts stored with a method
// other than deflate, chart sheets, a shared-string table over 100 MiB, ISO-date (`t="d"`) cells
// and rows out of order. Merged cells follow the rows in the XML: XlsxBook.merges finds them first.
import { readFile } from 'node:fs/promises';
import { posix } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { createInflateRaw, inflateRawSync } from 'node:zlib';
import { UserError } from '../errors.js';
import { centralDirectory, ZipUnsupported, type CentralEntry } from '../zip.js';
import type { CellValue, Range } from './types.js';

/** Thrown when a workbook needs what only the whole-grid read gives; nothing has been decided from it. */
export class XlsxNeedsWholeFile extends Error {
  override name = 'XlsxNeedsWholeFile';
}

/** As parse.ts: the largest inflated part accepted; past it the file is refused as a zip bomb. */
const MAX_INFLATED_PART = 500 * 1024 * 1024;
/** A shared-string table is held whole (cells index it); past this the worker-bounded whole read takes over. */
const MAX_SHARED_STRINGS = 100 * 1024 * 1024;
/** Excel's last column is XFD (16384). */
const MAX_COLUMNS = 16_384;

export interface XlsxSheetInfo {
  name: string;
  /** The worksheet part, e.g. `xl/worksheets/sheet1.xml`. */
  part: string;
}

export interface SheetReadResult {
  /** Rows handed to `onRows`, blank rows between others included. */
  rows: number;
}

const MERGE_CELL = Buffer.from('mergeCell ', 'latin1');
/**
 * The search for merged ranges inflates 4 MiB at a time: each piece is one round of the event loop,
 * and beside a read of the same sheet (stream.ts, streamWorkbook) 64 KiB pieces went at the read's
 * pace, one per row chunk, instead of zlib's on libuv's threads.
 */
const SEARCH_CHUNK = 4 << 20;

/** `B2:D3` (or `B2`) → a zero-based range; null when it is not a cell range. */
function rangeOf(ref: string): Range | null {
  const m = /^([A-Za-z]{1,3})(\d+)(?::([A-Za-z]{1,3})(\d+))?$/.exec(ref);
  if (!m) return null;
  const s = { r: Number(m[2]) - 1, c: columnOf(m[1]!) };
  const e = m[3] ? { r: Number(m[4]) - 1, c: columnOf(m[3]) } : s;
  return { s, e };
}

/**
 * An .xlsx file opened for streaming: its sheets, shared strings and date styles are read up front
 * (they are small); {@link XlsxBook.readSheet} then streams one sheet's rows.
 */
export class XlsxBook {
  private constructor(
    private readonly buf: Buffer,
    private readonly entries: Map<string, CentralEntry>,
    /** Sheets in workbook order. */
    readonly sheets: XlsxSheetInfo[],
    private readonly strings: string[],
    /** Per cell style (`s`): whether its number format is a date format. */
    private readonly dateStyles: boolean[],
    private readonly date1904: boolean,
    private readonly name: string,
  ) {}

  /** Opens `path`; `name` is how messages name the file. */
  static async open(path: string, name: string): Promise<XlsxBook> {
    let buf: Buffer;
    try {
      buf = await readFile(path);
    } catch (err) {
      throw new UserError(`${name}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? String(err)})`, { cause: err });
    }
    let entries: Map<string, CentralEntry>;
    try {
      entries = centralDirectory(buf);
    } catch (err) {
      if (err instanceof ZipUnsupported) throw new XlsxNeedsWholeFile(err.message);
      throw err;
    }
    const total = [...entries.values()].reduce((sum, e) => sum + e.inflated, 0);
    for (const e of entries.values()) {
      if (e.inflated > MAX_INFLATED_PART || total > 2 * MAX_INFLATED_PART) throw new XlsxNeedsWholeFile(`${e.name} declares ${e.inflated} bytes inflated`);
    }
    const text = (part: string): string | null => {
      const e = entries.get(part);
      return e ? inflatePart(buf, e).toString('utf8') : null;
    };

    const rootRels = relationships(text('_rels/.rels') ?? '', '');
    const workbookPart = [...rootRels.values()].find((r) => r.type.endsWith('/officeDocument'))?.target ?? 'xl/workbook.xml';
    const workbook = text(workbookPart);
    if (workbook === null) throw new XlsxNeedsWholeFile(`no ${workbookPart}`);
    const rels = relationships(text(relsPartOf(workbookPart)) ?? '', posix.dirname(workbookPart));

    const sheets: XlsxSheetInfo[] = [];
    for (const tag of workbook.match(/<(?:\w+:)?sheet\b[^>]*>/g) ?? []) {
      const attrs = attributes(tag);
      const rel = rels.get(attrs['r:id'] ?? Object.entries(attrs).find(([k]) => k.endsWith(':id'))?.[1] ?? '');
      if (!rel || !rel.type.endsWith('/worksheet')) throw new XlsxNeedsWholeFile(`sheet "${attrs.name ?? ''}" is not a worksheet`);
      if (!entries.has(rel.target)) throw new XlsxNeedsWholeFile(`no part ${rel.target}`);
      sheets.push({ name: unescapeXml(attrs.name ?? ''), part: rel.target });
    }
    const pr = /<(?:\w+:)?workbookPr\b[^>]*>/.exec(workbook);
    const date1904 = pr !== null && /^(1|true)$/.test(attributes(pr[0]).date1904 ?? '');

    const relOfType = (suffix: string) => [...rels.values()].find((r) => r.type.endsWith(suffix))?.target;
    const sstPart = relOfType('/sharedStrings');
    let strings: string[] = [];
    if (sstPart !== undefined && entries.has(sstPart)) {
      if (entries.get(sstPart)!.inflated > MAX_SHARED_STRINGS) throw new XlsxNeedsWholeFile('the shared-string table is larger than the streaming reader holds');
      strings = sharedStrings(inflatePart(buf, entries.get(sstPart)!, MAX_SHARED_STRINGS).toString('utf8'));
    }
    const stylesPart = relOfType('/styles');
    const styles = stylesPart !== undefined ? text(stylesPart) : null;
    const dateStyles = styles === null ? [] : await dateStylesOf(styles);
    return new XlsxBook(buf, entries, sheets, strings, dateStyles, date1904, name);
  }

  /**
   * Streams one sheet's rows to `onRows`, a batch per inflated chunk, each row as parse's grid has
   * it (absolute: row i is spreadsheet row i+1, column j column j+1; empty cells null) but not
   * padded: a row ends at its last value. Blank rows between rows with values are passed on
   * (as empty arrays); blank rows at the end are not, as the grid's height ends at the last value.
   */
  async readSheet(sheet: XlsxSheetInfo, onRows: (rows: CellValue[][]) => Promise<void> | void): Promise<SheetReadResult> {
    const scanner = new RowScanner(this.strings, this.dateStyles, this.date1904, `${this.name}: sheet "${sheet.name}"`);
    const decoder = new StringDecoder('utf8');
    await this.inflate(sheet, async (chunk) => {
      const rows = scanner.push(decoder.write(chunk));
      if (rows.length > 0) await onRows(rows);
    });
    const rest = scanner.push(decoder.end(), true);
    if (rest.length > 0) await onRows(rest);
    return { rows: scanner.rowsOut };
  }

  /**
   * The sheet's merged ranges. They follow the rows in the sheet's XML, so the part is inflated
   * once without being parsed (zlib alone: about 0.5 s for a million rows) and searched for
   * `<mergeCell` tags, which cannot occur in cell text (there `<` is escaped). `signal` stops the
   * inflating (the promise then rejects): a caller that runs it beside {@link readSheet} stops it
   * when the read fails.
   */
  async merges(sheet: XlsxSheetInfo, signal?: AbortSignal): Promise<Range[]> {
    const out: Range[] = [];
    let carry: Buffer = Buffer.alloc(0);
    const search = (chunk: Buffer): void => {
      signal?.throwIfAborted();
      const buf = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
      let done = 0;
      for (let at = buf.indexOf(MERGE_CELL); at >= 0; at = buf.indexOf(MERGE_CELL, done)) {
        const end = buf.indexOf(0x3e, at); // `>`
        if (end < 0) break;
        const tag = buf.toString('latin1', buf.lastIndexOf(0x3c, at), end); // from `<`
        const ref = /^<(?:\w+:)?mergeCell\s/.test(tag) ? attr(tag, 'ref') : null;
        const range = ref === null ? null : rangeOf(ref);
        if (range) out.push(range);
        done = end + 1;
      }
      // A tag cut by the chunk's end is read with the next chunk.
      carry = Buffer.from(buf.subarray(Math.max(done, buf.length - 256)));
    };
    await this.inflate(sheet, search, SEARCH_CHUNK);
    return out;
  }

  /** The sheet's part inflated `chunkSize` bytes at a time, under the zip-bomb cap. */
  private async inflate(sheet: XlsxSheetInfo, onChunk: (chunk: Buffer) => Promise<void> | void, chunkSize = 1 << 16): Promise<void> {
    const entry = this.entries.get(sheet.part)!;
    const data = this.buf.subarray(entry.start, entry.start + entry.compressed);
    let inflated = 0;
    const consume = async (chunk: Buffer): Promise<void> => {
      inflated += chunk.length;
      if (inflated > MAX_INFLATED_PART) {
        throw new UserError(`${this.name}: ${sheet.part} inflates to more than ${MAX_INFLATED_PART / 1024 / 1024} MB; refused as a possible zip bomb`);
      }
      await onChunk(chunk);
    };
    if (entry.method === 0) {
      for (let at = 0; at < data.length; at += chunkSize) await consume(data.subarray(at, at + chunkSize));
      return;
    }
    const inflater = createInflateRaw({ chunkSize });
    inflater.end(data);
    try {
      for await (const chunk of inflater) await consume(chunk as Buffer);
    } catch (err) {
      inflater.destroy();
      if (err instanceof UserError || err instanceof XlsxNeedsWholeFile) throw err;
      // zlib's codes are strings (Z_DATA_ERROR); an AbortError's is a number.
      const code: unknown = (err as { code?: unknown }).code;
      if (typeof code === 'string' && code.startsWith('Z_')) throw new UserError(`${this.name}: cannot inflate ${sheet.part} (${(err as Error).message}); the file may be truncated or corrupt`, { cause: err });
      throw err;
    }
  }
}

function inflatePart(buf: Buffer, e: CentralEntry, max = MAX_INFLATED_PART): Buffer {
  const data = buf.subarray(e.start, e.start + e.compressed);
  if (e.method === 0) return data;
  try {
    return inflateRawSync(data, { maxOutputLength: max });
  } catch (err) {
    throw new XlsxNeedsWholeFile(`cannot inflate ${e.name} (${(err as Error).message})`);
  }
}

// ---------------------------------------------------------------------------------------------
// Workbook parts

interface Relationship {
  type: string;
  /** The target part, resolved against the relationship part's folder. */
  target: string;
}

function relsPartOf(part: string): string {
  return posix.join(posix.dirname(part), '_rels', `${posix.basename(part)}.rels`);
}

function relationships(xml: string, base: string): Map<string, Relationship> {
  const out = new Map<string, Relationship>();
  for (const tag of xml.match(/<(?:\w+:)?Relationship\b[^>]*>/g) ?? []) {
    const a = attributes(tag);
    if (!a.Id || !a.Target || a.TargetMode === 'External') continue;
    const target = unescapeXml(a.Target);
    out.set(a.Id, { type: a.Type ?? '', target: target.startsWith('/') ? target.slice(1) : posix.normalize(posix.join(base, target)) });
  }
  return out;
}

/** Attributes of one start tag, by their qualified name (and `id` for `r:id`). */
function attributes(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) out[m[1]!] = m[2] ?? m[3] ?? '';
  return out;
}

/** For each cell style (`cellXfs`), whether SheetJS reads its numbers as dates. */
async function dateStylesOf(xml: string): Promise<boolean[]> {
  const custom = new Map<number, string>();
  for (const tag of xml.match(/<(?:\w+:)?numFmt\b[^>]*>/g) ?? []) {
    const a = attributes(tag);
    const id = Number.parseInt(a.numFmtId ?? '', 10);
    if (Number.isInteger(id) && id > 0 && id <= 0x188) custom.set(id, unescapeXml(a.formatCode ?? ''));
  }
  const xfs = /<(?:\w+:)?cellXfs\b[^>]*>([\s\S]*?)<\/(?:\w+:)?cellXfs>/.exec(xml)?.[1] ?? '';
  const ids = (xfs.match(/<(?:\w+:)?xf\b[^>]*>/g) ?? []).map((tag) => Number.parseInt(attributes(tag).numFmtId ?? '0', 10) || 0);
  // SheetJS's own test for custom formats; loaded only when a style uses one.
  const isDate = ids.some((id) => custom.has(id)) ? (await import('xlsx')).SSF.is_date : null;
  return ids.map((id) => {
    const fmt = custom.get(id);
    return fmt !== undefined ? isDate!(fmt) : BUILTIN_DATE_FORMATS.has(id);
  });
}

/**
 * Built-in number formats SheetJS reads as dates: its table's date formats (14–22, 45–47 and the
 * 上午/下午 time 56) and the locale formats it maps implicitly to `m/d/yy`, `h:mm:ss` and the like
 * (27–36, 50–58, 71–81; parse.ts loads these into SheetJS, which otherwise drops the sheet). The
 * differential test checks each against SheetJS.
 */
export const BUILTIN_DATE_FORMATS: ReadonlySet<number> = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81]);

/** The shared-string table as SheetJS reads it: plain `<t>` text, or the runs' text without phonetic (`rPh`) runs. */
function sharedStrings(xml: string): string[] {
  const out: string[] = [];
  const open = /<(?:\w+:)?(?:si|sstItem)>/g;
  const close = /<\/(?:\w+:)?(?:si|sstItem)>/g;
  open.lastIndex = 0;
  for (let m = open.exec(xml); m !== null; m = open.exec(xml)) {
    close.lastIndex = open.lastIndex;
    const end = close.exec(xml);
    const body = xml.slice(open.lastIndex, end ? end.index : xml.length);
    out.push(stringItem(body.trim()));
    if (!end) break;
    open.lastIndex = close.lastIndex;
  }
  return out;
}

/** One `<si>` or `<is>` body's text (SheetJS's parse_si). */
function stringItem(x: string): string {
  if (x === '') return '';
  if (/^\s*<(?:\w+:)?t[^>]*>/.test(x)) {
    const text = x.slice(x.indexOf('>') + 1).split(/<\/(?:\w+:)?t>/)[0] ?? '';
    return unescapeXlsx(text);
  }
  if (/<(?:\w+:)?r\b[^<>]*>/.test(x)) {
    const runs = x.replace(/<(?:\w+:)?rPh\b[\s\S]*?<\/(?:\w+:)?rPh>/g, '').match(/<(?:\w+:)?t\b[^<>]*>([^<]*)<\/(?:\w+:)?t>/g) ?? [];
    return unescapeXlsx(runs.join('').replace(/<[^>]*>/g, ''));
  }
  return '';
}

const ENTITY = /&(?:quot|apos|gt|lt|amp|#x?([\da-fA-F]+));/gi;
const ENTITIES: Record<string, string> = { '&quot;': '"', '&apos;': "'", '&gt;': '>', '&lt;': '<', '&amp;': '&' };

function unescapeXml(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(ENTITY, (all: string, code: string | undefined) => ENTITIES[all] ?? (code === undefined ? all : String.fromCodePoint(Number.parseInt(code, /x/i.test(all) ? 16 : 10))));
}

/** XML text as an xlsx string: entities, `_xHHHH_` escapes, CRLF → LF (SheetJS's unescapexml(…, true)). */
function unescapeXlsx(s: string): string {
  let out = unescapeXml(s);
  if (out.includes('_x')) out = out.replace(/_x([\da-fA-F]{4})_/gi, (_m, c: string) => String.fromCharCode(Number.parseInt(c, 16)));
  if (out.includes('\r\n')) out = out.replace(/\r\n/g, '\n');
  return out;
}

/** Error texts SheetJS knows (others it reads as no value). */
const ERROR_TEXTS = new Set(['#NULL!', '#DIV/0!', '#VALUE!', '#REF!', '#NAME?', '#NUM!', '#N/A', '#GETTING_DATA']);

const DAY_MS = 24 * 60 * 60 * 1000;
/** 1899-12-30 UTC: SheetJS's day 0. */
const EPOCH_MS = Date.UTC(1899, 11, 30);

/** SheetJS's numdate: serial → UTC Date; the fake 1900-02-29 (60.x) stays a number. */
function serialDate(v: number): Date | number {
  if (v >= 60 && v < 61) return v;
  return new Date((v > 60 ? v : v + 1) * DAY_MS + EPOCH_MS);
}

// ---------------------------------------------------------------------------------------------
// The sheet's rows

/**
 * Turns the sheet XML, fed in pieces, into rows. Between pieces it keeps only the unfinished tail
 * (at most one row's text). Tags may carry a namespace prefix (`x:row`), taken from `<sheetData>`.
 */
class RowScanner {
  private text = '';
  /** Before `<sheetData>`, in it, after it. */
  private state: 'before' | 'rows' | 'after' = 'before';
  private rowTag = '<row';
  private rowClose = '</row>';
  private cellTag = '<c';
  private cellClose = '</c>';
  private dataClose = '</sheetData>';
  private vOpen = '<v>';
  private vClose = '</v>';
  private vTag = /<v\b[^>]*>([^<]*)<\/v>/;
  private isTag = /<is>([\s\S]*?)<\/is>/;
  /** Spreadsheet rows handed out so far (row index of the next one). */
  rowsOut = 0;
  /** Blank rows seen since the last row with a value: passed on only when another such row follows. */
  private blanks = 0;
  /** The previous row's number (1-based) as the file gives it. */
  private lastRow = 0;
  /** Bounds of the `r`, `t` and `s` values in the start tag {@link plainTag} last read; -1 when absent. */
  private rFrom = -1;
  private rTo = -1;
  private tFrom = -1;
  private tTo = -1;
  private sFrom = -1;
  private sTo = -1;

  constructor(
    private readonly strings: string[],
    private readonly dateStyles: boolean[],
    private readonly date1904: boolean,
    private readonly where: string,
  ) {}

  push(piece: string, atEnd = false): CellValue[][] {
    const out: CellValue[][] = [];
    // Joined rather than `+`, which makes a rope: the char-code reads below are far slower on one
    // (the scan took nearly twice as long), and join makes a flat string.
    let s = [this.text, piece].join('');
    if (this.state === 'before') {
      const m = /<(\w+:)?sheetData\b[^>]*?(\/?)>/.exec(s);
      if (m === null) {
        this.text = atEnd ? '' : s.slice(Math.max(0, s.lastIndexOf('<')));
        return out;
      }
      const p = m[1] ?? '';
      this.vTag = new RegExp(`<${p}v\\b[^>]*>([^<]*)</${p}v>`);
      this.isTag = new RegExp(`<${p}is>([\\s\\S]*?)</${p}is>`);
      this.rowTag = `<${p}row`;
      this.rowClose = `</${p}row>`;
      this.cellTag = `<${p}c`;
      this.cellClose = `</${p}c>`;
      this.dataClose = `</${p}sheetData>`;
      this.vOpen = `<${p}v>`;
      this.vClose = `</${p}v>`;
      s = s.slice(m.index + m[0].length);
      this.state = m[2] === '/' ? 'after' : 'rows';
    }
    let pos = 0;
    if (this.state === 'rows') {
      for (;;) {
        const rs = s.indexOf('<', pos);
        if (rs < 0) {
          pos = s.length;
          break;
        }
        if (s.startsWith(this.dataClose, rs)) {
          this.state = 'after';
          pos = rs + this.dataClose.length;
          break;
        }
        if (!s.startsWith(this.rowTag, rs) || !isNameEnd(s.charCodeAt(rs + this.rowTag.length))) {
          // Something else between rows (a comment, whitespace handled above): skip the tag.
          const gt = s.indexOf('>', rs);
          if (gt < 0) {
            pos = rs;
            break;
          }
          pos = gt + 1;
          continue;
        }
        const openEnd = s.indexOf('>', rs);
        if (openEnd < 0) {
          pos = rs;
          break;
        }
        const bodyStart = openEnd + 1;
        let bodyEnd = bodyStart;
        let next: number;
        if (s.charCodeAt(openEnd - 1) === 47 /* / */) {
          next = bodyStart;
        } else {
          const close = s.indexOf(this.rowClose, bodyStart);
          if (close < 0) {
            pos = rs;
            break;
          }
          bodyEnd = close;
          next = close + this.rowClose.length;
        }
        this.row(s, rs, openEnd, bodyStart, bodyEnd, out);
        pos = next;
      }
    }
    if (this.state === 'after') {
      // What follows the rows (merged ranges among it) is read by XlsxBook.merges.
      this.text = '';
      return out;
    }
    this.text = s.slice(pos);
    if (atEnd && this.text.trim() !== '') throw new UserError(`${this.where}: the sheet's XML ends inside a row; the file may be truncated or corrupt`);
    return out;
  }

  private row(s: string, rs: number, openEnd: number, from: number, to: number, out: CellValue[][]): void {
    let number: number;
    if (this.plainTag(s, rs + this.rowTag.length) === openEnd) {
      number = this.rFrom < 0 ? this.lastRow + 1 : digitsAt(s, this.rFrom, this.rTo);
      if (number < 0) number = Number.parseInt(s.slice(this.rFrom, this.rTo), 10);
    } else {
      const rAttr = attr(s.slice(rs, openEnd), 'r');
      number = rAttr === null ? this.lastRow + 1 : Number.parseInt(rAttr, 10);
    }
    if (!(number > this.lastRow)) throw new XlsxNeedsWholeFile(`${this.where}: row ${number} comes after row ${this.lastRow}`);
    this.blanks += number - this.lastRow - 1;
    this.lastRow = number;
    const cells: CellValue[] = [];
    let col = -1;
    let pos = from;
    const cellTag = this.cellTag;
    while (pos < to) {
      const cs = s.indexOf(cellTag, pos);
      if (cs < 0 || cs >= to) break;
      if (!isNameEnd(s.charCodeAt(cs + cellTag.length))) {
        pos = s.indexOf('>', cs) + 1;
        continue;
      }
      let t: string | null;
      let style: number;
      let openEnd = this.plainTag(s, cs + cellTag.length);
      if (openEnd >= 0) {
        if (this.rFrom < 0) col++;
        else col = columnAt(s, this.rFrom, this.rTo);
        if (col < 0 || col >= MAX_COLUMNS) this.badReference(this.rFrom < 0 ? null : s.slice(this.rFrom, this.rTo), number);
        t = this.tFrom < 0 ? null : typeAt(s, this.tFrom, this.tTo);
        style = this.sFrom < 0 ? -1 : digitsAt(s, this.sFrom, this.sTo);
        if (style < 0 && this.sFrom >= 0) style = Number.parseInt(s.slice(this.sFrom, this.sTo), 10);
      } else {
        // Odd spellings are read as they always were.
        openEnd = s.indexOf('>', cs);
        const tag = s.slice(cs + cellTag.length, openEnd);
        const ref = attr(tag, 'r');
        col = ref === null ? col + 1 : columnAt(ref, 0, ref.length);
        if (col < 0 || col >= MAX_COLUMNS) this.badReference(ref, number);
        t = attr(tag, 't');
        const st = attr(tag, 's');
        style = st === null ? -1 : Number.parseInt(st, 10);
      }
      const bodyFrom = openEnd + 1;
      let bodyTo = bodyFrom;
      if (s.charCodeAt(openEnd - 1) === 47) {
        pos = bodyFrom;
      } else {
        bodyTo = s.indexOf(this.cellClose, bodyFrom);
        if (bodyTo < 0 || bodyTo > to) bodyTo = to;
        pos = bodyTo + this.cellClose.length;
      }
      const value = this.value(t, style, s, bodyFrom, bodyTo);
      if (value !== null) {
        while (cells.length < col) cells.push(null);
        cells[col] = value;
      }
    }
    let width = cells.length;
    while (width > 0 && cells[width - 1] === null) width--;
    if (width < cells.length) cells.length = width;
    if (width === 0) {
      this.blanks++;
      return;
    }
    for (; this.blanks > 0; this.blanks--) out.push([]);
    out.push(cells);
    this.rowsOut = number;
  }

  private badReference(ref: string | null, row: number): never {
    throw new UserError(`${this.where}: cell reference "${ref}" in row ${row} is not a cell on a sheet`);
  }

  /**
   * Reads a start tag in place from after its name, when every attribute is ` name="value"` in
   * plain ASCII with no whitespace or `>` in the value: then the first `r`, `t` and `s` attributes
   * are what {@link attr} would return, and their bounds are left in `rFrom`… (-1 when absent).
   * Returns the tag's `>` (the first after its start), or -1 for any other spelling (single quotes,
   * spaces around `=`, other separators), which the caller leaves to attr's regex. It stops at the
   * first character a plain tag cannot hold, at the latest at the text's end (charCodeAt is NaN).
   */
  private plainTag(s: string, at: number): number {
    this.rFrom = this.tFrom = this.sFrom = -1;
    let c = s.charCodeAt(at);
    while (c === 32) {
      const name = ++at;
      while (isAttrNameChar((c = s.charCodeAt(at)))) at++;
      if (at === name) break;
      if (c !== 61 /* = */ || s.charCodeAt(at + 1) !== 34 /* " */) return -1;
      const from = at + 2;
      for (at = from; isAttrValueChar((c = s.charCodeAt(at))); ) at++;
      if (c !== 34) return -1;
      if (from - name === 3) {
        // Only the first of a repeated name counts, as attr's indexOf finds it.
        const n = s.charCodeAt(name);
        if (n === 114 /* r */ && this.rFrom < 0) {
          this.rFrom = from;
          this.rTo = at;
        } else if (n === 116 /* t */ && this.tFrom < 0) {
          this.tFrom = from;
          this.tTo = at;
        } else if (n === 115 /* s */ && this.sFrom < 0) {
          this.sFrom = from;
          this.sTo = at;
        }
      }
      c = s.charCodeAt(++at);
    }
    while (c === 32 || c === 47 || c === 9 || c === 10 || c === 13) c = s.charCodeAt(++at);
    return c === 62 /* > */ ? at : -1;
  }

  /** A `<v>` value from `from` to `to` in `s` read without a string: a shared string or a plain number; undefined for the rest. */
  private inPlace(t: string | null, style: number, s: string, from: number, to: number): CellValue | undefined {
    if (t === 's') {
      const i = digitsAt(s, from, to);
      if (i >= 0) return this.sharedString(i, s, from, to);
    } else if (t === null || t === 'n') {
      const n = decimalAt(s, from, to);
      if (!Number.isNaN(n)) return this.number(n, style);
    }
    return undefined;
  }

  /** A cell's value as parse.ts's cellValue gives it from SheetJS; `style` is the `s` index (-1 without one). */
  private value(t: string | null, style: number, s: string, from: number, to: number): CellValue {
    let v: string | undefined;
    if (from < to && t !== 'inlineStr') {
      const vs = s.indexOf(this.vOpen, from);
      if (vs >= 0 && vs < to) {
        const vFrom = vs + this.vOpen.length;
        const ve = s.indexOf(this.vClose, vFrom);
        if (ve >= 0 && ve <= to && ve > vFrom) {
          const known = this.inPlace(t, style, s, vFrom, ve);
          if (known !== undefined) return known;
          v = unescapeXml(s.slice(vFrom, ve));
        }
      } else {
        // `<v xml:space="preserve">` and the like: rare, so a regex.
        const m = this.vTag.exec(s.slice(from, to));
        if (m && m[1] !== '') v = unescapeXml(m[1]!);
      }
    }
    switch (t) {
      case null:
      case 'n': {
        if (v === undefined || v === '') return null;
        const n = Number.parseFloat(v);
        if (Number.isNaN(n)) return null;
        return this.number(n, style);
      }
      case 's': {
        if (v === undefined) return null;
        const str = this.strings[Number.parseInt(v, 10)];
        if (str === undefined) throw new UserError(`${this.where}: a cell refers to shared string ${v}, which the table does not hold; the file may be corrupt`);
        return str === '' ? null : str;
      }
      case 'str': {
        const str = v === undefined ? '' : unescapeXlsx(v);
        return str === '' ? null : str;
      }
      case 'inlineStr': {
        const m = this.isTag.exec(s.slice(from, to));
        const str = m ? stringItem(m[1]!) : '';
        return str === '' ? null : str;
      }
      case 'b':
        return v === '1' || v === 'true';
      case 'e':
        return v !== undefined && ERROR_TEXTS.has(v) ? v : null;
      case 'd':
        throw new XlsxNeedsWholeFile(`${this.where}: ISO date cells`);
      default:
        throw new XlsxNeedsWholeFile(`${this.where}: cell type "${t}"`);
    }
  }

  private number(n: number, style: number): CellValue {
    // A negative or NaN index would leave V8's fast element access (and is never a date style).
    if (style >= 0 && this.dateStyles[style] === true) return serialDate(n + (this.date1904 ? 1462 : 0));
    return n;
  }

  /** Shared string `i`, whose index is the text of `s` from `from` to `to`. */
  private sharedString(i: number, s: string, from: number, to: number): CellValue {
    const str = this.strings[i];
    if (str === undefined) throw new UserError(`${this.where}: a cell refers to shared string ${s.slice(from, to)}, which the table does not hold; the file may be corrupt`);
    return str === '' ? null : str;
  }
}

/** After `<row` or `<c`: a space, `>` or `/` ends the name (so `<col` is not `<c`). */
function isNameEnd(code: number): boolean {
  return code === 32 || code === 62 || code === 47 || code === 9 || code === 10 || code === 13;
}

/** A `t` value from `from` to `to` in `s`; the usual one-letter types without making a string. */
function typeAt(s: string, from: number, to: number): string {
  if (to - from === 1) {
    switch (s.charCodeAt(from)) {
      case 115:
        return 's';
      case 110:
        return 'n';
      case 98:
        return 'b';
      case 101:
        return 'e';
    }
  }
  return s.slice(from, to);
}

/** One attribute of a start tag's text; the fast path is ` name="…"`. */
function attr(tag: string, name: string): string | null {
  const key = ` ${name}="`;
  const at = tag.indexOf(key);
  if (at >= 0) return tag.slice(at + key.length, tag.indexOf('"', at + key.length));
  if (!tag.includes(`${name}=`) && !tag.includes(`${name} `)) return null;
  const m = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(tag);
  return m ? (m[1] ?? m[2] ?? '') : null;
}

/** `B12` → 1 (0-based column). */
function columnOf(ref: string): number {
  return columnAt(ref, 0, ref.length);
}

/** As {@link columnOf}, for the reference from `from` to `to` in `s`. */
function columnAt(s: string, from: number, to: number): number {
  let col = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c >= 65 && c <= 90) col = col * 26 + (c - 64);
    else if (c >= 97 && c <= 122) col = col * 26 + (c - 96);
    else break;
  }
  return col - 1;
}

/** Not whitespace, a quote, `=`, `<`, `>` or `/`, and ASCII: what {@link RowScanner.plainTag} takes in a name. */
function isAttrNameChar(c: number): boolean {
  return c > 32 && c < 127 && c !== 61 && c !== 34 && c !== 39 && c !== 60 && c !== 62 && c !== 47;
}

/** Printable ASCII but `"` and `>`: what {@link RowScanner.plainTag} takes in a value. */
function isAttrValueChar(c: number): boolean {
  return c > 32 && c < 127 && c !== 34 && c !== 62;
}

/** The text from `from` to `to` as parseInt reads it when it is only digits (1 to 15 of them, so exact); -1 otherwise. */
function digitsAt(s: string, from: number, to: number): number {
  if (to <= from || to - from > 15) return -1;
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

const POWERS_OF_TEN = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

/**
 * Number.parseFloat of the text from `from` to `to` when it is a plain decimal (`-`, digits, one
 * `.`) of at most 15 digits, NaN otherwise (the caller then parses the text itself). With the
 * digits exact below 2^53 and the power of ten exact up to 10^22, the one division rounds
 * correctly, so the result is parseFloat's to the bit.
 */
function decimalAt(s: string, from: number, to: number): number {
  let i = from;
  const negative = s.charCodeAt(i) === 45; // -
  if (negative) i++;
  let n = 0;
  let digits = 0;
  let point = -1;
  for (; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      n = n * 10 + (c - 48);
      digits++;
    } else if (c === 46 && point < 0) {
      point = i + 1;
    } else {
      return Number.NaN;
    }
  }
  if (digits === 0 || digits > 15) return Number.NaN;
  if (point >= 0) n /= POWERS_OF_TEN[to - point]!;
  return negative ? -n : n;
}
