// The streaming path for large CSV and xlsx files (issue 6): parse → shape → normalise → validate →
// load with the file never held whole. papaparse reads a CSV's decoded stream on this thread
// (parse.ts, streamCsv); an xlsx sheet's rows come from xlsx-stream.ts as its XML inflates. In
// either, the first rows go to detectLayout and every row after them to the same body reader
// `shape` uses (shape/index.ts, SheetStream); records are normalised as they come, and facts and
// rejects are staged a batch at a time inside the run's ONE transaction (load.ts, StreamLoad).
// Duplicates are found in the staging table, the reject-share gate is decided once everything is
// staged, and the merge is loadFacts's: the warehouse ends exactly as after the whole-grid path.
//
// When a file needs what only the whole grid gives — a head that is not plain UTF-8/UTF-16 CSV, no
// table or too little body in the first rows, a long tail of further tables, a row wider than the
// head with `layout.label_columns`, merged cells below the head rows, a workbook part the streaming
// reader does not read — the path throws before anything is committed (the transaction rolls back)
// and the caller reads the file whole: a fallback, never a different result.
import { basename, extname } from 'node:path';
import type { Kysely, Transaction } from 'kysely';
import type { SourceConfig } from '../config/schema.js';
import type { Database } from '../warehouse/database.js';
import { dialectOf } from '../warehouse/dialect.js';
import { Worker } from 'node:worker_threads';
import { UserError } from '../errors.js';
import { DirectConflict, StreamLoad, type LoadCounts } from './load.js';
import { createNormaliser, type NormaliseOptions } from './normalise.js';
import { reviveError as reviveSerialised, workerEntry, type SerialisedError } from '../threads.js';
import { CsvNeedsWholeFile, streamCsv } from './parse.js';
import type { Reference } from './reference.js';
import { StageEncoder, type DirectEncoding, type EncodedBatch, type StageIdentity } from './stage-encode.js';
import { NeedsWholeGrid, SheetStream, type SheetStreamLimits, type ShapeOptions } from './shape/index.js';
import { citingLine } from './shape/text.js';
import { validate, type Verdict } from './validate.js';
import type { CellValue, Fact, Range, Reject, SourceRecord, TableInfo } from './types.js';
import { XlsxBook, XlsxNeedsWholeFile } from './xlsx-stream.js';

/**
 * CSV files at least this large take the streaming path; smaller ones the whole-grid path (its
 * parse worker bounds time and memory, and a small grid costs little). 4 MiB is about 80,000 rows
 * of a long trade table, where the whole grid starts to cost hundreds of MB.
 * `TRADEBRIEF_CSV_STREAM_MIN_BYTES` overrides it (0 streams every CSV: the tests do).
 */
export const DEFAULT_STREAM_MIN_BYTES = 4 * 1024 * 1024;

/** The size from which a CSV streams: the environment's override or the default. */
export function streamMinBytes(env: NodeJS.ProcessEnv = process.env): number {
  return sizeFromEnv(env.TRADEBRIEF_CSV_STREAM_MIN_BYTES, DEFAULT_STREAM_MIN_BYTES);
}

/**
 * xlsx files at least this large take the streaming path. 1 MiB of xlsx is about 40,000 rows of a
 * long trade table (xlsx compresses about 4:1 against CSV): where SheetJS's whole workbook starts to
 * cost seconds and hundreds of MB. Smaller workbooks keep the whole-grid read, which also honours
 * merged cells and reads every kind of sheet. `TRADEBRIEF_XLSX_STREAM_MIN_BYTES` overrides it.
 */
export const DEFAULT_XLSX_STREAM_MIN_BYTES = 1024 * 1024;

/** The size from which an xlsx file streams: the environment's override or the default. */
export function xlsxStreamMinBytes(env: NodeJS.ProcessEnv = process.env): number {
  return sizeFromEnv(env.TRADEBRIEF_XLSX_STREAM_MIN_BYTES, DEFAULT_XLSX_STREAM_MIN_BYTES);
}

function sizeFromEnv(v: string | undefined, fallback: number): number {
  const n = v === undefined || v === '' ? NaN : Number(v);
  return Number.isFinite(n) && n >= 0 ? n : fallback;
}

/**
 * Facts and rejects per staged batch: `TRADEBRIEF_CSV_STREAM_BATCH` (tests make it small, to cross
 * batches), else 5,000. Small batches die young in V8's new space; 20,000-fact batches (and 1 MiB
 * reads) got promoted and left the 300k-row bench at 340 MiB instead of 225 MiB.
 */
export function streamBatch(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.TRADEBRIEF_CSV_STREAM_BATCH ?? '');
  return Number.isInteger(n) && n > 0 ? n : 5_000;
}

/** True for the errors that mean "read this file whole instead". */
export function needsWholeFile(err: unknown): err is NeedsWholeGrid | CsvNeedsWholeFile | XlsxNeedsWholeFile {
  return err instanceof NeedsWholeGrid || err instanceof CsvNeedsWholeFile || err instanceof XlsxNeedsWholeFile;
}

export interface StreamPullInput {
  /** The archived file. */
  path: string;
  /** What the file is; default csv. */
  format?: 'csv' | 'xlsx';
  /** How messages name the file (parseFile's `name`). */
  name: string;
  source: Pick<SourceConfig, 'id' | 'max_reject_share'>;
  shape: ShapeOptions;
  /** Normalise's options but its code lists and FX lookup, which the producer thread builds itself. */
  normalise: Omit<NormaliseOptions, 'reference' | 'fx'>;
  /** FX rates per `currency|year` (run.ts, loadFxRates). */
  fxRates: [string, number][];
  /**
   * Code lists other than data/reference (tests): the producer then runs on this thread, as it
   * does without worker threads. Default: data/reference, loaded by the producer thread.
   */
  reference?: Reference;
  runId: number;
  sha256: string;
  /** ISO timestamp for revisions. */
  now: string;
  /** Facts and rejects per staged batch; default streamBatch(). */
  batch?: number;
  /** Head and tail limits of the sheet stream (tests make them small). */
  limits?: SheetStreamLimits;
  /** Read size; default 64 KiB (streamCsv's). */
  chunkBytes?: number;
  /** false: stage even a first load (tests compare both ways). */
  direct?: boolean;
}

export interface StreamPullHooks {
  /** In the transaction, before the facts are merged (the run passed the gate): record the file and its notes. */
  beforeMerge(trx: Transaction<Database>, notes: string[]): Promise<void>;
  /** In the transaction, after the merge: e.g. refresh value_usd when FX rates changed. */
  afterMerge(trx: Transaction<Database>, counts: LoadCounts): Promise<void>;
}

export interface StreamPullResult {
  /** Records shaped (UnitResult.rowsRead). */
  recordsRead: number;
  facts: number;
  rejects: number;
  skipped: Record<string, number>;
  unconverted: string[];
  verdict: Verdict;
  /** Merge counts; all zero when the verdict failed. */
  counts: LoadCounts;
  /** Shape's warnings, in shape's order. */
  warnings: string[];
}

/**
 * Pulls one CSV or xlsx file through the streaming path in one transaction of `db`. Throws what
 * needsWholeFile recognises when the file must take the whole-grid path instead; nothing of the run
 * is then committed.
 *
 * Two threads share the work: a producer thread (stream-worker.ts) reads, shapes and normalises
 * the file and encodes each batch as staging rows, while this thread writes them through the
 * driver — better-sqlite3 writes synchronously, so on one thread reading and writing took turns
 * (a million rows: about 5 s of JavaScript beside 6 s of SQLite). At most two batches wait.
 */
export async function pullStreaming(db: Kysely<Database>, input: StreamPullInput, hooks: StreamPullHooks): Promise<StreamPullResult> {
  return db.transaction().execute(async (trx) => {
    // Write first: on SQLite (WAL) a transaction that reads before it writes cannot upgrade to a
    // writer once another process has committed (SQLITE_BUSY_SNAPSHOT, which busy_timeout does not
    // wait out); a write takes the lock up front, waiting for another pull's commit instead.
    await trx.updateTable('ingest_run').set({ rows_read: 0 }).where('id', '=', input.runId).execute();
    const load = new StreamLoad(trx, { sourceId: input.source.id, runId: input.runId, sha256: input.sha256, now: input.now });
    const request = producerRequest(input);
    const sqlite = dialectOf(trx as unknown as Kysely<object>) === 'sqlite';
    // A direct load's facts come from the producer as the warehouse columns only (stage-encode.ts,
    // StageEncoder's `direct`): COPY text for PostgreSQL, value rows for SQLite.
    const run = (direct: DirectEncoding | undefined) => {
      const req: ProducerRequest = direct ? { ...request, direct } : request;
      return input.reference ? produceHere(req, input.reference, load) : produceInWorker(req, load);
    };
    // A source never loaded before has nothing to merge, so its facts go straight to the warehouse,
    // skipping the staging table and the merge's second write of every row (PostgreSQL, 1M rows:
    // the merge alone took 13 s beside COPY's 10 s; SQLite: the merge's count, sort and insert ran
    // after the file was read, 5 s of a 22 s xlsx pull). If a key is already there after all (a
    // duplicate in the file, another source's fact), that attempt is undone and the file read
    // again through the staging tables. On SQLite each batch goes in in key order into a larger
    // page cache: inserted in the file's order with the default 2 MiB cache, a direct load was
    // slower than staging and merging (1M rows: 17.7 → 23.4 s).
    const loadedBefore = await trx
      .selectFrom('ingest_run')
      .select('id')
      .where('source_id', '=', input.source.id)
      .where('status', '=', 'loaded')
      .limit(1)
      .executeTakeFirst();
    let produced: Produced;
    if (loadedBefore === undefined && input.direct !== false) {
      await load.startDirect();
      try {
        produced = await run(sqlite ? 'rows' : 'copy');
        await load.endCopies();
      } catch (err) {
        if (!(err instanceof DirectConflict)) {
          await load.abortCopies();
          throw err;
        }
        produced = await run(undefined);
      }
    } else produced = await run(undefined);
    const { shaped } = produced;

    const settled = await load.settle();
    const verdict = validate(input.source, produced.records, { facts: settled.facts, rejects: settled.rejects, firstReject: settled.firstReject });
    let counts: LoadCounts;
    if (verdict.ok) {
      await hooks.beforeMerge(trx, [...new Set([...shaped.tables.flatMap((t) => t.notes), ...shaped.sourceLines])]);
      counts = await load.finish(true);
      await hooks.afterMerge(trx, counts);
    } else counts = await load.finish(false);
    return {
      recordsRead: produced.records,
      facts: settled.facts,
      rejects: settled.rejects,
      skipped: produced.skipped,
      unconverted: produced.unconverted,
      verdict,
      counts,
      warnings: shaped.warnings,
    };
  });
}

// ---------------------------------------------------------------------------------------------
// The producer: file → records → facts and rejects → staging rows, a batch at a time.

/** What the producer needs: plain data, as it crosses to a worker thread. */
export interface ProducerRequest {
  path: string;
  format: 'csv' | 'xlsx';
  name: string;
  shape: ShapeOptions;
  normalise: Omit<NormaliseOptions, 'reference' | 'fx'>;
  fxRates: [string, number][];
  identity: StageIdentity;
  batch: number;
  limits?: SheetStreamLimits;
  chunkBytes?: number;
  /**
   * Facts go straight to the warehouse (StreamLoad.startDirect): encode them as COPY text
   * (PostgreSQL) or as rows of the warehouse columns (SQLite).
   */
  direct?: DirectEncoding;
}

/** What the producer reports after its last batch. */
export interface Produced {
  shaped: Streamed;
  /** Records shaped. */
  records: number;
  skipped: Record<string, number>;
  unconverted: string[];
}

function producerRequest(input: StreamPullInput): ProducerRequest {
  return {
    path: input.path,
    format: input.format ?? 'csv',
    name: input.name,
    shape: input.shape,
    normalise: input.normalise,
    fxRates: input.fxRates,
    identity: { sourceId: input.source.id, runId: input.runId, sha256: input.sha256 },
    batch: input.batch ?? streamBatch(),
    ...(input.limits ? { limits: input.limits } : {}),
    ...(input.chunkBytes ? { chunkBytes: input.chunkBytes } : {}),
  };
}

/**
 * Runs the producer over `req`, handing each encoded batch to `emit` (awaited: the producer waits
 * for it). Throws NeedsWholeGrid and the like when the file needs the whole-grid path.
 */
export async function produce(req: ProducerRequest, reference: Reference, emit: (batch: EncodedBatch) => Promise<void>): Promise<Produced> {
  const fx = new Map(req.fxRates);
  const normaliser = createNormaliser({ ...req.normalise, reference, fx: (currency, year) => fx.get(`${currency}|${year}`) ?? null }, { dedupe: false });
  const encoder = new StageEncoder(req.identity, req.direct ? { direct: req.direct } : {});
  let facts: Fact[] = [];
  let factSeq: number[] = [];
  let factRaw: (string | null)[] = [];
  let rejects: Reject[] = [];
  let rejectSeq: number[] = [];
  let seq = 0;
  // A direct load's facts go without record numbers or raw cells (stage-encode.ts): only fx_rate's
  // facts, which are always staged, need them. A million-row pull spent ≈ 0.6 s here writing what
  // the direct load then threw away.
  const provenance = req.direct === undefined || req.normalise.dataset === 'fx';
  const onRecord = (rec: SourceRecord): void => {
    const nf = facts.length;
    const nr = rejects.length;
    normaliser.push(rec, facts, rejects);
    if (facts.length > nf) {
      if (provenance) {
        factSeq.push(seq);
        factRaw.push(rec.raw === null || rec.raw === undefined ? null : String(rec.raw));
      }
    } else if (rejects.length > nr) rejectSeq.push(seq);
    seq++;
  };
  const flush = async (): Promise<void> => {
    if (facts.length === 0 && rejects.length === 0) return;
    const batch = encoder.encode(facts, factSeq, factRaw, rejects, rejectSeq);
    facts = [];
    factSeq = [];
    factRaw = [];
    rejects = [];
    rejectSeq = [];
    await emit(batch);
  };
  const stream = (name: string, opts: ShapeOptions, merges?: Range[]) => new SheetStream(name, opts, onRecord, req.limits, merges);
  const afterRows = async (): Promise<void> => {
    if (facts.length + rejects.length >= req.batch) await flush();
  };
  const shaped = req.format === 'xlsx' ? await streamWorkbook(req, stream, afterRows) : await streamCsvSheet(req, stream, afterRows);
  await flush();
  return { shaped, records: seq, skipped: normaliser.skipped, unconverted: normaliser.unconverted() };
}

/** The producer on this thread, one batch staged while the next is read (PostgreSQL's COPY runs beside the reading). */
async function produceHere(req: ProducerRequest, reference: Reference, load: StreamLoad): Promise<Produced> {
  let pending: Promise<void> = Promise.resolve();
  try {
    const produced = await produce(req, reference, async (batch) => {
      await pending;
      pending = load.add(batch);
      // Its failure surfaces at the next batch or the end; until then it is not unhandled (SQLite's
      // inserts fail at once, while the producer may be waiting on the file).
      pending.catch(() => undefined);
    });
    await pending;
    return produced;
  } catch (err) {
    // The batch in flight finishes (or fails) before the transaction rolls back under it; its
    // own failure is moot then, and must not surface later as an unhandled rejection.
    await pending.catch(() => undefined);
    throw err;
  }
}

/** Batches the producer thread may have sent ahead of the ones staged. */
const AHEAD = 2;

/**
 * The producer thread's young generation in a direct load (COPY text or SQLite rows), where that
 * thread is most of the pull's critical path: every record, fact and row dies young, and with
 * V8's default (48 MiB) the thread spent ≈ 2.3 s of a 1M-row xlsx pull's 14.6 s scavenging.
 * Alternating runs here, 1M rows into PostgreSQL, default → 96 MiB: xlsx 14.8 / 13.8 → 13.7 / 13.3 s
 * (user CPU 14.1 / 12.9 → 12.0 / 11.8 s), CSV 13.7 / 13.5 → 10.7 / 13.0 s (user CPU 13.2 / 12.6 →
 * 9.6 / 10.7 s), peak RSS +30–40 MiB. xlsx into SQLite, alternating runs (ninth session): 8.4 / 9.2 /
 * 9.8 s → 7.5 / 7.3 / 7.4 s, user CPU 12.4–14.5 → 11.1–11.3 s, peak RSS 345 → 385 MiB (the
 * benchmark allows 500 MiB for xlsx). A CSV into SQLite keeps the default: it peaked at 309 MiB with
 * it (262 MiB without), over the 300 MiB the benchmark allows a CSV, for ≈ 0.5 s. Staged loads keep
 * it too: the main thread's writes are their critical path (xlsx 1M → SQLite, medians of 4: 18.6 s
 * without, 18.7 s with).
 */
const DIRECT_YOUNG_GENERATION_MB = 96;

/** Whether the producer thread gets DIRECT_YOUNG_GENERATION_MB (see there for why these loads only). */
export function largeYoungGeneration(req: Pick<ProducerRequest, 'direct' | 'format'>): boolean {
  return req.direct === 'copy' || (req.direct === 'rows' && req.format === 'xlsx');
}

/** The producer in a worker thread (stream-worker.ts); its batches are staged here, in order. */
async function produceInWorker(req: ProducerRequest, load: StreamLoad): Promise<Produced> {
  const entry = workerEntry('stream-worker');
  const worker = new Worker(entry.script, {
    eval: entry.eval,
    workerData: { request: req, ahead: AHEAD } satisfies ProducerWorkerData,
    // A hostile file costs the producer thread, not the process (as parse.ts's worker).
    resourceLimits: { maxOldGenerationSizeMb: 1024, ...(largeYoungGeneration(req) ? { maxYoungGenerationSizeMb: DIRECT_YOUNG_GENERATION_MB } : {}) },
  });
  let staged: Promise<void> = Promise.resolve();
  try {
    return await new Promise<Produced>((resolve, reject) => {
      let failed = false;
      const fail = (err: unknown) => {
        if (failed) return;
        failed = true;
        // Let the batch being staged finish before the caller's transaction rolls back.
        void staged.catch(() => undefined).then(() => reject(err));
      };
      worker.on('message', (msg: ProducerMessage) => {
        if (failed) return;
        if (msg.type === 'batch') {
          staged = staged.then(() => load.add(msg.batch)).then(() => worker.postMessage('staged'));
          staged.catch(fail);
        } else if (msg.type === 'end') {
          staged.then(() => resolve(msg.produced), fail);
        } else fail(reviveError(msg.error));
      });
      worker.on('error', (err: Error & { code?: string }) => {
        fail(err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? new UserError(`${req.name}: exceeded the streaming reader's memory limit (1024 MB)`, { cause: err }) : err);
      });
      worker.on('exit', (code) => fail(new Error(`${req.name}: the streaming worker exited with code ${code} before it finished`)));
    });
  } finally {
    await worker.terminate();
  }
}

/** What the producer worker receives. */
export interface ProducerWorkerData {
  request: ProducerRequest;
  /** Batches it may send before one is staged. */
  ahead: number;
}

/** What the producer worker posts. */
export type ProducerMessage = { type: 'batch'; batch: EncodedBatch } | { type: 'end'; produced: Produced } | { type: 'error'; error: SerialisedError };

/** The errors that cross from the producer thread, rebuilt as their own classes. */
function reviveError(e: SerialisedError): Error {
  const classes: Record<string, new (message: string) => Error> = { NeedsWholeGrid, CsvNeedsWholeFile, XlsxNeedsWholeFile };
  const Known = classes[e.name];
  if (Known) return new Known(e.message);
  return reviveSerialised(e);
}

export interface Streamed {
  tables: TableInfo[];
  warnings: string[];
  /** Lines citing a URL in sheets without a table (shape/index.ts, noteLines). */
  sourceLines: string[];
}

type MakeStream = (sheet: string, opts: ShapeOptions, merges?: Range[]) => SheetStream;

/** A CSV file's one sheet through a SheetStream. */
async function streamCsvSheet(input: Pick<ProducerRequest, 'path' | 'name' | 'shape' | 'chunkBytes'>, makeStream: MakeStream, afterRows: () => Promise<void>): Promise<Streamed> {
  let sheet: SheetStream | null = null;
  await streamCsv(input.path, { name: input.name, ...(input.chunkBytes ? { chunkBytes: input.chunkBytes } : {}) }, async (rows) => {
    if (sheet === null) {
      const name = sheetName(input.path);
      if (input.shape.sheets && !input.shape.sheets.includes(name)) throw new NeedsWholeGrid(`the configured sheets do not include "${name}"`);
      sheet = makeStream(name, input.shape);
    }
    for (const row of rows) sheet.push(row);
    await afterRows();
  });
  if (sheet === null) throw new NeedsWholeGrid('no rows');
  const shaped = (sheet as SheetStream).end();
  if (shaped.tables.length === 0) throw new NeedsWholeGrid('no table');
  return { ...shaped, sourceLines: [] };
}

/**
 * Every sheet of an xlsx file, in workbook order, as `shape` goes through a parsed workbook: the
 * configured sheets (or all) each through their own SheetStream, the others read only for the
 * source lines they cite, as shape/index.ts's noteLines keeps them.
 */
async function streamWorkbook(input: Pick<ProducerRequest, 'path' | 'name' | 'shape' | 'limits'>, makeStream: MakeStream, afterRows: () => Promise<void>): Promise<Streamed> {
  const book = await XlsxBook.open(input.path, input.name);
  const wanted = input.shape.sheets;
  const out: Streamed = { tables: [], warnings: [], sourceLines: [] };
  // As shape warns, before anything else.
  for (const name of wanted ?? []) if (!book.sheets.some((s) => s.name === name)) out.warnings.push(`sheet "${name}" not found`);
  // Each stream is one sheet: the configured list is applied here, not again inside.
  const opts: ShapeOptions = { ...input.shape, sheets: undefined };
  const headRows = input.limits?.headRows ?? 2000;
  for (const info of book.sheets) {
    if (wanted && !wanted.includes(info.name)) {
      await book.readSheet(info, (rows) => {
        for (const row of rows) sourceLine(row, out.sourceLines);
      });
      continue;
    }
    // The merged ranges follow the rows in the sheet's XML, and the stream needs them before its
    // head is shaped: they are searched for in a second inflate of the part (zlib on libuv's
    // threads) while this one reads the rows, which wait in `early` until the search ends or
    // EARLY_CELLS wait (issue 6: a million-row sheet's search took 0.64 s, its rows' read 1.68 s
    // alone, 1.76 s beside it).
    const stop = new AbortController();
    const searched = book.merges(info, stop.signal).then((found) => {
      if (found.some((m) => m.e.r >= headRows)) throw new NeedsWholeGrid(`sheet "${info.name}" has merged cells below its first ${headRows} rows`);
      return found;
    });
    // Once the search has settled, found or failed, the rows stop waiting: open() awaits it, so a
    // failure surfaces there and is not unhandled meanwhile.
    let settled = false;
    searched.then(
      () => (settled = true),
      () => (settled = true),
    );
    let sheet: SheetStream | null = null;
    let early: CellValue[][] | null = [];
    let earlyCells = 0;
    // A sheet without a table fits in the stream's head (or the stream gives up): keep its rows for the source lines.
    let kept: CellValue[][] | null = [];
    const feed = async (rows: CellValue[][]): Promise<void> => {
      for (const row of rows) sheet!.push(row);
      if (kept !== null) {
        for (const row of rows) kept.push(row);
        if (kept.length > headRows) kept = null;
      }
      await afterRows();
    };
    /** Opens the stream once the merges are known and feeds it the rows read meanwhile, a slice at a time (afterRows' batches). */
    const open = async (): Promise<void> => {
      sheet = makeStream(info.name, opts, await searched);
      const waiting = early!;
      early = null;
      let from = 0;
      let cells = 0;
      for (let at = 0; at < waiting.length; at++) {
        cells += Math.max(1, waiting[at]!.length);
        if (cells < EARLY_SLICE_CELLS && at < waiting.length - 1) continue;
        await feed(waiting.slice(from, at + 1));
        from = at + 1;
        cells = 0;
      }
    };
    try {
      await book.readSheet(info, async (rows) => {
        if (early !== null) {
          for (const row of rows) {
            early.push(row);
            earlyCells += Math.max(1, row.length); // a blank row still takes room
          }
          if (!settled && earlyCells < EARLY_CELLS) return;
          await open();
          return;
        }
        await feed(rows);
      });
      if (sheet === null) await open();
    } finally {
      stop.abort();
    }
    const shaped = sheet!.end();
    for (const t of shaped.tables) out.tables.push(t);
    for (const w of shaped.warnings) out.warnings.push(w);
    if (shaped.tables.length === 0 && kept !== null) for (const row of kept) sourceLine(row, out.sourceLines);
  }
  if (out.tables.length === 0) throw new NeedsWholeGrid('no table');
  return out;
}

/**
 * Cells of a sheet read while its merged ranges are searched for (streamWorkbook), at most: past
 * this the read waits for the search. Counted in cells, not rows, so a wide sheet holds no more
 * than a narrow one (≈ 1.5 million values, a few tens of MiB). The million-row sheet's search
 * ended about 47,000 rows (330,000 cells) in, with its 4 MiB pieces (xlsx-stream.ts, SEARCH_CHUNK).
 */
const EARLY_CELLS = 1_500_000;
/**
 * The waiting rows go to the stream in slices of about this many cells, as the read hands over a
 * 64 KiB piece of XML at a time, so the batches stay their usual size.
 */
const EARLY_SLICE_CELLS = 8192;

/** Keeps the row's text when it cites a URL (see citingLine). */
function sourceLine(row: CellValue[], lines: string[]): void {
  const line = citingLine(row);
  if (line !== null) lines.push(line);
}

/** The sheet name parse gives a CSV file: its base name without the extension. */
function sheetName(path: string): string {
  const fileName = basename(path);
  return basename(fileName, extname(fileName)) || 'csv';
}
