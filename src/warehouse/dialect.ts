// The ONLY place that knows SQLite from PostgreSQL. Everything else talks to `Warehouse`.
//
// A warehouse is opened in two steps. connectWarehouse opens the driver (better-sqlite3, pg) and
// answers plain SQL; warehouse() then loads kysely and puts the query builder on the same
// connection. The run bookkeeping of a pull (ingest_run, the last loaded file) is plain SQL, so a
// scheduled pull that finds every source unchanged never loads kysely, whose ≈ 170 KiB were
// ≈ 12 ms of compiling in such a pull (README "Performance", tenth session).
import { mkdirSync } from 'node:fs';
import { availableParallelism, hostname } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { DialectAdapter, Kysely, Migration, MigrationProvider } from 'kysely';
import type * as kyselyModuleTypes from 'kysely';
import type { Database as SqliteHandle } from 'better-sqlite3';
import type { PoolClient } from 'pg';
import type { Database } from './database.js';
import { processAlive } from './abandoned.js';
import { ConfigError, UserError, redactUrl } from '../errors.js';
import { copyField } from './copy-text.js';

export type DialectName = 'sqlite' | 'postgres';

/** A value bound to a `?` of WarehouseConnection.query. */
export type SqlParam = string | number | null;

/** An open warehouse before the query builder is loaded: what a pull needs to find a source unchanged. */
export interface WarehouseConnection {
  dialect: DialectName;
  /** The URL with any password removed, for logs and `status`. */
  url: string;
  /** The PostgreSQL schema from `?schema=`, if any (kysely's migrator must be told). */
  schema?: string;
  /**
   * Runs one statement written with `?` placeholders (none inside string literals) through the
   * driver and returns its rows (none for a statement that returns none). For short bookkeeping
   * statements, the same on both dialects; anything else goes through `warehouse().db`.
   */
  query<R = Record<string, unknown>>(text: string, params?: readonly SqlParam[]): Promise<R[]>;
  /** The full warehouse on this connection: kysely loaded on the first call, the same object after. */
  warehouse(): Promise<Warehouse>;
  close(): Promise<void>;
}

export interface Warehouse extends WarehouseConnection {
  db: Kysely<Database>;
  /**
   * Takes the named job lock without waiting: the lock, or null when another process (or another
   * call in this one) holds it. PostgreSQL: a session advisory lock on a dedicated connection, so a
   * killed holder's lock goes with its connection. SQLite: a row in `job_lock` with an expiry that is
   * renewed while held, so a killed holder's lock lapses after `ttlMs`.
   */
  tryLock(name: string, options?: LockOptions): Promise<JobLock | null>;
}

export interface LockOptions {
  /**
   * SQLite only: how long the lock row stays valid without renewal (renewed every third of it while
   * held). Default 10 minutes: a holder killed on another host blocks the job at most this long; one
   * killed on this host is recognised by its pid at once.
   */
  ttlMs?: number;
  /** Clock for the lock row's times. Default: the system clock. */
  now?: () => Date;
}

export interface JobLock {
  /** `host:pid:random`, recorded in job_lock on SQLite. */
  holder: string;
  /** Gives the lock up; safe to call twice. */
  release(): Promise<void>;
}

type KyselyModule = typeof kyselyModuleTypes;
let kyselyModule: KyselyModule | undefined;

/** kysely, loaded by the first warehouse() of the process. */
async function loadKysely(): Promise<KyselyModule> {
  return (kyselyModule ??= await import('kysely'));
}

/** kysely, for code handed a Kysely instance or transaction (which exist only once it is loaded). */
function kysely(): KyselyModule {
  if (!kyselyModule) throw new Error('warehouse: kysely used before any warehouse() loaded it');
  return kyselyModule;
}

/**
 * Migrations, listed explicitly (not read from a folder) so they work from src/ and dist/ alike;
 * each module is loaded only when the Migrator runs (they import kysely).
 */
const MIGRATIONS: Record<string, () => Promise<Migration>> = {
  '2026-11-29-initial': () => import('./migrations/2026-11-29-initial.js'),
  '2026-11-29-source-file-notes': () => import('./migrations/2026-11-29-source-file-notes.js'),
  '2026-11-29-operations': () => import('./migrations/2026-11-29-operations.js'),
  '2026-11-30-drop-trade-query-index': () => import('./migrations/2026-11-30-drop-trade-query-index.js'),
  '2026-11-30-key-collation': () => import('./migrations/2026-11-30-key-collation.js'),
};

class ListedMigrations implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return Object.fromEntries(await Promise.all(Object.entries(MIGRATIONS).map(async ([name, load]) => [name, await load()] as const)));
  }
}

export const DEFAULT_WAREHOUSE_URL = 'sqlite:output/warehouse.sqlite';

/**
 * Opens the warehouse named by `url` (`sqlite:PATH`, a bare `.sqlite` path, or `postgres://…`),
 * runs pending migrations, and returns it with the query builder loaded. `?schema=NAME` on a
 * PostgreSQL URL puts the tables in that schema (created if missing) — the tests give every file its own.
 */
export async function openWarehouse(url: string = DEFAULT_WAREHOUSE_URL, options: { migrate?: boolean } = {}): Promise<Warehouse> {
  const connection = await connectWarehouse(url, options);
  try {
    return await connection.warehouse();
  } catch (e) {
    await connection.close();
    throw e;
  }
}

/**
 * openWarehouse without loading the query builder: the driver's connection, migrated unless
 * `migrate: false` (a warehouse that records every migration is checked with one plain query;
 * anything else loads kysely and runs its Migrator).
 */
export async function connectWarehouse(url: string = DEFAULT_WAREHOUSE_URL, options: { migrate?: boolean } = {}): Promise<WarehouseConnection> {
  const { connection, beforeMigrating } = url.startsWith('postgres://') || url.startsWith('postgresql://') ? await connectPostgres(url) : await connectSqlite(url);
  if (options.migrate ?? true) {
    try {
      if (!(await migrationsCurrent(connection))) {
        await beforeMigrating?.();
        await runMigrator(await connection.warehouse());
      }
    } catch (e) {
      await connection.close();
      throw e;
    }
  }
  return connection;
}

/**
 * The connection's two forms over one driver: `query` and `close` work before and after warehouse(),
 * which builds the Warehouse once (`build` makes its kysely instance and lock, and may replace
 * `query` from then on). Closing ends the driver itself, as kysely's destroy() would, once however
 * often it is called.
 */
function twoStep(
  base: Omit<WarehouseConnection, 'query' | 'warehouse' | 'close'>,
  query: WarehouseConnection['query'],
  close: () => Promise<void>,
  build: (k: KyselyModule) => Pick<Warehouse, 'db' | 'tryLock'> & { query?: WarehouseConnection['query'] },
): WarehouseConnection {
  let current = query;
  let full: Promise<Warehouse> | undefined;
  let closed: Promise<void> | undefined;
  const connection: WarehouseConnection = {
    ...base,
    query: (text, params) => current(text, params),
    close: () => (closed ??= close()),
    warehouse: () =>
      (full ??= loadKysely().then((k) => {
        const { db, tryLock, query: after } = build(k);
        if (after) current = after;
        const wh: Warehouse = { ...connection, db, tryLock, warehouse: () => Promise.resolve(wh) };
        return wh;
      })),
  };
  return connection;
}

/** A driver's connection, with what must happen before the Migrator runs on it (PostgreSQL: the `?schema=`). */
interface Connected {
  connection: WarehouseConnection;
  beforeMigrating?: () => Promise<void>;
}

async function connectSqlite(url: string): Promise<Connected> {
  const file = url.replace(/^sqlite:(\/\/)?/, '');
  if (!file) throw new ConfigError(`WAREHOUSE_URL: "${url}" names no file; use sqlite:output/warehouse.sqlite`);
  // Required, not imported (sqlite.ts): a CommonJS package imported from ESM is first parsed for its
  // export names (cjs-module-lexer), ≈ 3 ms of an unchanged pull's start-up.
  const { Database: SQLite, nativeBinding } = (await import('./sqlite.js')).loadSqlite();
  if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  let handle: InstanceType<typeof SQLite> | undefined;
  try {
    handle = new SQLite(file, { nativeBinding });
    // A new warehouse gets 16 KiB pages, not SQLite's 4 KiB (an existing one keeps the size it was
    // made with): bulk loads write every page to the WAL and again at the checkpoint, one system
    // call a page. 1M-row xlsx, a first load: 19.9 / 18.4 s with 4 KiB pages, 17.4 / 18.9 s with
    // 16 KiB, 17.4 / 16.8 s with 64 KiB. Larger pages cost where a load updates rows in an order
    // other than the table's: a 1%-revised re-pull of 1M CSV rows (every row's cell changes) took
    // 48.2 s with 4 KiB, 45.0 s with 16 KiB and 63.7 s with 64 KiB pages (30 s of it in the kernel,
    // copying 64 KiB pages in and out of a 2 MiB cache).
    handle.pragma('page_size = 16384');
    // WAL lets `status` read while a pull writes; busy_timeout makes a second writer wait, not fail.
    // The first statement to read is also where a file that is not a database is found out.
    handle.pragma('journal_mode = WAL');
    handle.pragma('busy_timeout = 30000');
    handle.pragma('synchronous = NORMAL');
    // Helper threads for large sorts: a bulk load's merge sorts the staged rows by key (INSERT …
    // SELECT … ORDER BY), after the reading thread is done. 1M rows: 3.7 → 3.0 s on two cores.
    handle.pragma(`threads = ${Math.min(4, availableParallelism())}`);
  } catch (e) {
    handle?.close();
    throw new UserError(`WAREHOUSE_URL: cannot open SQLite file ${file}: ${(e as Error).message}; point WAREHOUSE_URL at a warehouse file or a new path`);
  }
  const h = handle;
  const query = async <R>(text: string, params: readonly SqlParam[] = []): Promise<R[]> => {
    const statement = h.prepare(text);
    if (statement.reader) return statement.all(...params) as R[];
    statement.run(...params);
    return [];
  };
  const connection = twoStep({ dialect: 'sqlite', url: `sqlite:${file}` }, query, async () => void h.close(), (k) => {
    const db = new k.Kysely<Database>({ dialect: new k.SqliteDialect({ database: h }) });
    BULK.set(db.getExecutor().adapter, { dialect: 'sqlite', handle: h });
    // better-sqlite3 is one connection, which kysely lends to one transaction at a time. Once kysely
    // holds it, a plain statement waits its turn like kysely's own: run on the handle beside it, one
    // job's bookkeeping (the scheduler runs jobs side by side) would land inside another job's
    // transaction and be undone with it.
    const queued = async <R>(text: string, params: readonly SqlParam[] = []): Promise<R[]> => (await db.executeQuery<R>(k.CompiledQuery.raw(text, [...params]))).rows as R[];
    return { db, tryLock: (name, options) => trySqliteLock(db, name, options), query: queued };
  });
  return { connection };
}

async function connectPostgres(url: string): Promise<Connected> {
  const { pg, pool, clients, connectionString, schema, createSchema, end } = await (await import('./pg.js')).connectPool(url);
  // `?` → `$1`, `$2`…: the bookkeeping statements hold no `?` of their own (WarehouseConnection.query).
  const query = async <R>(text: string, params: readonly SqlParam[] = []): Promise<R[]> => {
    let n = 0;
    const result = await pool.query(text.replace(/\?/g, () => `$${++n}`), params as SqlParam[]);
    return result.rows as R[];
  };
  // Advisory locks are database-wide; the schema is part of the key so warehouses in different
  // schemas of one database (the tests') do not share locks.
  const lockSpace = `tradebrief:${schema ?? ''}`;
  const tryLock = async (name: string): Promise<JobLock | null> => {
    // A dedicated connection, not one from the pool: the lock lives as long as the session, and a
    // job holding a pooled connection could starve the pool its own queries need.
    const client = new pg.Client({ connectionString });
    client.on('error', () => {
      /* a dropped connection releases the lock server-side; release() below then fails quietly */
    });
    await client.connect();
    let ok = false;
    try {
      const r = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1), hashtext($2)) AS ok', [lockSpace, name]);
      ok = r.rows[0]?.ok === true;
    } finally {
      if (!ok) await client.end().catch(() => undefined);
    }
    if (!ok) return null;
    let released = false;
    return {
      holder: `${hostname()}:${process.pid}`,
      release: async () => {
        if (released) return;
        released = true;
        await client.query('SELECT pg_advisory_unlock(hashtext($1), hashtext($2))', [lockSpace, name]).catch(() => undefined);
        await client.end().catch(() => undefined);
      },
    };
  };
  const connection = twoStep({ dialect: 'postgres', url: redactUrl(url), ...(schema ? { schema } : {}) }, query, end, (k) => {
    const db = new k.Kysely<Database>({ dialect: new k.PostgresDialect({ pool }) });
    BULK.set(db.getExecutor().adapter, { dialect: 'postgres', clients });
    return { db, tryLock };
  });
  return { connection, beforeMigrating: createSchema };
}

/** SQLite's lock: a `job_lock` row claimed by one atomic upsert when free, expired, or left by a dead process on this host. */
async function trySqliteLock(db: Kysely<Database>, name: string, options: LockOptions = {}): Promise<JobLock | null> {
  const now = options.now ?? (() => new Date());
  const ttl = options.ttlMs ?? 10 * 60_000;
  const host = hostname();
  // host and pid name the holder; the random part tells a reused pid apart and needs no node:crypto.
  const holder = `${host}:${process.pid}:${Math.random().toString(16).slice(2, 10)}`;
  const current = await db.selectFrom('job_lock').select(['holder', 'expires_at']).where('name', '=', name).executeTakeFirst();
  const t = now();
  const until = () => new Date(now().getTime() + ttl).toISOString();
  // The holder string carries host and pid, so a lock left by a killed process on this host is free at once.
  const deadHere = current?.holder ? holderIsDeadHere(current.holder, host) : false;
  const stale = current?.holder ?? '';
  await db
    .insertInto('job_lock')
    .values({ name, holder, acquired_at: t.toISOString(), expires_at: until(), last_tick: null })
    .onConflict((oc) =>
      oc
        .column('name')
        .doUpdateSet({ holder, acquired_at: t.toISOString(), expires_at: until() })
        .where((eb) =>
          eb.or([
            eb('job_lock.holder', 'is', null),
            eb('job_lock.expires_at', '<', t.toISOString()),
            ...(deadHere ? [eb('job_lock.holder', '=', stale)] : []),
          ]),
        ),
    )
    .execute();
  const row = await db.selectFrom('job_lock').select('holder').where('name', '=', name).executeTakeFirst();
  if (row?.holder !== holder) return null;
  const renew = setInterval(() => {
    db.updateTable('job_lock').set({ expires_at: until() }).where('name', '=', name).where('holder', '=', holder).execute().catch(() => undefined);
  }, Math.max(1000, Math.floor(ttl / 3)));
  renew.unref();
  let released = false;
  return {
    holder,
    release: async () => {
      if (released) return;
      released = true;
      clearInterval(renew);
      await db.updateTable('job_lock').set({ holder: null, acquired_at: null, expires_at: null }).where('name', '=', name).where('holder', '=', holder).execute();
    },
  };
}

function holderIsDeadHere(holder: string, host: string): boolean {
  const [h, pid] = holder.split(':');
  if (h !== host || !pid) return false;
  const n = Number(pid);
  if (!Number.isInteger(n) || n === process.pid) return false;
  return !processAlive(n);
}

// --- bulk staging ----------------------------------------------------------------------------------
// Bulk loads bypass kysely's generic multi-row INSERT (it compiles and re-prepares a statement per
// chunk): rows go straight through the driver into a temporary staging table, and the caller merges
// that table into the warehouse with set-based SQL in the same transaction.

/** The driver behind a warehouse's kysely instance, found from any of its transactions. */
type BulkDriver = { dialect: 'sqlite'; handle: SqliteHandle } | { dialect: 'postgres'; clients: Map<number, PoolClient> };

/**
 * Keyed by kysely's adapter: a Transaction shares its adapter object with the Kysely instance it came
 * from (kysely exposes no other link from a transaction to its driver), so loaders that are handed a
 * transaction find the raw handle without a change to their signature.
 */
const BULK = new WeakMap<DialectAdapter, BulkDriver>();

/** A value written into a staging row: text, a number (0/1 for flags), or NULL. */
export type StageValue = string | number | null;

/** What to stage: the columns (a subset of `like`'s) and the rows, written one at a time. */
export interface StageRows {
  /** The warehouse table whose column types the staging table copies (not its keys or indexes). */
  like: string;
  /** Column names, in the order `fill` writes them. */
  columns: readonly string[];
  /** Number of rows. */
  count: number;
  /**
   * Writes row `i`'s values into `out` in column order. `out` is reused for every row, so the caller
   * allocates nothing per row.
   */
  fill: (i: number, out: StageValue[]) => void;
}

/**
 * Creates the temporary table `name` (dropping one left by an earlier call in this transaction) and
 * fills it. Must run inside `trx`, a transaction of a warehouse from openWarehouse: the staged rows
 * are only visible to, and only live as long as, that transaction's connection.
 * SQLite: one prepared INSERT per row through the better-sqlite3 handle, which kysely's transaction
 * holds (it has a single connection). PostgreSQL: `COPY … FROM STDIN` through pg-copy-streams on the
 * transaction's own pooled client, then ANALYZE, so the merge is planned for the real row count.
 * Unqualified table names resolve to the temporary table first on both dialects.
 */
export async function stageRows<DB>(trx: Kysely<DB>, name: string, rows: StageRows): Promise<void> {
  await createStage(trx, name, { like: rows.like, columns: rows.columns });
  await appendStage(trx, name, rows);
  await analyzeStage(trx, name);
}

/** A staging table's shape: columns copied from a warehouse table, plus columns of its own. */
export interface StageShape {
  /** The warehouse table whose column types the staging table copies (not its keys or indexes). */
  like: string;
  /** Columns taken from `like`. */
  columns: readonly string[];
  /** Further columns and their SQL types (`integer`, `text`), e.g. a record's order for the streaming CSV path; default none. */
  extra?: Readonly<Record<string, 'integer' | 'text'>>;
}

/**
 * Creates the empty temporary table `name` (see stageRows), to be filled by any number of
 * appendStage calls in the same transaction: the streaming CSV path stages a batch at a time.
 */
export async function createStage<DB>(trx: Kysely<DB>, name: string, shape: StageShape): Promise<void> {
  const driver = bulkDriver(trx);
  const cols = shape.columns.map(quoteId).join(', ');
  const extra = Object.entries(shape.extra ?? {});
  if (driver.dialect === 'sqlite') {
    const { handle } = driver;
    handle.exec(`DROP TABLE IF EXISTS temp.${quoteId(name)}`);
    handle.exec(`CREATE TEMP TABLE ${quoteId(name)} AS SELECT ${cols} FROM main.${quoteId(shape.like)} WHERE false`);
    for (const [col, type] of extra) handle.exec(`ALTER TABLE temp.${quoteId(name)} ADD COLUMN ${quoteId(col)} ${type}`);
    return;
  }
  const client = await pgClient(trx, driver);
  await client.query(`DROP TABLE IF EXISTS pg_temp.${quoteId(name)}`);
  await client.query(`CREATE TEMP TABLE ${quoteId(name)} ON COMMIT DROP AS SELECT ${cols} FROM ${quoteId(shape.like)} WITH NO DATA`);
  for (const [col, type] of extra) await client.query(`ALTER TABLE pg_temp.${quoteId(name)} ADD COLUMN ${quoteId(col)} ${type === 'integer' ? 'bigint' : type}`);
}

/**
 * Appends rows to a table of createStage: `rows.columns` may be any of its columns (extra ones
 * included); `rows.like` is not used. SQLite: a prepared INSERT per row (synchronous: the returned
 * promise is already settled). PostgreSQL: one `COPY … FROM STDIN` per call.
 */
export async function appendStage<DB>(trx: Kysely<DB>, name: string, rows: Omit<StageRows, 'like'>): Promise<void> {
  if (rows.count === 0) return;
  const driver = bulkDriver(trx);
  const cols = rows.columns.map(quoteId).join(', ');
  const out: StageValue[] = new Array<StageValue>(rows.columns.length).fill(null);
  if (driver.dialect === 'sqlite') {
    runEach(driver.handle, `INSERT INTO temp.${quoteId(name)} (${cols}) VALUES (${rows.columns.map(() => '?').join(', ')})`, rows, out);
    return;
  }
  const client = await pgClient(trx, driver);
  const { from } = await import('pg-copy-streams');
  const copy = client.query(from(`COPY pg_temp.${quoteId(name)} (${cols}) FROM STDIN`));
  await pipeline(Readable.from(copyText(rows, out)), copy);
}

/**
 * A `COPY … FROM STDIN` into a warehouse table, held open across batches (PostgreSQL only): the
 * streaming path's first load writes every batch into one COPY, as a bulk load does, rather than
 * paying a statement's round trip and start-up per batch. Nothing else may run on the transaction's
 * connection while it is open.
 */
export interface OpenCopy {
  /**
   * Sends rows in COPY text format (copy-text.ts), whole lines, as a string or its UTF-8 bytes;
   * resolves when the stream can take more. Rejects with the server's error (a unique violation, say).
   */
  write(text: string | Buffer): Promise<void>;
  /** Ends the COPY; resolves when the server has stored every row, rejects with its error. */
  end(): Promise<void>;
  /** Cancels the COPY (a CopyFail to the server), so the connection can take the rollback. */
  abort(): Promise<void>;
}

export async function openCopy<DB>(trx: Kysely<DB>, table: string, columns: readonly string[]): Promise<OpenCopy> {
  const driver = bulkDriver(trx);
  if (driver.dialect !== 'postgres') throw new Error('openCopy: PostgreSQL only');
  const client = await pgClient(trx, driver);
  const { from } = await import('pg-copy-streams');
  const copy = client.query(from(`COPY ${quoteId(table)} (${columns.map(quoteId).join(', ')}) FROM STDIN`));
  let failure: Error | null = null;
  const failed = new Promise<never>((_, reject) => {
    copy.on('error', (err: Error) => {
      failure = err;
      reject(err);
    });
  });
  failed.catch(() => undefined);
  const finishedCopy = new Promise<void>((resolve) => copy.on('finish', () => resolve()));
  return {
    async write(text) {
      if (failure) throw failure;
      if (!copy.write(text)) await Promise.race([new Promise((resolve) => copy.once('drain', resolve)), failed]);
      if (failure) throw failure;
    },
    async end() {
      if (failure) throw failure;
      copy.end();
      await Promise.race([finishedCopy, failed]);
    },
    async abort() {
      if (failure) return;
      copy.destroy(new Error('the load was abandoned'));
      await failed.catch(() => undefined);
    },
  };
}

/** Values insertRows writes into every row: `literals` whole, `prefixes` before the row's own value. */
export interface FixedValues {
  literals?: Readonly<Record<string, string | number>>;
  prefixes?: Readonly<Record<string, string>>;
}

/**
 * Rows a direct SQLite insert binds per statement (insertRows): each call into better-sqlite3 costs
 * the main thread beyond SQLite's own work. The 1M rows of the benchmark's xlsx in key-sorted
 * batches of 5,000, 64 MiB cache: 4.2–4.5 s a row at a time, 3.8–3.9 s 10, 50 or 100 rows at a time
 * (README "Performance", ninth session).
 */
const ROWS_PER_INSERT = 50;

/**
 * SQLite only: inserts rows straight into the warehouse table `table`, in the order `fill` writes
 * them (synchronous, like appendStage), ROWS_PER_INSERT rows to a prepared statement, with
 * `fixed`'s columns as SQL literals rather than bound per row. A key already stored throws
 * better-sqlite3's SQLITE_CONSTRAINT_PRIMARYKEY; the caller's savepoint undoes what went before.
 * `OR FAIL`, because that savepoint, not the statement, is what a conflict undoes: SQLite then
 * keeps no statement journal for a statement of many rows (with `ABORT`, its default, the journal
 * of every page each statement touched went to a temporary file: +0.9 s of system time a 1M-row load).
 */
export function insertRows<DB>(trx: Kysely<DB>, table: string, rows: Omit<StageRows, 'like'>, fixed: FixedValues = {}): void {
  const driver = bulkDriver(trx);
  if (driver.dialect !== 'sqlite') throw new Error('insertRows: SQLite only');
  if (rows.count === 0) return;
  const literals = Object.entries(fixed.literals ?? {});
  const columns = [...rows.columns, ...literals.map(([c]) => c)].map(quoteId).join(', ');
  const values = [...rows.columns.map((c) => (fixed.prefixes?.[c] !== undefined ? `${sqlLiteral(fixed.prefixes[c])} || ?` : '?')), ...literals.map(([, v]) => sqlLiteral(v))];
  const tuple = `(${values.join(', ')})`;
  const insert = `INSERT OR FAIL INTO main.${quoteId(table)} (${columns}) VALUES `;
  const width = rows.columns.length;
  const row = new Array<StageValue>(width).fill(null);
  const per = Math.min(ROWS_PER_INSERT, Math.floor(SQLITE_MAX_VARIABLES / width));
  const whole = rows.count - (rows.count % per);
  if (whole > 0) {
    const many = driver.handle.prepare(insert + new Array<string>(per).fill(tuple).join(', '));
    const out = new Array<StageValue>(width * per).fill(null);
    for (let i = 0; i < whole; i += per) {
      for (let k = 0; k < per; k++) {
        rows.fill(i + k, row);
        for (let j = 0; j < width; j++) out[k * width + j] = row[j]!;
      }
      many.run(out);
    }
  }
  if (whole < rows.count) runEach(driver.handle, insert + tuple, { columns: rows.columns, count: rows.count - whole, fill: (i, o) => rows.fill(whole + i, o) }, row);
}

/** SQLite's default limit on a statement's parameters (SQLITE_MAX_VARIABLE_NUMBER, since 3.32). */
const SQLITE_MAX_VARIABLES = 32_766;

/** SQLite: runs the prepared `statement` once per row, binding the row's values as `fill` writes them into `out`. */
function runEach(handle: SqliteHandle, statement: string, rows: Omit<StageRows, 'like'>, out: StageValue[]): void {
  const insert = handle.prepare(statement);
  for (let i = 0; i < rows.count; i++) {
    rows.fill(i, out);
    insert.run(out);
  }
}

/**
 * SQLite only: sets the connection's page cache (PRAGMA cache_size: negative in KiB, positive in
 * pages) and returns the setting it replaces, in the same form, for putting back.
 */
export function sqliteCacheSize<DB>(trx: Kysely<DB>, setting: number): number {
  const driver = bulkDriver(trx);
  if (driver.dialect !== 'sqlite') throw new Error('sqliteCacheSize: SQLite only');
  const previous = Number(driver.handle.pragma('cache_size', { simple: true }));
  driver.handle.pragma(`cache_size = ${Math.trunc(setting)}`);
  return previous;
}

/** After the last appendStage: PostgreSQL's ANALYZE, so the merge is planned for the real row count. */
export async function analyzeStage<DB>(trx: Kysely<DB>, name: string): Promise<void> {
  const driver = bulkDriver(trx);
  if (driver.dialect === 'postgres') await (await pgClient(trx, driver)).query(`ANALYZE pg_temp.${quoteId(name)}`);
}

/** The transaction's own pooled client, remembered per transaction (one round trip per transaction). */
const PG_CLIENTS = new WeakMap<object, PoolClient>();

async function pgClient<DB>(trx: Kysely<DB>, driver: Extract<BulkDriver, { dialect: 'postgres' }>): Promise<PoolClient> {
  const known = PG_CLIENTS.get(trx);
  if (known) return known;
  const { rows: pidRows } = await kysely().sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
  const client = driver.clients.get(Number(pidRows[0]?.pid));
  if (!client) throw new Error('bulk load: the transaction\'s PostgreSQL connection is not one of this warehouse\'s pool');
  PG_CLIENTS.set(trx, client);
  return client;
}

/** Drops a staging table of stageRows (PostgreSQL drops it at commit anyway; SQLite keeps it for the connection's life). */
export async function dropStage<DB>(trx: Kysely<DB>, name: string): Promise<void> {
  const driver = bulkDriver(trx);
  await kysely().sql.raw(`DROP TABLE IF EXISTS ${driver.dialect === 'sqlite' ? 'temp' : 'pg_temp'}.${quoteId(name)}`).execute(trx);
}

/** Which database a warehouse's kysely instance (or one of its transactions) talks to. */
export function dialectOf<DB>(trx: Kysely<DB>): 'sqlite' | 'postgres' {
  return bulkDriver(trx).dialect;
}

function bulkDriver<DB>(trx: Kysely<DB>): BulkDriver {
  const driver = BULK.get(trx.getExecutor().adapter);
  if (!driver) throw new Error('bulk load: not a warehouse opened by openWarehouse');
  if (!trx.isTransaction) throw new Error('bulk load: must run inside a transaction');
  return driver;
}

/** Rows per COPY chunk: big enough to amortise the stream's per-write cost, small enough to stay off the old generation. */
const COPY_CHUNK_ROWS = 2000;

/** COPY text format (copy-text.ts): tab-separated fields, one row a line. */
function* copyText(rows: Omit<StageRows, 'like'>, out: StageValue[]): Generator<string> {
  const n = out.length;
  let chunk = '';
  for (let i = 0; i < rows.count; i++) {
    rows.fill(i, out);
    for (let j = 0; j < n; j++) chunk += j === 0 ? copyField(out[j]) : `\t${copyField(out[j])}`;
    chunk += '\n';
    if ((i + 1) % COPY_CHUNK_ROWS === 0) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk !== '') yield chunk;
}

/** A string or finite number as an SQL literal. */
function sqlLiteral(v: string | number): string {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`sqlLiteral: ${v} is not a finite number`);
    return String(v);
  }
  return `'${v.replace(/'/g, "''")}'`;
}

function quoteId(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Attempts at a migration that other sessions' DROP SCHEMAs keep getting in the way of (see
 * runMigrator), 25 ms more apart each time: ≈ 5 s in all. Five at once were not enough in CI, where
 * the parallel test files dropped schemas for over a second.
 */
const MIGRATE_ATTEMPTS = 20;

/** Runs kysely's Migrator (connectWarehouse calls it when migrationsCurrent finds migrations missing). */
async function runMigrator(wh: Warehouse): Promise<void> {
  const migrator = new (kysely().Migrator)({ db: wh.db, provider: new ListedMigrations(), ...(wh.schema ? { migrationTableSchema: wh.schema } : {}) });
  for (let attempt = 1; ; attempt++) {
    const { error, results } = await migrator.migrateToLatest();
    if (!error) return;
    // On PostgreSQL the Migrator first lists the tables and columns of every schema in the
    // database (PostgresIntrospector.getTables), and fails when one it listed is dropped before
    // it reads it: "schema … does not exist", "relation … does not exist", "column … of relation
    // … does not exist". Nothing of ours was changed (each migration is a transaction), so it goes
    // again; a migration of ours that fails so fails the same way every time and is reported.
    const msg = error instanceof Error ? error.message : String(error);
    if (attempt < MIGRATE_ATTEMPTS && wh.dialect === 'postgres' && / does not exist$/.test(msg)) {
      await new Promise((resolve) => setTimeout(resolve, 25 * attempt));
      continue;
    }
    failMigration(wh, error, results);
  }
}

/** A Migrator failure as one line naming the warehouse and the migration. */
function failMigration(wh: Warehouse, error: unknown, results: readonly { status: string; migrationName: string }[] | undefined): never {
  const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
  const msg = error instanceof Error ? error.message : String(error);
  if (/ECONNREFUSED|connect/i.test(msg)) throw new UserError(`WAREHOUSE_URL: cannot connect to ${wh.url}: ${msg}`);
  throw new UserError(`warehouse migration ${failed} failed on ${wh.url}: ${msg}`);
}

/**
 * Whether kysely_migration records every listed migration and nothing else: one small query on
 * every start instead of the Migrator's, which introspects every table of the warehouse first.
 * A migration's row is written after its DDL (in the same transaction on PostgreSQL), so a warehouse
 * that records them all has them all. Anything else — a fresh warehouse without the table, one still
 * being migrated by another process, an outdated one, or one migrated by a newer tradebrief — goes
 * through the Migrator, which takes its lock and reports as before.
 */
async function migrationsCurrent(connection: WarehouseConnection): Promise<boolean> {
  let rows: { name: string }[];
  try {
    rows = await connection.query<{ name: string }>(`SELECT name FROM ${connection.schema ? `${quoteId(connection.schema)}.` : ''}kysely_migration`);
  } catch {
    return false;
  }
  const known = new Set(Object.keys(MIGRATIONS));
  return rows.length === known.size && rows.every((r) => known.has(r.name));
}

/** A round trip to the database, for health checks. */
export async function ping(wh: WarehouseConnection): Promise<void> {
  await wh.query('select 1');
}
