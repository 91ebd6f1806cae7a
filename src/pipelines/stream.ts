// The streaming path for large CSV files (issue 6): parse → shape → normalise → validate → load with
// the file never held whole. papaparse reads the decoded stream on this thread (parse.ts,
// streamCsv); the first rows go to detectLayout and every row after them to the same body reader
// `shape` uses (shape/index.ts, SheetStream); records are normalised as they come, and facts and
// rejects are staged a batch at a time inside the run's ONE transaction (load.ts, StreamLoad).
// Duplicates are found in the staging table, the reject-share gate is decided once everything is
// staged, and the merge is loadFacts's: the warehouse ends exactly as after the whole-grid path.
//
// When a file needs what only the whole grid gives — a head that is not plain UTF-8/UTF-16 CSV, no
// table or too little body in the first rows, a long tail of further tables, a row wider than the
// head with `layout.label_columns` — the path throws before anything is committed (the transaction
// rolls back) and the caller reads the file whole: a fallback, never a different result.
import { basename, extname } from 'node:path';
import type { Kysely, Transaction } from 'kysely';
import type { SourceConfig } from '../config/schema.js';
import type { Database } from '../warehouse/database.js';
import { StreamLoad, type LoadCounts } from './load.js';
import { createNormaliser, type NormaliseOptions } from './normalise.js';
import { CsvNeedsWholeFile, streamCsv } from './parse.js';
import { NeedsWholeGrid, SheetStream, type SheetStreamLimits, type ShapeOptions } from './shape/index.js';
import { validate, type Verdict } from './validate.js';
import type { Fact, Reject, SourceRecord } from './types.js';

/**
 * CSV files at least this large take the streaming path; smaller ones the whole-grid path (its
 * parse worker bounds time and memory, and a small grid costs little). 4 MiB is about 80,000 rows
 * of a long trade table, where the whole grid starts to cost hundreds of MB.
 * `TRADEBRIEF_CSV_STREAM_MIN_BYTES` overrides it (0 streams every CSV: the tests do).
 */
export const DEFAULT_STREAM_MIN_BYTES = 4 * 1024 * 1024;

/** The size from which a CSV streams: the environment's override or the default. */
export function streamMinBytes(env: NodeJS.ProcessEnv = process.env): number {
  const v = env.TRADEBRIEF_CSV_STREAM_MIN_BYTES;
  const n = v === undefined || v === '' ? NaN : Number(v);
  return Number.isFinite(n) && n >= 0 ? n : DEFAULT_STREAM_MIN_BYTES;
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
export function needsWholeFile(err: unknown): err is NeedsWholeGrid | CsvNeedsWholeFile {
  return err instanceof NeedsWholeGrid || err instanceof CsvNeedsWholeFile;
}

export interface StreamPullInput {
  /** The archived file. */
  path: string;
  /** How messages name the file (parseFile's `name`). */
  name: string;
  source: Pick<SourceConfig, 'id' | 'max_reject_share'>;
  shape: ShapeOptions;
  normalise: NormaliseOptions;
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
 * Pulls one CSV file through the streaming path in one transaction of `db`. Throws NeedsWholeGrid
 * or CsvNeedsWholeFile (see needsWholeFile) when the file must take the whole-grid path instead;
 * nothing of the run is then committed.
 */
export async function pullCsvStreaming(db: Kysely<Database>, input: StreamPullInput, hooks: StreamPullHooks): Promise<StreamPullResult> {
  const batch = input.batch ?? streamBatch();
  return db.transaction().execute(async (trx) => {
    // Write first: on SQLite (WAL) a transaction that reads before it writes cannot upgrade to a
    // writer once another process has committed (SQLITE_BUSY_SNAPSHOT, which busy_timeout does not
    // wait out); a write takes the lock up front, waiting for another pull's commit instead.
    await trx.updateTable('ingest_run').set({ rows_read: 0 }).where('id', '=', input.runId).execute();
    const load = new StreamLoad(trx, { sourceId: input.source.id, runId: input.runId, sha256: input.sha256, now: input.now });
    const normaliser = createNormaliser(input.normalise, { dedupe: false });
    let facts: Fact[] = [];
    let factSeq: number[] = [];
    let factRaw: (string | null)[] = [];
    let rejects: Reject[] = [];
    let rejectSeq: number[] = [];
    let seq = 0;
    let sheet: SheetStream | null = null;
    // One batch in flight while the next is read: PostgreSQL's COPY runs beside our parsing.
    let pending: Promise<void> = Promise.resolve();

    const onRecord = (rec: SourceRecord): void => {
      const nf = facts.length;
      const nr = rejects.length;
      normaliser.push(rec, facts, rejects);
      if (facts.length > nf) {
        factSeq.push(seq);
        factRaw.push(rec.raw === null || rec.raw === undefined ? null : String(rec.raw));
      } else if (rejects.length > nr) rejectSeq.push(seq);
      seq++;
    };
    const flush = async (): Promise<void> => {
      await pending;
      if (facts.length === 0 && rejects.length === 0) return;
      pending = load.add(facts, factSeq, factRaw, rejects, rejectSeq);
      facts = [];
      factSeq = [];
      factRaw = [];
      rejects = [];
      rejectSeq = [];
    };

    await streamCsv(input.path, { name: input.name, ...(input.chunkBytes ? { chunkBytes: input.chunkBytes } : {}) }, async (rows) => {
      if (sheet === null) {
        const name = sheetName(input.path);
        if (input.shape.sheets && !input.shape.sheets.includes(name)) throw new NeedsWholeGrid(`the configured sheets do not include "${name}"`);
        sheet = new SheetStream(name, input.shape, onRecord, input.limits);
      }
      for (const row of rows) sheet.push(row);
      if (facts.length + rejects.length >= batch) await flush();
    });
    if (sheet === null) throw new NeedsWholeGrid('no rows');
    const shaped = (sheet as SheetStream).end();
    if (shaped.tables.length === 0) throw new NeedsWholeGrid('no table');
    await flush();
    await pending;

    const settled = await load.settle();
    const verdict = validate(input.source, seq, { facts: settled.facts, rejects: settled.rejects, firstReject: settled.firstReject });
    let counts: LoadCounts;
    if (verdict.ok) {
      await hooks.beforeMerge(trx, [...new Set(shaped.tables.flatMap((t) => t.notes))]);
      counts = await load.finish(true);
      await hooks.afterMerge(trx, counts);
    } else counts = await load.finish(false);
    return {
      recordsRead: seq,
      facts: settled.facts,
      rejects: settled.rejects,
      skipped: normaliser.skipped,
      unconverted: normaliser.unconverted(),
      verdict,
      counts,
      warnings: shaped.warnings,
    };
  });
}

/** The sheet name parse gives a CSV file: its base name without the extension. */
function sheetName(path: string): string {
  const fileName = basename(path);
  return basename(fileName, extname(fileName)) || 'csv';
}
