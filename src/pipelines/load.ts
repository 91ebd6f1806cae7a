// Generic over the four fact tables, whose row types differ: kysely is used as Kysely<any> here and
// the rows are checked by the FACT_KEYS contract instead.
/* eslint-disable @typescript-eslint/no-explicit-any */
// Facts → warehouse, inside the caller's transaction: the warehouse holds either the old or the new
// state of a source, never a mix. Idempotent on the natural key: a row identical to what is stored is
// not written again; a changed value updates the row and records the old one in `revision`.
// Facts a new file no longer carries are kept (merge, not replace): a monthly release that only
// repeats the latest months must not erase the earlier ones.
//
// Set-based, so a million-row source costs a few statements rather than a million round trips or a
// JS copy of what is stored: the run's rows are staged through the driver (dialect.ts: a prepared
// INSERT on SQLite, COPY on PostgreSQL) into a temporary table, then compared with the stored rows
// and merged in SQL (revisions from a join, one INSERT … SELECT … ON CONFLICT DO UPDATE … WHERE the
// content differs). The SQL below is the same on both dialects.
import { sql, type Kysely, type Transaction } from 'kysely';
import { FACT_KEYS, FACT_VALUE_COLUMN, type Database, type FactTableName } from '../warehouse/database.js';
import { analyzeStage, appendStage, createStage, dialectOf, dropStage, insertRows, openCopy, sqliteCacheSize, stageRows, type OpenCopy, type StageValue } from '../warehouse/dialect.js';
import { CopyRuns } from './copy-runs.js';
import { parseUnit } from './lexicon/index.js';
import type { Fact, Reject } from './types.js';
import { NON_KEY, REJECT_STAGE_COLUMNS, directRowColumns, packedFill, reader, stageColumns, type EncodedBatch } from './stage-encode.js';


export interface LoadInput {
  sourceId: string;
  runId: number;
  sha256: string;
  facts: readonly Fact[];
  rejects: readonly Reject[];
  /** ISO timestamp for revisions. */
  now: string;
}

export interface LoadCounts {
  /** Rows written: new plus changed. */
  written: number;
  inserted: number;
  /** Rows whose value changed (each has a revision row). */
  revised: number;
  /** Rows identical to what was stored. */
  unchanged: number;
  /** Currencies whose rates this load changed (for refreshUsd). */
  fxChanged: string[];
}

type Row = Record<string, string | number | null>;


/** Columns compared to decide whether a stored row changed (run_id is lineage, not content). */
const CONTENT: Record<FactTableName, readonly string[]> = {
  trade_flow: ['value', 'unit', 'currency', 'value_usd', 'illustrative', 'cell'],
  investment_flow: ['value', 'unit', 'currency', 'value_usd', 'illustrative', 'cell'],
  indicator: ['value', 'unit', 'currency', 'value_usd', 'illustrative', 'cell'],
  fx_rate: ['per_usd', 'cell'],
};

/** Content columns compared as numbers, with sameNumber's tolerance; the others compare exactly. */
const NUMERIC = new Set(['value', 'value_usd', 'illustrative', 'per_usd']);

function sameNumber(a: unknown, b: unknown): boolean {
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
  const x = Number(a);
  const y = Number(b);
  return x === y || Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(x), Math.abs(y));
}

const id = (name: string): string => `"${name}"`;

/** SQL for "differs" on one content column of rows `a` and `b`: sameNumber for numbers, IS DISTINCT FROM for text. */
function differsSql(column: string, a: string, b: string): string {
  const x = `${a}.${id(column)}`;
  const y = `${b}.${id(column)}`;
  if (!NUMERIC.has(column)) return `${x} IS DISTINCT FROM ${y}`;
  // NULL-safe: both NULL is the same; one NULL differs (the COALESCE turns the NULL comparison false).
  return `NOT ((${x} IS NULL AND ${y} IS NULL) OR COALESCE(${x} = ${y} OR abs(${x} - ${y}) <= 1e-9 * abs(${x}) OR abs(${x} - ${y}) <= 1e-9 * abs(${y}), false))`;
}

export async function loadFacts(trx: Transaction<Database> | Kysely<Database>, input: LoadInput): Promise<LoadCounts> {
  const db = trx as unknown as Kysely<any>;
  // Staging tables live on one connection for one transaction: give a bare Kysely one.
  if (!db.isTransaction) return db.transaction().execute((t) => loadFacts(t as unknown as Transaction<Database>, input));
  const counts: LoadCounts = { written: 0, inserted: 0, revised: 0, unchanged: 0, fxChanged: [] };
  const byTable = new Map<FactTableName, Fact[]>();
  for (const f of input.facts) {
    let facts = byTable.get(f.table);
    if (!facts) byTable.set(f.table, (facts = []));
    facts.push(f);
  }
  const fxChanged = new Set<string>();

  for (const [table, facts] of byTable) {
    const stage = `tb_stage_${table}`;
    const keys = FACT_KEYS[table];
    const columns = [...keys, ...NON_KEY[table]];
    const readers = columns.map((c) => reader(c, input));
    await stageRows(db, stage, {
      like: table,
      columns,
      count: facts.length,
      fill: (i, out) => {
        const f = facts[i]!;
        for (let j = 0; j < readers.length; j++) out[j] = readers[j]!(f);
      },
    });

    await mergeStage(db, table, stage, input, counts, fxChanged);
    await dropStage(db, stage);
  }

  if (input.rejects.length > 0) {
    const rejects = input.rejects;
    const prefix = `${input.sha256}#`;
    await stageRows(db, 'tb_stage_reject', {
      like: 'reject',
      columns: ['run_id', 'cell', 'reason', 'raw'],
      count: rejects.length,
      fill: (i, out) => {
        const r = rejects[i]!;
        out[0] = input.runId;
        out[1] = prefix + r.cell;
        out[2] = r.reason.slice(0, 500);
        out[3] = r.raw === null ? null : r.raw.slice(0, 500);
      },
    });
    await sql`INSERT INTO reject (run_id, cell, reason, raw) SELECT run_id, cell, reason, raw FROM tb_stage_reject WHERE true ON CONFLICT DO NOTHING`.execute(db);
    await dropStage(db, 'tb_stage_reject');
  }
  counts.fxChanged = [...fxChanged];
  return counts;
}

/**
 * Merges the staging table `stage` (rows of `table`, unique on its key) into `table`: counts,
 * revisions, then one INSERT … SELECT … ON CONFLICT DO UPDATE where the content differs.
 */
async function mergeStage(db: Kysely<any>, table: FactTableName, stage: string, input: Pick<LoadInput, 'runId' | 'now'>, counts: LoadCounts, fxChanged: Set<string>): Promise<void> {
  const keys = FACT_KEYS[table];
  const columns = [...keys, ...NON_KEY[table]];
  const on = keys.map((k) => `f.${id(k)} = s.${id(k)}`).join(' AND ');
  const order = keys.map(id).join(', ');
  const from = `${id(stage)} s LEFT JOIN ${id(table)} f ON ${on}`;
  const valueCol = FACT_VALUE_COLUMN[table];
  const valueDiffers = differsSql(valueCol, 'f', 's');
  const contentDiffers = CONTENT[table].map((c) => differsSql(c, 'f', 's')).join(' OR ');
  // `f.run_id IS NOT NULL`: the stored row exists (run_id is NOT NULL in every fact table).
  const tally = await sql<{ total: number; matched: number; changed: number | null; revised: number | null }>`
    SELECT count(*) AS total, count(f.run_id) AS matched,
      sum(CASE WHEN f.run_id IS NOT NULL AND (${sql.raw(contentDiffers)}) THEN 1 ELSE 0 END) AS changed,
      sum(CASE WHEN f.run_id IS NOT NULL AND ${sql.raw(valueDiffers)} THEN 1 ELSE 0 END) AS revised
    FROM ${sql.raw(from)}`.execute(db);
  const t = tally.rows[0]!;
  const inserted = Number(t.total) - Number(t.matched);
  const changed = Number(t.changed ?? 0);
  const revised = Number(t.revised ?? 0);
  counts.inserted += inserted;
  counts.written += inserted + changed;
  counts.revised += revised;
  counts.unchanged += Number(t.matched) - changed;

  if (table === 'fx_rate' && inserted + revised > 0) {
    const changedFx = await sql<{ currency: string }>`
      SELECT DISTINCT s.currency AS currency FROM ${sql.raw(from)} WHERE f.run_id IS NULL OR ${sql.raw(valueDiffers)}`.execute(db);
    for (const r of changedFx.rows) fxChanged.add(String(r.currency));
  }
  if (revised > 0) {
    const keyText = keys.map((k) => `s.${id(k)}`).join(` || '|' || `);
    await sql`
      INSERT INTO revision (table_name, key, new_run_id, old_value, new_value, old_run_id, revised_at)
      SELECT CAST(${table} AS text), ${sql.raw(keyText)}, CAST(${input.runId} AS integer), f.${sql.raw(id(valueCol))}, s.${sql.raw(id(valueCol))}, f.run_id, CAST(${input.now} AS text)
      FROM ${sql.raw(from)}
      WHERE f.run_id IS NOT NULL AND ${sql.raw(valueDiffers)}
      ON CONFLICT DO NOTHING`.execute(db);
  }
  if (inserted + changed > 0) {
    // Unchanged rows keep their run_id and cell: the DO UPDATE only fires where the content differs.
    const cols = columns.map(id).join(', ');
    const set = NON_KEY[table].map((c) => `${id(c)} = excluded.${id(c)}`).join(', ');
    const stillDiffers = CONTENT[table].map((c) => differsSql(c, id(table), 'excluded')).join(' OR ');
    // `WHERE true`: SQLite's parser otherwise reads ON CONFLICT as a join constraint. ORDER BY the
    // key: sources list facts in no key order, and B-tree inserts in key order stay in the page
    // cache (SQLite, 300k rows: 1.2 s → 0.8 s; about even on PostgreSQL). Every matched row of a new
    // file differs at least in its cell (the cell names the file's sha256), so the upsert takes the
    // whole stage; filtering it by the tally's join first was measured and gained nothing.
    const upsert = sql`
      INSERT INTO ${sql.raw(id(table))} (${sql.raw(cols)})
      SELECT ${sql.raw(cols)} FROM ${sql.raw(id(stage))} WHERE true ORDER BY ${sql.raw(order)}
      ON CONFLICT (${sql.raw(keys.map(id).join(', '))}) DO UPDATE SET ${sql.raw(set)} WHERE ${sql.raw(stillDiffers)}`;
    if (Number(t.matched) > 0) await upsert.execute(db);
    else {
      // Nothing staged is stored yet (a first load, or only new periods): a plain INSERT skips the
      // speculative insertion ON CONFLICT costs per row (PostgreSQL, 1M rows: 7.5 s → 5.2 s). A
      // concurrent pull of the same source may have stored some keys since the count; then the
      // savepoint undoes the plain INSERT and the upsert runs instead.
      await sql`SAVEPOINT tb_merge`.execute(db);
      try {
        await sql`
          INSERT INTO ${sql.raw(id(table))} (${sql.raw(cols)})
          SELECT ${sql.raw(cols)} FROM ${sql.raw(id(stage))} ORDER BY ${sql.raw(order)}`.execute(db);
        await sql`RELEASE SAVEPOINT tb_merge`.execute(db);
      } catch (e) {
        if (!isUniqueViolation(e)) throw e;
        await sql`ROLLBACK TO SAVEPOINT tb_merge`.execute(db);
        await sql`RELEASE SAVEPOINT tb_merge`.execute(db);
        await upsert.execute(db);
      }
    }
  }
}

/**
 * Recomputes value_usd of every money fact in `currencies` after their FX rates changed, so a fact
 * loaded before its rate (or under an old rate) carries the current conversion. NULL where a rate is
 * still missing.
 */
export async function refreshUsd(
  trx: Transaction<Database> | Kysely<Database>,
  currencies: readonly string[],
  fx: (currency: string, year: number) => number | null,
): Promise<number> {
  if (currencies.length === 0) return 0;
  const db = trx as unknown as Kysely<any>;
  let updated = 0;
  for (const table of ['trade_flow', 'investment_flow', 'indicator'] as const) {
    const rows = (await db.selectFrom(table).selectAll().where('currency', 'in', currencies as string[]).execute()) as Row[];
    for (const row of rows) {
      const unit = parseUnit(String(row.unit));
      if (!unit || unit.kind !== 'money') continue;
      const perUsd = fx(String(row.currency), Number.parseInt(String(row.period).slice(0, 4), 10));
      const usd = perUsd ? (Number(row.value) * unit.scale) / perUsd : null;
      if (sameNumber(usd, row.value_usd)) continue;
      let q = db.updateTable(table).set({ value_usd: usd });
      for (const k of FACT_KEYS[table]) q = q.where(k, '=', row[k]);
      await q.execute();
      updated++;
    }
  }
  return updated;
}

// ---------------------------------------------------------------------------------------------
// Streaming (issue 6): the same load, fed a batch at a time inside one transaction.

/** What the streaming path has decided once every batch is staged (see StreamLoad.settle). */
export interface Settled {
  /** Facts left after duplicates became rejects. */
  facts: number;
  rejects: number;
  /** The reject of the earliest record, as normalise's `rejects[0]`. */
  firstReject: Reject | undefined;
}

const REJECT_STAGE = 'tb_stage_reject';

/**
 * loadFacts for facts that arrive in batches (the streaming CSV path): every batch is staged in the
 * caller's transaction as it comes — with each fact's record number (`seq`, the record's place in
 * the file) and raw cell —, duplicates are found in SQL once all are staged (`settle`), and
 * `finish` merges exactly as loadFacts does. A duplicate is rejected as normalise rejects it: the
 * later record, naming the earliest one's cell, with rejects stored in record order.
 */
/**
 * Thrown by StreamLoad.add on a first load written straight to the warehouse when a fact's key is
 * already there (a duplicate in the file, or a fact another source stored): the attempt has been
 * undone (StreamLoad.abandonDirect) and the caller runs it again through the staging tables.
 */
export class DirectConflict extends Error {
  override name = 'DirectConflict';
}

export class StreamLoad {
  /** Per fact table: its staging table, or null when its facts go straight to the warehouse (direct). */
  private readonly staged = new Map<FactTableName, { stage: string | null; columns: string[]; rows: number; repeated: boolean }>();
  private direct = false;
  /** SQLite, while a direct load lasts: the page cache setting startDirect replaced; otherwise null. */
  private sqliteCache: number | null = null;
  /** PostgreSQL's open COPY per table of a direct load. */
  private readonly copies = new Map<FactTableName, { copy: OpenCopy; runs: CopyRuns }>();
  private rejectStage = false;
  private rejectCount = 0;
  private firstJs: { seq: number; reject: Reject } | undefined;
  private settled: Settled | undefined;

  constructor(
    private readonly trx: Transaction<Database>,
    private readonly input: Omit<LoadInput, 'facts' | 'rejects'>,
  ) {}

  private get db(): Kysely<any> {
    return this.trx as unknown as Kysely<any>;
  }

  /**
   * Stages one batch, encoded by a StageEncoder (stage-encode.ts): facts with their records'
   * numbers and raw cells (for a duplicate's reject), rejects with their records' numbers. Numbers
   * rise across batches.
   */
  async add(batch: EncodedBatch): Promise<void> {
    const db = this.db;
    for (const t of batch.tables) {
      let s = this.staged.get(t.table);
      if (this.direct && t.table !== 'fx_rate') {
        const sqlite = dialectOf(db) === 'sqlite';
        if (!s) this.staged.set(t.table, (s = { stage: null, columns: sqlite ? directRowColumns(t.table) : [...FACT_KEYS[t.table], ...NON_KEY[t.table]], rows: 0, repeated: false }));
        const columns = s.columns;
        // A direct load's producer writes its facts as the warehouse columns only (stage-encode.ts,
        // StageEncoder's `direct`): COPY text for PostgreSQL, rows of directRowColumns for SQLite.
        if (sqlite) {
          if (t.direct !== true || t.packed === undefined) throw new Error(`StreamLoad: ${t.table} rows of a direct load into SQLite came as staging rows`);
          const fill = packedFill(t.packed, columns.length);
          const run = { source_id: this.input.sourceId, run_id: this.input.runId };
          await this.directly(async () => insertRows(db, t.table, { columns, count: t.count, fill }, { literals: run, prefixes: { cell: `${this.input.sha256}#` } }));
        } else {
          const lines = t.copy;
          if (lines === undefined) throw new Error(`StreamLoad: ${t.table} rows of a direct load into PostgreSQL came as values, not COPY text`);
          await this.directly(async () => {
            let open = this.copies.get(t.table);
            if (!open) this.copies.set(t.table, (open = { copy: await openCopy(db, t.table, columns), runs: new CopyRuns() }));
            // The lines go in runs grouped by key prefix (copy-runs.ts): the key's B-tree takes them faster.
            const run = open.runs.add(lines.bytes, lines.ends);
            if (run !== null) await open.copy.write(run);
          });
        }
        s.rows += t.count;
        continue;
      }
      if (t.copy !== undefined || t.direct) throw new Error(`StreamLoad: ${t.table} rows of a direct load came to a staged load`);
      await this.endCopies();
      const stage = `tb_stage_${t.table}`;
      if (!s) {
        s = { stage, columns: stageColumns(t.table), rows: 0, repeated: false };
        await createStage(db, stage, { like: t.table, columns: [...FACT_KEYS[t.table], ...NON_KEY[t.table]], extra: { seq: 'integer', raw: 'text' } });
        this.staged.set(t.table, s);
      }
      s.rows += t.count;
      s.repeated ||= t.repeated;
      await appendStage(db, stage, { columns: s.columns, count: t.count, fill: flatRows(t.rows, s.columns.length) });
    }
    if (batch.rejects !== null) {
      await this.endCopies();
      if (this.firstJs === undefined && batch.firstReject !== null) this.firstJs = batch.firstReject;
      this.rejectCount += batch.rejects.count;
      await this.ensureRejectStage();
      await appendStage(db, REJECT_STAGE, { columns: REJECT_STAGE_COLUMNS, count: batch.rejects.count, fill: flatRows(batch.rejects.rows, REJECT_STAGE_COLUMNS.length) });
    }
  }

  /**
   * Facts from here on go straight into the warehouse tables (fx_rate's excepted: its changes drive
   * refreshUsd), inside a savepoint: for a source never loaded before, when nothing is to be merged,
   * the staging table and the merge's second write of every row are skipped. PostgreSQL writes them
   * through one open COPY per table; SQLite through a prepared INSERT, each batch in key order
   * (StageEncoder sorts it), with a larger page cache (DIRECT_SQLITE_CACHE_KIB). A key already
   * stored fails the write; see DirectConflict.
   */
  async startDirect(): Promise<void> {
    await sql`SAVEPOINT tb_direct`.execute(this.db);
    this.direct = true;
    if (dialectOf(this.db) === 'sqlite') this.sqliteCache = sqliteCacheSize(this.db, -DIRECT_SQLITE_CACHE_KIB);
  }

  /** SQLite: puts back the page cache startDirect enlarged. */
  private endDirectCache(): void {
    if (this.sqliteCache === null) return;
    sqliteCacheSize(this.db, this.sqliteCache);
    this.sqliteCache = null;
  }

  /** Runs a direct write; a key already stored undoes the attempt and throws DirectConflict. */
  private async directly(write: () => Promise<void>): Promise<void> {
    try {
      await write();
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      await this.abandonDirect();
      throw new DirectConflict('a key is already stored or repeated in the file');
    }
  }

  /**
   * Ends the open COPYs of a direct load (before any other statement on the connection, and after
   * the last batch): throws DirectConflict when the server refused a key.
   */
  async endCopies(): Promise<void> {
    for (const [table, { copy, runs }] of this.copies) {
      this.copies.delete(table);
      await this.directly(async () => {
        const rest = runs.take();
        if (rest !== null) await copy.write(rest);
        await copy.end();
      });
    }
  }

  /** Cancels the open COPYs of a direct load that is failing, so the caller's rollback can run. */
  async abortCopies(): Promise<void> {
    for (const { copy } of this.copies.values()) await copy.abort();
    this.copies.clear();
    this.endDirectCache();
  }

  /** Undoes a direct attempt (its facts, staged rejects and staging tables) and starts over, staged. */
  private async abandonDirect(): Promise<void> {
    // A COPY the server failed is over; one still open is abandoned with the savepoint.
    this.copies.clear();
    await sql`ROLLBACK TO SAVEPOINT tb_direct`.execute(this.db);
    await sql`RELEASE SAVEPOINT tb_direct`.execute(this.db);
    this.endDirectCache();
    this.direct = false;
    this.staged.clear();
    this.rejectStage = false;
    this.rejectCount = 0;
    this.firstJs = undefined;
    this.settled = undefined;
  }

  private async ensureRejectStage(): Promise<void> {
    if (this.rejectStage) return;
    await createStage(this.db, REJECT_STAGE, { like: 'reject', columns: ['run_id', 'cell', 'reason', 'raw'], extra: { seq: 'integer' } });
    this.rejectStage = true;
  }

  /** After the last batch: duplicates → rejects (removed from the staged facts); the counts validate needs. */
  async settle(): Promise<Settled> {
    await this.endCopies();
    this.endDirectCache();
    const db = this.db;
    let facts = 0;
    let dupCount = 0;
    let firstDup: { seq: number; reject: Reject } | undefined;
    const prefix = this.input.sha256.length + 2; // `sha256#` then the cell, 1-based
    for (const [table, s] of this.staged) {
      if (s.stage === null) {
        // Written straight to the warehouse: its primary key already refused any duplicate.
        facts += s.rows;
        continue;
      }
      await analyzeStage(db, s.stage);
      const keys = FACT_KEYS[table].map(id).join(', ');
      const stage = id(s.stage);
      if (!s.repeated) {
        // No two staged keys share a hash, so no two are equal: no duplicates, no query.
        facts += s.rows;
        continue;
      }
      const { rows } = await sql<{ n: number; d: number }>`
        SELECT count(*) AS n, count(*) - (SELECT count(*) FROM (SELECT 1 AS one FROM ${sql.raw(stage)} GROUP BY ${sql.raw(keys)}) g) AS d FROM ${sql.raw(stage)}`.execute(db);
      const n = Number(rows[0]?.n ?? 0);
      const d = Number(rows[0]?.d ?? 0);
      facts += n - d;
      if (d === 0) continue;
      dupCount += d;
      await this.ensureRejectStage();
      // The earliest record of each key stays; the later ones are rejected naming its cell.
      await sql`DROP TABLE IF EXISTS tb_stage_dup`.execute(db);
      await sql`
        CREATE TEMP TABLE tb_stage_dup AS
        SELECT seq, cell, raw, first_cell FROM (
          SELECT seq, cell, raw, first_value(cell) OVER w AS first_cell, row_number() OVER w AS k
          FROM ${sql.raw(stage)} WINDOW w AS (PARTITION BY ${sql.raw(keys)} ORDER BY seq)) t
        WHERE k > 1`.execute(db);
      await sql`
        INSERT INTO ${sql.raw(REJECT_STAGE)} (run_id, cell, reason, raw, seq)
        SELECT CAST(${this.input.runId} AS integer), cell, substr('duplicate: the same fact as ' || substr(first_cell, ${sql.raw(String(prefix))}), 1, 500), raw, seq FROM tb_stage_dup`.execute(db);
      const first = await sql<{ seq: number; cell: string; first_cell: string; raw: string | null }>`SELECT seq, cell, first_cell, raw FROM tb_stage_dup ORDER BY seq LIMIT 1`.execute(db);
      const f = first.rows[0];
      if (f && (firstDup === undefined || Number(f.seq) < firstDup.seq)) {
        firstDup = { seq: Number(f.seq), reject: { cell: f.cell.slice(prefix - 1), reason: `duplicate: the same fact as ${f.first_cell.slice(prefix - 1)}`, raw: f.raw } };
      }
      await sql`DELETE FROM ${sql.raw(stage)} WHERE seq IN (SELECT seq FROM tb_stage_dup)`.execute(db);
      await sql`DROP TABLE tb_stage_dup`.execute(db);
    }
    const firstReject = firstDup !== undefined && (this.firstJs === undefined || firstDup.seq < this.firstJs.seq) ? firstDup.reject : this.firstJs?.reject;
    this.settled = { facts, rejects: this.rejectCount + dupCount, firstReject };
    return this.settled;
  }

  /**
   * Merges the staged facts as loadFacts does (unless `merge` is false: the run failed validation
   * and only its rejects are kept), then records the rejects in record order.
   */
  async finish(merge: boolean): Promise<LoadCounts> {
    if (this.settled === undefined) await this.settle();
    const db = this.db;
    const counts: LoadCounts = { written: 0, inserted: 0, revised: 0, unchanged: 0, fxChanged: [] };
    const fxChanged = new Set<string>();
    for (const [table, s] of this.staged) {
      if (s.stage === null) {
        // Only this run's rows carry its run_id: a failed run's are removed again.
        if (merge) {
          counts.inserted += s.rows;
          counts.written += s.rows;
        } else await db.deleteFrom(table).where('run_id', '=', this.input.runId).execute();
        continue;
      }
      if (merge) await mergeStage(db, table, s.stage, this.input, counts, fxChanged);
      await dropStage(db, s.stage);
    }
    if (this.rejectStage) {
      await sql`INSERT INTO reject (run_id, cell, reason, raw) SELECT run_id, cell, reason, raw FROM ${sql.raw(REJECT_STAGE)} WHERE true ORDER BY seq ON CONFLICT DO NOTHING`.execute(db);
      await dropStage(db, REJECT_STAGE);
    }
    counts.fxChanged = [...fxChanged];
    return counts;
  }
}

/** appendStage's `fill` over rows laid out one after another, `width` values each. */
function flatRows(rows: readonly StageValue[], width: number): (i: number, out: StageValue[]) => void {
  return (i, out) => {
    const base = i * width;
    for (let j = 0; j < width; j++) out[j] = rows[base + j]!;
  };
}

/**
 * SQLite's page cache during a direct load, in KiB (the default is 2 MiB). Each batch is inserted in
 * key order, so it walks the table's primary-key index from end to end: while that index fits in
 * the cache, its pages stay there between batches instead of being written out and read back.
 */
const DIRECT_SQLITE_CACHE_KIB = 64 * 1024;

/** A primary-key clash: PostgreSQL's 23505, SQLite's SQLITE_CONSTRAINT_PRIMARYKEY/UNIQUE. */
function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}
