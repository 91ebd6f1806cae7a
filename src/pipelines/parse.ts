// The parse stage: bytes → one Grid per sheet, exactly as the publisher laid them out.
// Workbooks (xlsx, xls, ods) and HTML tables go through SheetJS; CSV through papaparse, which is far
// lighter; a zip of CSV files (the World Bank's bulk downloads) is CSV with one sheet per entry. Untrusted files are parsed in a worker thread with a time and a heap limit, because a
// hostile or merely huge spreadsheet can otherwise hang or crash the whole run.
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { Worker } from 'node:worker_threads';
import iconv from 'iconv-lite';
import Papa from 'papaparse';
// A namespace import: xlsx.mjs has real named exports, so this works under plain Node ESM, tsx,
// vitest and in the compiled dist alike, and its types need no esModuleInterop default.
import * as XLSX from 'xlsx';
import { UserError } from '../errors.js';
import { reviveError, workerEntry, type SerialisedError } from '../threads.js';
import { inflateRawSync } from 'node:zlib';
import { BUILTIN_DATE_FORMATS } from './xlsx-stream.js';
import { centralDirectory, localEntries, replaceEntry, zipComplete, type CentralEntry, type LocalEntry } from '../zip.js';
import { detectEncoding, detectFormat, isCsvEntry } from './detect-format.js';
import type { CellValue, FileFormat, Grid, ParsedFile, Range } from './types.js';

export interface ParseOptions {
  /**
   * Only these sheets (by name); default every sheet. A name the workbook lacks is a UserError.
   * A single CSV ignores it; in a zip of CSV files the sheets are the entries (see parseCsvZip).
   */
  sheets?: string[];
  /** Wall-clock limit for the worker, start-up included; default 60000 ms, ample for any real statistics table. */
  timeoutMs?: number;
  /**
   * The worker's V8 old-generation heap limit; default 1024 MB. Parsing an xlsx peaks at roughly
   * 10 MB of heap per MB of (compressed) file, about 100–130 bytes per cell, so the default takes
   * workbooks of ~80 MB / 8 million cells, far beyond any statistics table.
   */
  maxHeapMb?: number;
  /** How messages name the file (source id and URL); default the file's base name. */
  name?: string;
}

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_MAX_HEAP_MB = 1024;
/** Grids are padded to rectangles; a stray cell at XFD1048576 must not become 17 billion nulls. */
const MAX_CELLS_PER_SHEET = 50_000_000;

/** Parses untrusted bytes in a worker thread with a time and memory limit. */
export async function parseFile(path: string, opts: ParseOptions = {}): Promise<ParsedFile> {
  const name = opts.name ?? basename(path);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxHeapMb = opts.maxHeapMb ?? DEFAULT_MAX_HEAP_MB;
  let buf: Buffer;
  try {
    buf = await readFile(path);
  } catch (err) {
    throw new UserError(`${name}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? String(err)})`, { cause: err });
  }
  const request: WorkerRequest = { bytes: buf, sheets: opts.sheets, fileName: basename(path), name };
  const entry = workerEntry('parse-worker');
  const worker = new Worker(entry.script, {
    eval: entry.eval,
    workerData: request,
    // The file's bytes are transferred, not copied (readFile returns an unpooled buffer).
    transferList: buf.byteOffset === 0 && buf.byteLength === buf.buffer.byteLength ? [buf.buffer as ArrayBuffer] : [],
    resourceLimits: { maxOldGenerationSizeMb: maxHeapMb },
  });

  return new Promise<ParsedFile>((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
      // Free the thread (and its heap) now rather than when it winds down by itself.
      void worker.terminate();
    };
    const timer = setTimeout(() => {
      settle(() => reject(new UserError(`${name}: parsing took longer than ${formatSeconds(timeoutMs)}s; the file may be hostile or too large`)));
    }, timeoutMs);
    worker.on('message', (reply: WorkerReply) => {
      settle(() => (reply.ok ? resolve(reply.result) : reject(reviveError(reply.error))));
    });
    worker.on('error', (err: Error & { code?: string }) => {
      settle(() =>
        reject(
          err.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? new UserError(`${name}: exceeded the parser's memory limit (${maxHeapMb} MB)`, { cause: err })
            : err,
        ),
      );
    });
    worker.on('exit', (code) => {
      settle(() => reject(new Error(`${name}: the parse worker exited with code ${code} without a result`)));
    });
  });
}

/** Same, in-process, for trusted small inputs and for the worker itself. */
export function parseBuffer(buf: Buffer, opts: { sheets?: string[]; fileName?: string } = {}): ParsedFile {
  return parseBytes(buf, { ...opts, name: opts.fileName ?? 'input' });
}

/**
 * {@link parseBuffer} with the name messages use kept apart from the file name (which names a CSV's
 * sheet). Exported for the worker; not part of the stage's contract.
 */
export function parseBytes(buf: Buffer, opts: { sheets?: string[]; fileName?: string; name: string }): ParsedFile {
  const format = detectFormat(buf);
  switch (format) {
    case 'html-page':
      throw new UserError(`${opts.name}: got an HTML page, not a spreadsheet; check the URL`);
    case 'unknown':
      throw new UserError(
        buf[0] !== 0x50 || buf[1] !== 0x4b
          ? `${opts.name}: not a spreadsheet (unrecognised content)`
          : zipComplete(buf)
            ? `${opts.name}: a zip archive with neither a workbook (xlsx, ods) nor CSV files in it`
            : `${opts.name}: an incomplete zip archive (truncated download?)`,
      );
    case 'csv':
      return parseCsv(buf, opts.fileName, opts.name);
    case 'csv-zip':
      return parseCsvZip(buf, opts.sheets, opts.name);
    case 'html':
      return parseHtml(buf, opts.sheets, opts.name);
    default:
      return parseWorkbook(buf, format, opts.sheets, opts.name);
  }
}

// ---------------------------------------------------------------------------------------------
// Workbooks

const READ_OPTS: XLSX.ParsingOptions = {
  type: 'buffer',
  cellDates: true,
  cellNF: false,
  // No formatted text (`w`) per cell: it roughly doubles memory and the Grid keeps raw values only.
  cellText: false,
  cellFormula: false,
  cellHTML: false,
  cellStyles: false,
  dense: true,
};

/**
 * Largest inflated zip part (a sheet's XML) the parser accepts. SheetJS decodes each part into one
 * string, and V8 strings stop at 2^29 - 24 characters: past that SheetJS silently returns an EMPTY
 * sheet instead of failing. Its inflater also allocates the part's declared size up front, outside
 * the worker's heap limit (ArrayBuffers are external memory), so a 1.6 MB zip bomb declaring 1 GB
 * took 2 GB of RSS before this check (found by tests/faults/files.test.ts).
 */
const MAX_INFLATED_PART = 500 * 1024 * 1024;
/** All parts together: a workbook of many just-under-the-limit parts is a bomb too. */
const MAX_INFLATED_TOTAL = 1024 * 1024 * 1024;

/** Refuses a zip (xlsx, ods, zipped CSV) whose parts inflate past the limits, before anything is inflated for parsing. */
function checkInflatedSizes(buf: Buffer, format: FileFormat | 'zip', name: string): void {
  let total = 0;
  for (const entry of localEntries(buf)) {
    let size = entry.inflated;
    if (entry.descriptor && entry.method === 8) {
      // No size in the header (flag bit 3): SheetJS then grows its buffer without bound, so inflate
      // here under a cap to learn the size. Streaming writers do this; real parts pass quickly.
      try {
        size = inflateRawSync(buf.subarray(entry.start), { maxOutputLength: MAX_INFLATED_PART + 1 }).length;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ERR_BUFFER_TOO_LARGE') continue; // corrupt: SheetJS will say so
        size = MAX_INFLATED_PART + 1;
      }
    }
    total += size;
    if (size > MAX_INFLATED_PART || total > MAX_INFLATED_TOTAL) {
      throw new UserError(
        `${name}: the ${format} file inflates to more than ${MAX_INFLATED_PART / 1024 / 1024} MB per part or ${MAX_INFLATED_TOTAL / 1024 / 1024} MB in all (${entry.name}); refused as a possible zip bomb`,
      );
    }
  }
}

/**
 * SheetJS read without formatted text (cellText: false) never loads the built-in number formats
 * missing from its own table (the locale ones: 27–36 and 50–58 are the Chinese and Japanese date
 * formats, such as 57 `yyyy"年"m"月"`, which Excel references without declaring them); its date
 * test then throws on the missing format and SheetJS drops the whole sheet without a word — a
 * yearbook sheet came back empty. SheetJS resets its table on every read, so such formats are
 * declared in the workbook's styles part instead, before the read: a date format where SheetJS's
 * implicit table has one (xlsx-stream.ts, BUILTIN_DATE_FORMATS), else General. Only whether a
 * format is a date matters here (no formatted text and no number formats are kept). The common
 * workbook, which uses none of them, is passed on untouched.
 */
function declareImplicitFormats(buf: Buffer): Buffer {
  let entries: Map<string, CentralEntry>;
  try {
    entries = centralDirectory(buf);
  } catch {
    return buf; // SheetJS says what is wrong with the archive
  }
  const part = entries.get('xl/styles.xml');
  if (!part || part.inflated > 16 * 1024 * 1024) return buf;
  let xml: string;
  try {
    const data = buf.subarray(part.start, part.start + part.compressed);
    xml = (part.method === 8 ? inflateRawSync(data, { maxOutputLength: 16 * 1024 * 1024 }) : data).toString('utf8');
  } catch {
    return buf;
  }
  const declared = new Set([...xml.matchAll(/<(?:\w+:)?numFmt\b[^>]*\bnumFmtId\s*=\s*["'](\d+)/g)].map((m) => Number(m[1])));
  const xfs = /<(?:\w+:)?cellXfs\b[\s\S]*?<\/(?:\w+:)?cellXfs>/.exec(xml)?.[0] ?? '';
  const missing = new Set<number>();
  for (const m of xfs.matchAll(/\bnumFmtId\s*=\s*["'](\d+)/g)) {
    const id = Number(m[1]);
    if (id > 0 && id <= 0x188 && !SHEETJS_FORMAT_IDS.has(id) && !declared.has(id)) missing.add(id);
  }
  if (missing.size === 0) return buf;
  const prefix = /<(\w+:)?styleSheet\b/.exec(xml)?.[1] ?? '';
  const formats = [...missing].map((id) => `<${prefix}numFmt numFmtId="${id}" formatCode="${BUILTIN_DATE_FORMATS.has(id) ? 'm/d/yy' : 'General'}"/>`).join('');
  const close = xml.indexOf(`</${prefix}numFmts>`);
  const patched =
    close >= 0
      ? xml.slice(0, close) + formats + xml.slice(close)
      : xml.replace(/<(?:\w+:)?styleSheet\b[^>]*>/, (open) => `${open}<${prefix}numFmts count="${missing.size}">${formats}</${prefix}numFmts>`);
  return replaceEntry(buf, entries, part.name, Buffer.from(patched, 'utf8'));
}

/** The number formats in SheetJS's table at the start of every read (its table_fmt). */
const SHEETJS_FORMAT_IDS = new Set([0, 1, 2, 3, 4, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 37, 38, 39, 40, 45, 46, 47, 48, 49, 56]);

function parseWorkbook(buf: Buffer, format: FileFormat, sheets: string[] | undefined, name: string): ParsedFile {
  if (format === 'xlsx' || format === 'ods') checkInflatedSizes(buf, format, name);
  let wb: XLSX.WorkBook;
  try {
    wb = XLSX.read(format === 'xlsx' ? declareImplicitFormats(buf) : buf, sheets ? { ...READ_OPTS, sheets } : READ_OPTS);
  } catch (err) {
    throw readError(err, format, name);
  }
  return { format, sheets: toGrids(wb, sheets, name) };
}

function parseHtml(buf: Buffer, sheets: string[] | undefined, name: string): ParsedFile {
  const encoding = htmlEncoding(buf);
  const text = iconv.decode(buf, encoding);
  let wb: XLSX.WorkBook;
  try {
    // raw: cell text stays text, as in CSV; SheetJS would otherwise turn HS code "0101" into 101.
    wb = XLSX.read(text, { ...READ_OPTS, type: 'string', raw: true });
  } catch (err) {
    throw readError(err, 'html', name);
  }
  return { format: 'html', encoding, sheets: toGrids(wb, sheets, name) };
}

function readError(err: unknown, format: FileFormat, name: string): UserError {
  const message = err instanceof Error ? err.message : String(err);
  if (/password|encrypt/i.test(message)) {
    return new UserError(`${name}: the workbook is password-protected`, { cause: err });
  }
  return new UserError(`${name}: cannot read the ${format} file (${message}); it may be truncated or corrupt`, { cause: err });
}

function toGrids(wb: XLSX.WorkBook, sheets: string[] | undefined, name: string): Grid[] {
  const wanted = sheets ?? wb.SheetNames;
  const missing = wanted.filter((s) => !wb.SheetNames.includes(s));
  if (missing.length > 0) {
    throw new UserError(`${name}: no sheet named ${missing.map((s) => JSON.stringify(s)).join(', ')}; the sheets are ${wb.SheetNames.map((s) => JSON.stringify(s)).join(', ')}`);
  }
  return wanted.map((sheet) => {
    const ws = wb.Sheets[sheet];
    // SheetJS catches an error inside a sheet and leaves the sheet out: say so rather than read it as empty.
    if (ws === undefined) throw new UserError(`${name}: sheet "${sheet}" could not be read (the reader failed inside it); open and re-save the file in a spreadsheet program`);
    return toGrid(sheet, ws, name);
  });
}

/** SheetJS's error codes (BIFF8 §2.5.97.2), for error cells read without formatted text. */
const ERROR_TEXT: Record<number, string> = {
  0x00: '#NULL!',
  0x07: '#DIV/0!',
  0x0f: '#VALUE!',
  0x17: '#REF!',
  0x1d: '#NAME?',
  0x24: '#NUM!',
  0x2a: '#N/A',
  0x2b: '#GETTING_DATA',
};

/**
 * A sheet's cells by absolute position, so row i is spreadsheet row i+1 and column j is column j+1
 * whatever the used range (`!ref`) says. The cells are walked directly rather than through
 * `sheet_to_json`: that starts at the range's first row and column, and turns error cells into
 * `undefined` where the Grid wants their text.
 */
function toGrid(sheet: string, ws: XLSX.WorkSheet | undefined, name: string): Grid {
  const data: (XLSX.CellObject | undefined)[][] = (ws?.['!data'] as XLSX.CellObject[][] | undefined) ?? [];
  // The extent of the cells actually present: `!ref` comes from the file's own dimension record,
  // which generators get wrong in both directions.
  let height = 0;
  let width = 0;
  for (let r = 0; r < data.length; r++) {
    const row = data[r];
    if (!row) continue;
    for (let c = row.length - 1; c >= 0; c--) {
      if (cellValue(row[c]) !== null) {
        height = r + 1;
        width = Math.max(width, c + 1);
        break;
      }
    }
  }
  for (const m of ws?.['!merges'] ?? []) {
    height = Math.max(height, m.s.r + 1);
    width = Math.max(width, m.s.c + 1);
  }
  if (height * width > MAX_CELLS_PER_SHEET) {
    throw new UserError(`${name}: sheet "${sheet}" spans ${height} rows × ${width} columns, more than the parser accepts`);
  }
  const rows: CellValue[][] = [];
  for (let r = 0; r < height; r++) {
    const src = data[r];
    const row: CellValue[] = new Array<CellValue>(width);
    for (let c = 0; c < width; c++) row[c] = src ? cellValue(src[c]) : null;
    rows.push(row);
  }
  const merges: Range[] = (ws?.['!merges'] ?? []).map((m) => ({ s: { r: m.s.r, c: m.s.c }, e: { r: m.e.r, c: m.e.c } }));
  return { sheet, rows, merges };
}

function cellValue(cell: XLSX.CellObject | undefined): CellValue {
  if (!cell) return null;
  const v = cell.v;
  switch (cell.t) {
    case 'e':
      // No `v` is a formula saved without its cached result (openpyxl and other writers do this).
      if (v === undefined) return null;
      return cell.w ?? ERROR_TEXT[v as number] ?? `#ERROR(${String(v)})`;
    case 'd':
      if (v instanceof Date) return v;
      return v === undefined ? null : new Date(v as string);
    case 's':
      return v === undefined || v === '' ? null : String(v);
    case 'n':
      return typeof v === 'number' ? v : null;
    case 'b':
      return typeof v === 'boolean' ? v : null;
    default:
      // 'z' (stub): an empty cell that only carries formatting.
      return null;
  }
}

/** `<meta charset>` or `http-equiv` when the page declares one; else the bytes decide. */
function htmlEncoding(buf: Buffer): string {
  const head = buf.subarray(0, 4096).toString('latin1');
  const declared = /<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)/i.exec(head)?.[1]?.toLowerCase();
  const sniffed = detectEncoding(buf);
  // A BOM (and UTF-16) outranks the declaration, as in browsers (WHATWG Encoding §6 "BOM sniff").
  if (!declared || sniffed.startsWith('utf-16') || hasBom(buf)) return sniffed;
  if (/^(gb2312|gbk|gb18030|x-gbk|cp936)$/.test(declared)) return 'gb18030';
  if (/^(shift[_-]?jis|sjis|x-sjis|windows-31j|ms_kanji|cp932)$/.test(declared)) return 'shift_jis';
  if (declared === 'utf8' || declared === 'utf-8') return 'utf-8';
  // Anything else iconv-lite knows (euc-jp, big5, …) is taken at its word.
  return iconv.encodingExists(declared) ? declared : sniffed;
}

function hasBom(buf: Buffer): boolean {
  return (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) || (buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff);
}

// ---------------------------------------------------------------------------------------------
// CSV

function parseCsv(buf: Buffer, fileName: string | undefined, name: string): ParsedFile {
  const sheet = fileName ? basename(fileName, extname(fileName)) || 'csv' : 'csv';
  if (buf.length === 0) return { format: 'csv', encoding: 'utf-8', sheets: [] };
  const encoding = detectEncoding(buf);
  // iconv-lite strips a BOM by default.
  const text = iconv.decode(buf, encoding);
  if (text.includes('\0')) throw new UserError(`${name}: contains NUL bytes (binary file?)`);

  const parsed = Papa.parse<string[]>(text, {
    delimiter: guessDelimiter(text),
    dynamicTyping: false,
    skipEmptyLines: false,
    header: false,
  });
  const data = parsed.data;
  // A final line break yields one empty trailing row; it is not a row of the table.
  const last = data[data.length - 1];
  if (last && last.length === 1 && last[0] === '') data.pop();

  let width = 0;
  for (const row of data) width = Math.max(width, row.length);
  const rows: CellValue[][] = data.map((row) => {
    const out: CellValue[] = new Array<CellValue>(width).fill(null);
    for (let c = 0; c < row.length; c++) out[c] = row[c] === '' ? null : (row[c] ?? null);
    return out;
  });
  return { format: 'csv', encoding, sheets: [{ sheet, rows, merges: [] }] };
}

/** What streamCsv found out about the file, for the run's records. */
export interface CsvStreamInfo {
  /** The sheet name parse gives the file (its base name). */
  sheet: string;
  encoding: string;
}

/**
 * Thrown by streamCsv when the file must be read whole to be read the same way as parseFile reads
 * it (the encoding is decided by bytes past the head). The caller falls back to parseFile.
 */
export class CsvNeedsWholeFile extends Error {
  override name = 'CsvNeedsWholeFile';
}

/** Text decoded before the delimiter and line endings are guessed: papaparse guesses line endings on the first 1 MiB of text. */
const HEAD_CHARS = 1024 * 1024;
/** One CSV row longer than this (no line break in sight) is left to the whole-file path. */
const MAX_PARTIAL_CHARS = 64 * 1024 * 1024;

/**
 * A CSV file as parseFile's CSV reader sees it — same encoding, delimiter, line endings, rows and
 * cells (empty cells null) — read as a stream on the calling thread: `onRows` gets the rows in
 * order, a papaparse chunk at a time (not padded to the sheet's width), and the returned promise
 * waits for each call's promise (backpressure). Only the head decides the encoding: a file whose
 * head is valid UTF-8 is decoded strictly, and bytes that are not UTF-8 further on, or a head that
 * is neither UTF-8 nor marked (a BOM, UTF-16), throw CsvNeedsWholeFile, because parse would then
 * weigh GB18030 against Shift_JIS over the whole file (detectEncoding).
 */
export async function streamCsv(
  path: string,
  /** `chunkBytes`: bytes per read, default 64 KiB (small reads keep what each read allocates in V8's new space). */
  opts: { name: string; chunkBytes?: number },
  onRows: (rows: CellValue[][]) => void | Promise<void>,
): Promise<CsvStreamInfo> {
  const fileName = basename(path);
  const sheet = basename(fileName, extname(fileName)) || 'csv';
  const stream = createReadStream(path, { highWaterMark: opts.chunkBytes ?? 64 * 1024 });
  let decode: ((bytes: Buffer | null) => string) | null = null;
  let encoding = 'utf-8';
  let head = '';
  let partial = '';
  let parseConfig: { delimiter: string; newline: '\r' | '\n' | '\r\n' } | null = null;

  const parseText = async (text: string, last: boolean): Promise<void> => {
    if (text.includes('\0')) throw new UserError(`${opts.name}: contains NUL bytes (binary file?)`);
    const aggregate = partial + text;
    const result = new Papa.Parser({ ...parseConfig!, quoteChar: '"' }).parse(aggregate, 0, !last) as { data: string[][]; meta: { cursor: number } };
    partial = last ? '' : aggregate.substring(result.meta.cursor);
    if (partial.length > MAX_PARTIAL_CHARS) throw new CsvNeedsWholeFile(`a row longer than ${MAX_PARTIAL_CHARS} characters`);
    const rows = result.data as unknown as CellValue[][];
    // A final line break yields one empty trailing row; it is not a row of the table (as parseCsv).
    if (last) {
      const end = rows[rows.length - 1];
      if (end && end.length === 1 && end[0] === '') rows.pop();
    }
    for (const row of rows) for (let c = 0; c < row.length; c++) if (row[c] === '') row[c] = null;
    if (rows.length > 0) await onRows(rows);
  };

  const startParsing = async (last: boolean): Promise<void> => {
    parseConfig = { delimiter: guessDelimiter(head), newline: guessLineEndings(head) };
    const text = head;
    head = '';
    await parseText(text, last);
  };

  for await (const chunk of stream as AsyncIterable<Buffer>) {
    if (decode === null) {
      const detected = detectFormat(chunk);
      if (detected !== 'csv' || chunk.length === 0) throw new CsvNeedsWholeFile(`the head is not plain CSV (${detected})`);
      const sniffed = detectEncoding(chunk);
      const bom = hasBom(chunk);
      if (sniffed === 'gb18030' || sniffed === 'shift_jis') throw new CsvNeedsWholeFile(`${sniffed} is told from Shift_JIS/GB18030 on the whole file`);
      encoding = sniffed;
      if (sniffed === 'utf-8' && !bom) {
        // parse calls the file UTF-8 only when all of it is valid UTF-8.
        const strict = new TextDecoder('utf-8', { fatal: true });
        decode = (bytes) => {
          try {
            return bytes === null ? strict.decode() : strict.decode(bytes, { stream: true });
          } catch (err) {
            throw new CsvNeedsWholeFile('not valid UTF-8 past the head', { cause: err });
          }
        };
      } else {
        const decoder = iconv.getDecoder(sniffed);
        decode = (bytes) => (bytes === null ? (decoder.end() ?? '') : decoder.write(bytes));
      }
    }
    const text = decode(chunk);
    if (parseConfig === null) {
      head += text;
      if (head.length >= HEAD_CHARS) await startParsing(false);
    } else await parseText(text, false);
  }
  if (decode === null) throw new CsvNeedsWholeFile('empty file');
  const rest = decode(null);
  if (parseConfig === null) {
    head += rest;
    await startParsing(true);
  } else await parseText(rest, true);
  return { sheet, encoding };
}

/** papaparse's own line-ending guess (ParserHandle.guessLineEndings, on the first 1 MiB), which a whole-string parse makes. */
function guessLineEndings(text: string): '\r' | '\n' | '\r\n' {
  // Not in @types/papaparse, but exported since papaparse 4 (Papa.ParserHandle).
  const handle = new (Papa as unknown as { ParserHandle: new (config: object) => { guessLineEndings(input: string, quoteChar: string): '\r' | '\n' | '\r\n' } }).ParserHandle({});
  return handle.guessLineEndings(text, '"');
}

const DELIMITERS = [',', '\t', ';'] as const;

/**
 * The delimiter that splits the most sample lines into the same number (≥ 2) of fields.
 * papaparse's own guess wants every line to agree, so a title line or a blank line above the table
 * (as statistics offices write them) makes it fall back to a comma.
 */
export function guessDelimiter(text: string): string {
  const lines = text.slice(0, 64 * 1024).split(/\r?\n/).filter((l) => l.trim() !== '').slice(0, 50);
  let best: { delimiter: string; lines: number; fields: number } = { delimiter: ',', lines: 0, fields: 0 };
  for (const delimiter of DELIMITERS) {
    const counts = new Map<number, number>();
    for (const line of lines) {
      let fields = 1;
      let quoted = false;
      for (const ch of line) {
        if (ch === '"') quoted = !quoted;
        else if (ch === delimiter && !quoted) fields++;
      }
      if (fields >= 2) counts.set(fields, (counts.get(fields) ?? 0) + 1);
    }
    for (const [fields, n] of counts) {
      if (n > best.lines || (n === best.lines && fields > best.fields)) best = { delimiter, lines: n, fields };
    }
  }
  return best.delimiter;
}

/**
 * A zip of CSV files: one sheet per `.csv` entry, named after the entry without `.csv` (as a lone
 * CSV file is named after the file), data files first: entries named `Metadata…` (the World Bank
 * puts its country and indicator metadata beside the data) go last. Other entries are ignored.
 * The xlsx path's limits hold: sizes are checked before inflating, and each entry is inflated
 * under the per-part cap, so a header that understates the size does not get past it either.
 */
function parseCsvZip(buf: Buffer, sheets: string[] | undefined, name: string): ParsedFile {
  // Unlike a workbook, a truncated zip of CSVs would parse into fewer or shorter tables, silently.
  if (!zipComplete(buf)) throw new UserError(`${name}: an incomplete zip archive (truncated download?)`);
  checkInflatedSizes(buf, 'zip', name);
  const isMetadata = (e: LocalEntry) => /^metadata/i.test(basename(e.name));
  const csvs = localEntries(buf).filter((e) => isCsvEntry(e.name));
  const entries = [...csvs.filter((e) => !isMetadata(e)), ...csvs.filter(isMetadata)];
  const sheetOf = (e: LocalEntry) => e.name.replace(/\.csv$/i, '');
  const missing = (sheets ?? []).filter((s) => !entries.some((e) => sheetOf(e) === s));
  if (missing.length > 0) {
    throw new UserError(`${name}: no CSV file named ${missing.map((s) => JSON.stringify(`${s}.csv`)).join(', ')} in the zip; the CSV files are ${entries.map((e) => JSON.stringify(e.name)).join(', ')}`);
  }
  const grids: Grid[] = [];
  let encoding: string | undefined;
  let total = 0;
  for (const entry of entries) {
    const sheet = sheetOf(entry);
    if (sheets && !sheets.includes(sheet)) continue;
    const data = inflateEntry(buf, entry, name);
    total += data.length;
    if (total > MAX_INFLATED_TOTAL) {
      throw new UserError(`${name}: the zip file inflates to more than ${MAX_INFLATED_TOTAL / 1024 / 1024} MB in all (${entry.name}); refused as a possible zip bomb`);
    }
    const parsed = parseCsv(data, entry.name, `${name} (${entry.name})`);
    encoding ??= parsed.encoding;
    grids.push({ rows: [], merges: [], ...parsed.sheets[0], sheet });
  }
  return encoding ? { format: 'csv', encoding, sheets: grids } : { format: 'csv', sheets: grids };
}

/** One entry's bytes, inflated under the per-part cap. */
function inflateEntry(buf: Buffer, entry: LocalEntry, name: string): Buffer {
  if (entry.method === 0) {
    if (entry.descriptor) throw new UserError(`${name}: ${entry.name} is stored without its size in the zip; re-zip it with deflate`);
    return buf.subarray(entry.start, entry.start + entry.size);
  }
  if (entry.method !== 8) throw new UserError(`${name}: ${entry.name} is compressed with zip method ${entry.method}, which the reader does not support; re-zip it with deflate`);
  try {
    // With a data descriptor the size is unknown: raw inflate stops at the end of the stream.
    return inflateRawSync(entry.descriptor ? buf.subarray(entry.start) : buf.subarray(entry.start, entry.start + entry.size), { maxOutputLength: MAX_INFLATED_PART });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new UserError(`${name}: ${entry.name} inflates to more than ${MAX_INFLATED_PART / 1024 / 1024} MB; refused as a possible zip bomb`, { cause: err });
    }
    throw new UserError(`${name}: cannot inflate ${entry.name} (${(err as Error).message}); the zip may be corrupt or encrypted`, { cause: err });
  }
}

// ---------------------------------------------------------------------------------------------
// Worker plumbing

/** What the worker receives as `workerData`. */
export interface WorkerRequest {
  bytes: Uint8Array;
  sheets: string[] | undefined;
  fileName: string;
  name: string;
}

/** What the worker posts back: the parsed file (Dates survive structured clone) or the error. */
export type WorkerReply = { ok: true; result: ParsedFile } | { ok: false; error: SerialisedError };


function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return Number.isInteger(s) ? String(s) : s.toFixed(s < 1 ? 3 : 1).replace(/\.?0+$/, '');
}
