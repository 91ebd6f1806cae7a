// The benchmark's own data, generated from a fixed seed (no downloads), so every machine measures the
// same files: a long trade CSV, its head as .xlsx, all of it as one large single-sheet .xlsx, a
// 1%-revised copy, prefixes for the scaling cases, and a wide yearbook-style workbook. Files are
// reused when the manifest says they were made with the same seed, size and generator version.
import { once } from 'node:events';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import XLSX from 'xlsx';
import { loadReference } from '../pipelines/reference.js';
import { ZipWriter } from '../zip.js';

/** Bump when the files' content changes, so cached data of an older generator is rebuilt. */
const GENERATOR_VERSION = 4;

export interface DataSpec {
  seed: number;
  /** Rows of the long CSV. */
  rows: number;
  /** Rows of the long table written as .xlsx (the CSV's first rows). */
  xlsxRows: number;
  /** Partner × product rows of the wide yearbook workbook. */
  yearbookRows: number;
  /** Row counts of the scaling prefixes (the largest may equal `rows`). */
  scaling: number[];
  /** Whether the long table carries a `quantity (kg)` column besides the value. */
  quantity: boolean;
}

export interface DataFiles {
  dir: string;
  csv: string;
  /** The CSV with 1% of the values changed (every 100th row), for the revision case. */
  csvRevised: string;
  xlsx: string;
  /** Every row of the CSV as one sheet, written by a streaming writer (SheetJS cannot write 1M rows). */
  xlsxLarge: string;
  yearbook: string;
  /** Row count → CSV holding the CSV's first rows. */
  scaling: Map<number, string>;
}

/** mulberry32: small, fast and the same everywhere. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const YEARS = Array.from({ length: 15 }, (_, i) => 2009 + i);
const FLOWS = ['export', 'import'] as const;
const PRODUCTS = 400;

/** Partner labels the reference lists map back to their own code (English names, no World or China). */
export function partnerLabels(): { label: string; zh: string }[] {
  const ref = loadReference();
  const file = path.join(path.dirname(new URL(import.meta.url).pathname), '../../data/reference/countries.csv');
  const lines = readFileSync(file, 'utf8').split(/\r?\n/).slice(1);
  const out: { label: string; zh: string }[] = [];
  for (const line of lines) {
    const [code, , en, zh] = line.split(',');
    if (!code || !en || !zh || code === 'WLD' || code === 'CHN' || en.includes('"')) continue;
    if (ref.lookup(en)?.code === code && ref.lookup(zh)?.code === code) out.push({ label: en, zh });
  }
  return out;
}

/** HS6 codes spread over the chapters, deterministic. */
function productCodes(n: number, next: () => number): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  while (out.length < n) {
    const chapter = 1 + Math.floor(next() * 97);
    const code = `${String(chapter).padStart(2, '0')}${String(1 + Math.floor(next() * 99)).padStart(2, '0')}${String(Math.floor(next() * 100)).padStart(2, '0')}`;
    if (chapter === 77 || seen.has(code)) continue;
    seen.add(code);
    out.push(code);
  }
  return out;
}

function csvField(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

async function writeLines(file: string, lines: Iterable<string>): Promise<void> {
  const tmp = `${file}.tmp`;
  const out = createWriteStream(tmp);
  let buf = '';
  for (const line of lines) {
    buf += line;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
  renameSync(tmp, file);
}

/**
 * Row i of the long table. The natural key (year, partner, flow, product) of row i is a fixed
 * permutation of the key space, so every prefix of the file is free of duplicates.
 */
function* longRows(spec: DataSpec, partners: string[], products: string[], revised: boolean): Generator<string> {
  const keySpace = YEARS.length * partners.length * FLOWS.length * products.length;
  if (spec.rows > keySpace) throw new Error(`bench: ${spec.rows} rows exceed the key space ${keySpace}`);
  // A multiplier coprime with the key space walks it without repeats.
  let step = 7_919;
  while (gcd(step, keySpace) !== 1) step += 2;
  const next = rng(spec.seed);
  yield `year,reporter,partner,product,flow,value (USD)${spec.quantity ? ',quantity (kg)' : ''}\n`;
  for (let i = 0; i < spec.rows; i++) {
    let k = (i * step) % keySpace;
    const product = products[k % products.length]!;
    k = Math.floor(k / products.length);
    const flow = FLOWS[k % FLOWS.length]!;
    k = Math.floor(k / FLOWS.length);
    const partner = partners[k % partners.length]!;
    k = Math.floor(k / partners.length);
    const year = YEARS[k]!;
    let value = Math.round(next() * 1e9) / 100;
    const qty = Math.floor(next() * 1e6);
    if (revised && i % 100 === 0) value = Math.round(value * 110) / 100 + 1;
    yield `${year},CN-HL,${csvField(partner)},HS ${product},${flow},${value}${spec.quantity ? `,${qty}` : ''}\n`;
  }
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

async function headLines(src: string, dest: string, rows: number): Promise<void> {
  const rl = createInterface({ input: createReadStream(src), crlfDelay: Infinity });
  const lines: string[] = [];
  for await (const line of rl) {
    lines.push(`${line}\n`);
    if (lines.length > rows) break;
  }
  rl.close();
  await writeLines(dest, lines);
}

/** A line of the generated CSV, which quotes nothing except partner names with commas. */
function csvCells(line: string): string[] {
  return line.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.slice(0, -1).map((c) => c.replace(/,$/, '').replace(/^"|"$/g, '').replace(/""/g, '"'));
}

/**
 * The long table's cell types in both workbooks: year, value and quantity are numbers; reporter,
 * partner, product (`HS 010121`, whose leading zeros must survive) and flow are text, as is the header.
 */
function isNumberCell(row: number, column: number): boolean {
  return row > 0 && (column === 0 || column >= 5);
}

async function csvToXlsx(src: string, dest: string, rows: number): Promise<void> {
  const rl = createInterface({ input: createReadStream(src), crlfDelay: Infinity });
  const aoa: (string | number)[][] = [];
  for await (const line of rl) {
    const row = aoa.length;
    aoa.push(csvCells(line).map((c, j) => (isNumberCell(row, j) ? Number(c) : c)));
    if (aoa.length > rows) break;
  }
  rl.close();
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(aoa, { dense: true }), 'trade');
  writeFileSync(`${dest}.tmp`, XLSX.write(wb, { type: 'buffer', bookType: 'xlsx', compression: true }) as Buffer);
  renameSync(`${dest}.tmp`, dest);
}

const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const SPREADSHEET_CT = 'application/vnd.openxmlformats-officedocument.spreadsheetml';

/** The workbook's fixed parts: one sheet `trade` (as csvToXlsx names it), shared strings, default styles. */
const WORKBOOK_PARTS: [string, string][] = [
  [
    '[Content_Types].xml',
    `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="${SPREADSHEET_CT}.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="${SPREADSHEET_CT}.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="${SPREADSHEET_CT}.sharedStrings+xml"/><Override PartName="/xl/styles.xml" ContentType="${SPREADSHEET_CT}.styles+xml"/></Types>`,
  ],
  ['_rels/.rels', `<Relationships xmlns="${PKG_REL_NS}"><Relationship Id="rId1" Type="${REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>`],
  ['xl/workbook.xml', `<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><sheets><sheet name="trade" sheetId="1" r:id="rId1"/></sheets></workbook>`],
  [
    'xl/_rels/workbook.xml.rels',
    `<Relationships xmlns="${PKG_REL_NS}"><Relationship Id="rId1" Type="${REL_NS}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${REL_NS}/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="${REL_NS}/styles" Target="styles.xml"/></Relationships>`,
  ],
  [
    'xl/styles.xml',
    `<styleSheet xmlns="${MAIN_NS}"><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`,
  ],
];

function xmlText(s: string): string {
  return s.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

/** A column's letters: 0 → A, 25 → Z, 26 → AA. */
function columnName(j: number): string {
  let name = '';
  for (let n = j + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

/**
 * The CSV's header and first `rows` rows as one sheet, streamed line by line into a zip, with the
 * text in a shared-string table as Excel writes it (the text columns repeat a few hundred values).
 * The table is built while the sheet streams and written after it, as Excel orders the parts too.
 * Memory stays flat however many rows; cell types are csvToXlsx's, so both files read the same.
 */
async function csvToLargeXlsx(src: string, dest: string, rows: number): Promise<void> {
  const strings = new Map<string, number>();
  let references = 0;
  const shared = (s: string): number => {
    references++;
    let i = strings.get(s);
    if (i === undefined) {
      i = strings.size;
      strings.set(s, i);
    }
    return i;
  };
  let written = 0;
  async function* sheet(): AsyncGenerator<string> {
    const rl = createInterface({ input: createReadStream(src), crlfDelay: Infinity });
    let columns: string[] = [];
    let buf = '';
    try {
      for await (const line of rl) {
        const cells = csvCells(line);
        const r = written;
        if (r === 0) {
          columns = cells.map((_, j) => columnName(j));
          buf += `${XML_DECL}<worksheet xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><dimension ref="A1:${columns[columns.length - 1]}${rows + 1}"/><sheetData>`;
        }
        const n = r + 1;
        buf += `<row r="${n}">`;
        for (let j = 0; j < cells.length; j++) {
          const c = cells[j]!;
          if (isNumberCell(r, j)) {
            const v = Number(c);
            if (c === '' || !Number.isFinite(v)) throw new Error(`bench: ${src} line ${n}: "${c}" is not a number`);
            buf += `<c r="${columns[j]}${n}"><v>${v}</v></c>`;
          } else buf += `<c r="${columns[j]}${n}" t="s"><v>${shared(c)}</v></c>`;
        }
        buf += '</row>';
        written++;
        if (buf.length > 1 << 16) {
          yield buf;
          buf = '';
        }
        if (written > rows) break;
      }
    } finally {
      rl.close();
    }
    yield `${buf}</sheetData></worksheet>`;
  }
  const tmp = `${dest}.tmp`;
  const zip = await ZipWriter.create(tmp);
  try {
    for (const [name, xml] of WORKBOOK_PARTS) await zip.add(name, `${XML_DECL}${xml}`);
    await zip.add('xl/worksheets/sheet1.xml', sheet());
    if (written !== rows + 1) throw new Error(`bench: ${src} has ${written - 1} rows, not ${rows}`);
    const sst = [`${XML_DECL}<sst xmlns="${MAIN_NS}" count="${references}" uniqueCount="${strings.size}">`];
    for (const s of strings.keys()) sst.push(`<si><t${/^\s|\s$/.test(s) ? ' xml:space="preserve"' : ''}>${xmlText(s)}</t></si>`);
    sst.push('</sst>');
    await zip.add('xl/sharedStrings.xml', sst);
  } catch (e) {
    await zip.abort();
    rmSync(tmp, { force: true });
    throw e;
  }
  await zip.close();
  renameSync(tmp, dest);
}

/**
 * A yearbook table: title, a unit row (`单位：万美元`), two header rows (years merged over
 * 进出口/出口/进口), partners and products down, a few missing markers, a footnote.
 */
function writeYearbook(dest: string, spec: DataSpec, partners: { label: string; zh: string }[], products: string[]): void {
  const next = rng(spec.seed + 1);
  const flows = ['进出口', '出口', '进口'];
  const title = ['表11-4 黑龙江省按国别（地区）和商品分的进出口总额'];
  const unit = ['单位：万美元'];
  const h1: (string | number | null)[] = ['国别（地区）', '商品'];
  const h2: (string | null)[] = [null, null];
  for (const y of YEARS) {
    h1.push(y, null, null);
    h2.push(...flows);
  }
  const aoa: (string | number | null)[][] = [title, unit, h1, h2];
  const perPartner = Math.ceil(spec.yearbookRows / partners.length);
  for (let i = 0; i < spec.yearbookRows; i++) {
    const p = partners[Math.floor(i / perPartner) % partners.length]!;
    const row: (string | number | null)[] = [p.zh, `HS ${products[i % perPartner]}`];
    for (let y = 0; y < YEARS.length; y++) {
      const ex = Math.round(next() * 1e6) / 10;
      const im = Math.round(next() * 1e6) / 10;
      if (next() < 0.01) row.push('—', '—', '—');
      else row.push(Math.round((ex + im) * 10) / 10, ex, im);
    }
    aoa.push(row);
  }
  aoa.push([]);
  aoa.push(['注：本表数据为基准测试生成的示意数据。']);
  const ws = XLSX.utils.aoa_to_sheet(aoa, { dense: true });
  const merges: XLSX.Range[] = [
    { s: { r: 2, c: 0 }, e: { r: 3, c: 0 } },
    { s: { r: 2, c: 1 }, e: { r: 3, c: 1 } },
  ];
  YEARS.forEach((_, y) => merges.push({ s: { r: 2, c: 2 + y * 3 }, e: { r: 2, c: 4 + y * 3 } }));
  ws['!merges'] = merges;
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, ws, '11-4');
  writeFileSync(`${dest}.tmp`, XLSX.write(wb, { type: 'buffer', bookType: 'xlsx', compression: true }) as Buffer);
  renameSync(`${dest}.tmp`, dest);
}

/** Generates (or reuses) the files of `spec` under `root`/<seed>-<rows>[-q]/. */
export async function ensureData(root: string, spec: DataSpec, log: (line: string) => void): Promise<DataFiles> {
  const dir = path.join(root, `seed${spec.seed}-${spec.rows}${spec.quantity ? '-q' : ''}`);
  const files: DataFiles = {
    dir,
    csv: path.join(dir, 'trade.csv'),
    csvRevised: path.join(dir, 'trade-revised.csv'),
    xlsx: path.join(dir, `trade-${spec.xlsxRows}.xlsx`),
    xlsxLarge: path.join(dir, 'trade-all.xlsx'),
    yearbook: path.join(dir, `yearbook-${spec.yearbookRows}.xlsx`),
    scaling: new Map(spec.scaling.map((n) => [n, n === spec.rows ? path.join(dir, 'trade.csv') : path.join(dir, `trade-${n}.csv`)])),
  };
  const manifestFile = path.join(dir, 'manifest.json');
  const manifest = JSON.stringify({ version: GENERATOR_VERSION, ...spec });
  const all = [files.csv, files.csvRevised, files.xlsx, files.xlsxLarge, files.yearbook, ...files.scaling.values()];
  if (existsSync(manifestFile) && readFileSync(manifestFile, 'utf8') === manifest && all.every((f) => existsSync(f))) {
    log(`data: reusing ${dir}`);
    return files;
  }
  mkdirSync(dir, { recursive: true });
  const t0 = performance.now();
  const countries = partnerLabels();
  const products = productCodes(PRODUCTS, rng(spec.seed + 2));
  const partners = countries.map((c) => c.label);
  await writeLines(files.csv, longRows(spec, partners, products, false));
  await writeLines(files.csvRevised, longRows(spec, partners, products, true));
  for (const [n, file] of files.scaling) if (file !== files.csv) await headLines(files.csv, file, n);
  await csvToXlsx(files.csv, files.xlsx, spec.xlsxRows);
  await csvToLargeXlsx(files.csv, files.xlsxLarge, spec.rows);
  writeYearbook(files.yearbook, spec, countries, products);
  writeFileSync(manifestFile, manifest);
  log(`data: generated ${dir} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return files;
}
