// Facts and rejects → staging-table rows as plain values (a direct load into SQLite: the warehouse
// columns only), or as COPY text (a direct load into PostgreSQL): the part of loading that needs no
// database. The streaming path runs it in its producer thread (stream.ts), so the rows reach the
// main thread ready for the driver; load.ts's StreamLoad stages, inserts or COPYs them, and
// loadFacts uses the same column readers.
import { FACT_KEYS, type FactTableName } from '../warehouse/database.js';
import type { StageValue } from '../warehouse/dialect.js';
import { copyEscape, copyField } from '../warehouse/copy-text.js';
import type { Fact, Reject } from './types.js';

/** What a staged row says about its run. */
export interface StageIdentity {
  sourceId: string;
  runId: number;
  sha256: string;
}

/** The non-key columns of each fact table, as staged and merged. */
export const NON_KEY: Record<FactTableName, readonly string[]> = {
  trade_flow: ['value', 'unit', 'currency', 'value_usd', 'illustrative', 'run_id', 'cell'],
  investment_flow: ['value', 'unit', 'currency', 'value_usd', 'illustrative', 'run_id', 'cell'],
  indicator: ['value', 'unit', 'currency', 'value_usd', 'illustrative', 'run_id', 'cell'],
  fx_rate: ['per_usd', 'run_id', 'cell'],
};

/**
 * A staging column's value for a fact `f`, as a JavaScript expression over `f`, `sourceId`, `runId`
 * and `cellPrefix`: the one place that says what each column holds. `reader` and `rowPusher` are
 * compiled from it, so a fact's values are named property loads rather than a closure call and a
 * keyed load per column (issue 6: ≈ 0.7 s of a million-row pull's producer thread). Columns are the
 * warehouse's own names, never input.
 */
function valueExpression(column: string): string {
  switch (column) {
    case 'source_id':
      return 'sourceId';
    case 'run_id':
      return 'runId';
    case 'cell':
      return 'cellPrefix + f.cell';
    case 'illustrative':
      return '(f.illustrative ? 1 : 0)';
    default:
      if (!/^[a-z_]+$/.test(column)) throw new Error(`stage-encode: "${column}" is not a column name`);
      return `(f.${column} ?? null)`;
  }
}

/**
 * `body` (a function expression over `f`) with the run's identity and the COPY field writers bound;
 * `cellPrefix` is what comes before each fact's cell (default the run's `sha256#`).
 */
function compile<T>(body: string, input: StageIdentity, cellPrefix = `${input.sha256}#`): T {
  const make = new Function('sourceId', 'runId', 'cellPrefix', 'copyField', 'copyEscape', `return ${body};`) as (
    sourceId: string,
    runId: number,
    cellPrefix: string,
    field: typeof copyField,
    escape: typeof copyEscape,
  ) => T;
  return make(input.sourceId, input.runId, cellPrefix, copyField, copyEscape);
}

/**
 * A staging column's value as a COPY text field (copy-text.ts), as an expression like
 * valueExpression's. The run's own columns are fixed for the run and written as literals.
 */
function copyFieldExpression(column: string, input: StageIdentity): string {
  switch (column) {
    case 'source_id':
      return JSON.stringify(copyEscape(input.sourceId));
    case 'run_id':
      return JSON.stringify(String(input.runId));
    case 'cell':
      // The run's hash prefix is escaped once, here; per row only the cell is scanned (and the
      // joined string is not flattened for the scan).
      return `${JSON.stringify(copyEscape(`${input.sha256}#`))} + copyEscape(f.cell)`;
    case 'illustrative':
      return "(f.illustrative ? '1' : '0')";
    default:
      return `copyField(${valueExpression(column)})`;
  }
}

/** One staging-table column's value for a fact, read without building a row object per fact. */
export function reader(column: string, input: StageIdentity): (f: Fact) => StageValue {
  return compile(`(f) => ${valueExpression(column)}`, input);
}

/**
 * A function pushing a fact's values for `columns`, in order, onto a flat row list; `bareCell`: the
 * cell without the run's hash prefix (directRowColumns).
 */
export function rowPusher(columns: readonly string[], input: StageIdentity, options: { bareCell?: boolean } = {}): (f: Fact, rows: StageValue[]) => void {
  return compile(`(f, rows) => { rows.push(${columns.map(valueExpression).join(', ')}); }`, input, options.bareCell ? '' : undefined);
}

/** The run's own columns, the same in every row of a run. */
const RUN_COLUMNS = new Set(['source_id', 'run_id']);

/**
 * The columns of a direct load's rows into SQLite, in order: the warehouse columns but the run's
 * own (source_id, run_id), which the INSERT writes as literals, with the cell without the run's
 * hash prefix, which the INSERT prepends (load.ts). Fewer and shorter values to clone across the
 * threads and to bind: 3 of 14 values, and 65 of a trade fact's ≈ 85 characters of cell.
 * The key columns come first, as many as directKeyCount says.
 */
export function directRowColumns(table: FactTableName): string[] {
  return [...FACT_KEYS[table], ...NON_KEY[table]].filter((c) => !RUN_COLUMNS.has(c));
}

/** How many of directRowColumns' first columns are key columns. */
export function directKeyCount(table: FactTableName): number {
  return FACT_KEYS[table].filter((c) => !RUN_COLUMNS.has(c)).length;
}

/**
 * A function writing a fact's values for `columns` as one line of PostgreSQL's COPY text format:
 * a direct load's rows cross from the producer thread as one string per batch, which the main
 * thread hands to the COPY as it is (issue 6: cloning the value lists and writing the text on the
 * main thread cost it ≈ 4 s of CPU a million rows, beside the server's COPY on two cores).
 */
export function copyLiner(columns: readonly string[], input: StageIdentity): (f: Fact) => string {
  // A value already in US dollars has value_usd equal to value: its text is written once, not
  // printed from the number twice (a million-row trade load prints two million numbers otherwise).
  const shared = columns.indexOf('value') >= 0 && columns.indexOf('value') < columns.indexOf('value_usd');
  const fields = columns.map((c) => {
    const field = copyFieldExpression(c, input);
    if (shared && c === 'value') return `(value = ${field})`;
    if (shared && c === 'value_usd') return `(f.value_usd === f.value ? value : ${field})`;
    return field;
  });
  return compile(`(f) => { let value; return ${fields.join(" + '\\t' + ")} + '\\n'; }`, input);
}

/**
 * One table's rows of a batch: `count` rows of `width` values each, one after another (the staging
 * columns, or for a direct load into SQLite the warehouse columns only); or, for a direct load into
 * PostgreSQL, the rows of the warehouse columns as COPY text (StageEncoder's `direct`).
 */
export interface EncodedTable {
  table: FactTableName;
  rows: StageValue[];
  /**
   * COPY text of the key and non-key columns (no `seq`, no `raw`) as UTF-8 `bytes`, with where each
   * line ends (the offset after its newline, for copy-runs.ts); postMessage transfers both
   * (`transferables`). `rows` is then empty.
   */
  copy?: CopyLines;
  /** A direct load's rows into SQLite, of directRowColumns, in key order (keyOrder), packed; `rows` is then empty. */
  direct?: true;
  packed?: PackedRows;
  count: number;
  /** Some key hash so far (this batch or an earlier one) was seen twice: duplicates are possible. */
  repeated: boolean;
}

/** A batch of facts and rejects as staging rows (see StageEncoder). */
export interface EncodedBatch {
  tables: EncodedTable[];
  /** run_id, cell, reason, raw, seq per reject. */
  rejects: { rows: StageValue[]; count: number } | null;
  /** The batch's first reject with its record number, for the run's first reject. */
  firstReject: { seq: number; reject: Reject } | null;
}

/** The staging columns of a fact table: its key and non-key columns, then the record number and raw cell. */
export function stageColumns(table: FactTableName): string[] {
  return [...FACT_KEYS[table], ...NON_KEY[table], 'seq', 'raw'];
}

/** A batch's COPY lines: their UTF-8 bytes and where each line ends. */
export interface CopyLines {
  bytes: Uint8Array;
  ends: Uint32Array;
}

/** How a direct load's facts cross from the producer: PostgreSQL COPY text, or SQLite value rows. */
export type DirectEncoding = 'copy' | 'rows';

export const REJECT_STAGE_COLUMNS = ['run_id', 'cell', 'reason', 'raw', 'seq'] as const;

/**
 * Turns batches of facts (with their records' numbers and raw cells) and rejects into staging
 * rows, keeping the key hashes of every fact seen across batches.
 */
export class StageEncoder {
  private readonly tables = new Map<FactTableName, { push: (f: Fact, rows: StageValue[]) => void; keys: KeyHashes }>();
  private readonly liners = new Map<FactTableName, (f: Fact) => string>();
  private readonly copyText = new Map<FactTableName, CopyBytes>();
  private readonly pushers = new Map<FactTableName, (f: Fact, rows: StageValue[]) => void>();

  /**
   * `direct`: a direct load (load.ts, StreamLoad.startDirect): facts of every table but fx_rate are
   * written as the warehouse columns only — COPY text for PostgreSQL (`copy`), value rows for
   * SQLite (`rows`) — without their record numbers, raw cells or key hashes (the table's primary key
   * refuses a duplicate; the load is then staged from the start).
   */
  constructor(
    private readonly identity: StageIdentity,
    private readonly options: { direct?: DirectEncoding } = {},
  ) {}

  encode(facts: readonly Fact[], factSeq: readonly number[], factRaw: readonly (string | null)[], rejects: readonly Reject[], rejectSeq: readonly number[]): EncodedBatch {
    const byTable = new Map<FactTableName, EncodedTable>();
    for (let at = 0; at < facts.length; at++) {
      const f = facts[at]!;
      if (this.options.direct !== undefined && f.table !== 'fx_rate') {
        if (this.options.direct === 'copy') this.encodeText(f, byTable);
        else this.encodeDirectRow(f, byTable);
        continue;
      }
      // A direct load's producer keeps record numbers only for fx_rate's facts (stream.ts, produce).
      if (factSeq.length <= at) throw new Error(`StageEncoder: a staged ${f.table} fact came without its record number`);
      let t = this.tables.get(f.table);
      if (!t) {
        t = { push: rowPusher([...FACT_KEYS[f.table], ...NON_KEY[f.table]], this.identity), keys: new KeyHashes() };
        this.tables.set(f.table, t);
      }
      let out = byTable.get(f.table);
      if (!out) byTable.set(f.table, (out = { table: f.table, rows: [], count: 0, repeated: false }));
      const { push, keys } = t;
      const rows = out.rows;
      const start = rows.length;
      push(f, rows);
      keys.add(rows, start, FACT_KEYS[f.table].length);
      rows.push(factSeq[at]!);
      const raw = factRaw[at] ?? null;
      rows.push(raw === null ? null : raw.slice(0, 500));
      out.count++;
    }
    for (const [table, out] of byTable) {
      if (this.options.direct === 'copy' && table !== 'fx_rate') out.copy = this.copyText.get(table)!.take();
      else if (out.direct) {
        const width = directRowColumns(table).length;
        out.packed = packRows(out.rows, width, keyOrder(out.rows, width, directKeyCount(table)));
        out.rows = [];
      } else out.repeated = this.tables.get(table)?.keys.repeated ?? false;
    }
    let encodedRejects: EncodedBatch['rejects'] = null;
    if (rejects.length > 0) {
      const rows: StageValue[] = [];
      for (let i = 0; i < rejects.length; i++) {
        const r = rejects[i]!;
        rows.push(this.identity.runId, `${this.identity.sha256}#${r.cell}`, r.reason.slice(0, 500), r.raw === null ? null : r.raw.slice(0, 500), rejectSeq[i]!);
      }
      encodedRejects = { rows, count: rejects.length };
    }
    return { tables: [...byTable.values()], rejects: encodedRejects, firstReject: rejects.length > 0 ? { seq: rejectSeq[0]!, reject: rejects[0]! } : null };
  }

  /** Appends a fact's warehouse columns to its table's rows in this batch (a direct load into SQLite). */
  private encodeDirectRow(f: Fact, byTable: Map<FactTableName, EncodedTable>): void {
    let push = this.pushers.get(f.table);
    if (!push) this.pushers.set(f.table, (push = rowPusher(directRowColumns(f.table), this.identity, { bareCell: true })));
    let out = byTable.get(f.table);
    if (!out) byTable.set(f.table, (out = { table: f.table, rows: [], direct: true, count: 0, repeated: false }));
    push(f, out.rows);
    out.count++;
  }

  /** Appends a fact's COPY line to its table's bytes in this batch. */
  private encodeText(f: Fact, byTable: Map<FactTableName, EncodedTable>): void {
    let line = this.liners.get(f.table);
    if (!line) this.liners.set(f.table, (line = copyLiner([...FACT_KEYS[f.table], ...NON_KEY[f.table]], this.identity)));
    let bytes = this.copyText.get(f.table);
    if (!bytes) this.copyText.set(f.table, (bytes = new CopyBytes()));
    let out = byTable.get(f.table);
    if (!out) byTable.set(f.table, (out = { table: f.table, rows: [], count: 0, repeated: false }));
    bytes.write(line(f));
    out.count++;
  }
}

/**
 * A batch's COPY lines written as UTF-8 into a buffer of its own as each is made, so the batch
 * crosses to the main thread by transfer and goes to the socket as it is. Kept as one string per
 * batch (`text += line`), each batch was a tree of ≈ 150,000 string pieces that lived until it was
 * posted: a million-row xlsx load's producer spent ≈ 0.9 s flattening and copying them into
 * postMessage and more in scavenges, and the main thread encoded them again for the socket (issue 6;
 * a script of 200 batches of 5,000 lines: 0.91–0.99 s of the producer's CPU as one string per
 * batch, 0.66–0.71 s written as bytes).
 */
class CopyBytes {
  private buffer: Buffer | null = null;
  private at = 0;
  private ends: number[] = [];
  /** The last batch's size: the next batch's buffer starts a little larger, so it seldom grows. */
  private last = 64 * 1024;

  write(line: string): void {
    // A UTF-16 code unit is at most three bytes of UTF-8.
    const most = line.length * 3;
    let buffer = this.buffer;
    if (buffer === null || this.at + most > buffer.length) {
      // Its own ArrayBuffer (never Node's shared pool), so it can be transferred.
      const grown = Buffer.allocUnsafeSlow(Math.max(buffer === null ? this.last + (this.last >> 3) : buffer.length * 2, this.at + most));
      if (buffer !== null) buffer.copy(grown, 0, 0, this.at);
      this.buffer = buffer = grown;
    }
    this.at += buffer.write(line, this.at);
    this.ends.push(this.at);
  }

  /** This batch's bytes and line ends; the next write starts a new buffer. */
  take(): CopyLines {
    const bytes = this.buffer === null ? new Uint8Array(0) : this.buffer.subarray(0, this.at);
    const ends = Uint32Array.from(this.ends);
    this.last = Math.max(this.at, 1024);
    this.buffer = null;
    this.at = 0;
    this.ends = [];
    return { bytes, ends };
  }
}

/**
 * The order of flat rows (`width` values each) by their first `keys` values, as row indexes: a
 * direct load into SQLite inserts each batch in key order, so the batch walks the primary-key index once from end to end
 * (1M rows in batches of 5,000: 13.4 s in the file's order, 9.0 s sorted, the sort included). The
 * order is NULL, then numbers, then text by UTF-16 code unit: SQLite's BINARY order (UTF-8 bytes)
 * but for characters beyond U+FFFF, which only puts a few inserts out of order, never a result.
 * Sorted here, on the producer thread, because the main thread's inserts are the load's critical path.
 */
export function keyOrder(rows: readonly StageValue[], width: number, keys: number): Uint32Array {
  const count = rows.length / width;
  const order = new Uint32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  order.sort((a, b) => {
    const x = a * width;
    const y = b * width;
    for (let j = 0; j < keys; j++) {
      const u = rows[x + j]!;
      const v = rows[y + j]!;
      if (u === v) continue;
      if (u === null || v === null) return u === null ? -1 : 1;
      if (typeof u !== typeof v) return typeof u === 'number' ? -1 : 1;
      return u < v ? -1 : 1;
    }
    return 0;
  });
  return order;
}

/**
 * A direct load's rows into SQLite as they cross to the main thread: the batch's distinct strings
 * once, and every value as a code in a typed array, which postMessage transfers instead of copying
 * (`transferables`). Sent as lists of values, 1M rows of 12 were ≈ 12M values to clone: 1.3 s of the
 * producer's postMessage in its profile, and the main thread, whose inserts are the load's
 * critical path, rebuilt them (a script: 0.7–1.0 s to deserialize them).
 */
export interface PackedRows {
  /** The batch's distinct strings, in order of first use. */
  strings: string[];
  /** Per value, row after row: its string's index in `strings`, NULL_CODE or NUMBER_CODE. */
  codes: Int32Array;
  /** Per value: the number where `codes` says NUMBER_CODE. */
  numbers: Float64Array;
}

const NULL_CODE = -1;
const NUMBER_CODE = -2;

/** Packs flat rows (`width` values each), taking the rows in `order`. */
export function packRows(rows: readonly StageValue[], width: number, order: Uint32Array): PackedRows {
  const strings: string[] = [];
  const index = new Map<string, number>();
  const codes = new Int32Array(rows.length);
  const numbers = new Float64Array(rows.length);
  let k = 0;
  for (let i = 0; i < order.length; i++) {
    const base = order[i]! * width;
    for (let j = 0; j < width; j++, k++) {
      const v = rows[base + j]!;
      if (v === null) codes[k] = NULL_CODE;
      else if (typeof v === 'number') {
        codes[k] = NUMBER_CODE;
        numbers[k] = v;
      } else {
        let c = index.get(v);
        if (c === undefined) {
          c = strings.length;
          strings.push(v);
          index.set(v, c);
        }
        codes[k] = c;
      }
    }
  }
  return { strings, codes, numbers };
}

/** Writes packed row `i` (`width` values) into `out`: StageRows' `fill` of packed rows. */
export function packedFill(packed: PackedRows, width: number): (i: number, out: StageValue[]) => void {
  const { strings, codes, numbers } = packed;
  return (i, out) => {
    const base = i * width;
    for (let j = 0; j < width; j++) {
      const c = codes[base + j]!;
      out[j] = c >= 0 ? strings[c]! : c === NULL_CODE ? null : numbers[base + j]!;
    }
  };
}

/** The buffers of a batch's packed rows and COPY bytes, for postMessage's transfer list (they are the receiver's after). */
export function transferables(batch: EncodedBatch): ArrayBuffer[] {
  return batch.tables.flatMap((t) => [
    ...(t.packed ? [t.packed.codes.buffer as ArrayBuffer, t.packed.numbers.buffer as ArrayBuffer] : []),
    ...(t.copy ? [t.copy.bytes.buffer as ArrayBuffer, t.copy.ends.buffer as ArrayBuffer].filter((b) => b.byteLength > 0) : []),
  ]);
}

/**
 * A set of 53-bit hashes of staged keys, ~16 bytes a key (a Map of the key strings would be ~100
 * bytes): it cannot say that two keys are equal, only that they are certainly all different, which
 * is the common case and lets `settle` skip its GROUP BY over the staging table (1.8 s at a million
 * rows on SQLite). A repeated hash — a duplicate, or one chance in ~10^4 at a million keys a
 * collision — sends `settle` to SQL, which decides exactly.
 */
export class KeyHashes {
  /** Some hash was added twice. */
  repeated = false;
  private table = new Float64Array(1 << 16);
  private size = 0;

  /** Adds the key made of `values[start..start+n)`. */
  add(values: readonly StageValue[], start: number, n: number): void {
    if (this.repeated) return;
    // FNV-1a twice (two offsets), 32 + 21 bits, over the values with a separator.
    let a = 0x811c9dc5;
    let b = 0x050c5d1f;
    for (let j = start; j < start + n; j++) {
      const v = values[j];
      const text = v === null ? '\u0000' : String(v);
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        a = Math.imul(a ^ c, 0x01000193);
        b = Math.imul(b ^ c, 0x01000193);
      }
      a = Math.imul(a ^ 0xffff, 0x01000193);
      b = Math.imul(b ^ 0xfffe, 0x01000193);
    }
    const h = (a >>> 0) * 0x200000 + ((b >>> 0) & 0x1fffff) + 1; // never 0, the empty slot
    if (this.size * 2 >= this.table.length) this.grow();
    if (!this.insert(this.table, h)) this.repeated = true;
    else this.size++;
  }

  private insert(table: Float64Array, h: number): boolean {
    const mask = table.length - 1;
    let i = (h % 0x40000000) & mask;
    for (;;) {
      const v = table[i]!;
      if (v === 0) {
        table[i] = h;
        return true;
      }
      if (v === h) return false;
      i = (i + 1) & mask;
    }
  }

  private grow(): void {
    const old = this.table;
    this.table = new Float64Array(old.length * 2);
    for (const h of old) if (h !== 0) this.insert(this.table, h);
  }
}
