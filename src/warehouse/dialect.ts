// The ONLY place that knows SQLite from PostgreSQL. Everything else talks to `Warehouse`.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql, type Migration, type MigrationProvider } from 'kysely';
import type { Database } from './database.js';
import * as m20261129 from './migrations/2026-11-29-initial.js';
import * as m20261129notes from './migrations/2026-11-29-source-file-notes.js';
import { ConfigError, UserError, redactUrl } from '../errors.js';

export type DialectName = 'sqlite' | 'postgres';

export interface Warehouse {
  db: Kysely<Database>;
  dialect: DialectName;
  /** The URL with any password removed, for logs and `status`. */
  url: string;
  /** The PostgreSQL schema from `?schema=`, if any (kysely's migrator must be told). */
  schema?: string;
  close(): Promise<void>;
}

/** Migrations, listed explicitly (not read from a folder) so they work from src/ and dist/ alike. */
const MIGRATIONS: Record<string, Migration> = {
  '2026-11-29-initial': m20261129,
  '2026-11-29-source-file-notes': m20261129notes,
};

class ListedMigrations implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return MIGRATIONS;
  }
}

export const DEFAULT_WAREHOUSE_URL = 'sqlite:output/warehouse.sqlite';

/**
 * Opens the warehouse named by `url` (`sqlite:PATH`, a bare `.sqlite` path, or `postgres://…`),
 * runs pending migrations, and returns it. `?schema=NAME` on a PostgreSQL URL puts the tables in that
 * schema (created if missing) — the tests give every file its own.
 */
export async function openWarehouse(url: string = DEFAULT_WAREHOUSE_URL, options: { migrate?: boolean } = {}): Promise<Warehouse> {
  const wh = url.startsWith('postgres://') || url.startsWith('postgresql://') ? await openPostgres(url) : await openSqlite(url);
  if (options.migrate ?? true) await migrate(wh);
  return wh;
}

async function openSqlite(url: string): Promise<Warehouse> {
  const file = url.replace(/^sqlite:(\/\/)?/, '');
  if (!file) throw new ConfigError(`WAREHOUSE_URL: "${url}" names no file; use sqlite:output/warehouse.sqlite`);
  const { default: SQLite } = await import('better-sqlite3');
  if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  let handle: InstanceType<typeof SQLite>;
  try {
    handle = new SQLite(file);
  } catch (e) {
    throw new UserError(`WAREHOUSE_URL: cannot open SQLite file ${file}: ${(e as Error).message}`);
  }
  // WAL lets `status` read while a pull writes; busy_timeout makes a second writer wait, not fail.
  handle.pragma('journal_mode = WAL');
  handle.pragma('busy_timeout = 30000');
  handle.pragma('synchronous = NORMAL');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: handle }) });
  return { db, dialect: 'sqlite', url: `sqlite:${file}`, close: () => db.destroy() };
}

async function openPostgres(url: string): Promise<Warehouse> {
  const { default: pg } = await import('pg');
  // pg returns BIGINT (count(*), sums) as strings by default; our counts fit in a double.
  pg.types.setTypeParser(20, (v: string) => Number.parseInt(v, 10));
  pg.types.setTypeParser(1700, (v: string) => Number.parseFloat(v));
  const u = new URL(url);
  const schema = u.searchParams.get('schema');
  u.searchParams.delete('schema');
  if (schema && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new ConfigError(`WAREHOUSE_URL: schema "${schema}" must be a lower-case SQL identifier`);
  // search_path as a startup option, so every pooled connection uses the schema from its first query.
  const pool = new pg.Pool({ connectionString: u.toString(), max: 4, ...(schema ? { options: `-c search_path=${schema}` } : {}) });
  pool.on('error', () => {
    /* idle client errors surface on the next query */
  });
  try {
    if (schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    else await pool.query('select 1');
  } catch (e) {
    await pool.end();
    throw new UserError(`WAREHOUSE_URL: cannot connect to ${redactUrl(url)}: ${(e as Error).message}; is the server running?`);
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', url: redactUrl(url), ...(schema ? { schema } : {}), close: () => db.destroy() };
}

export async function migrate(wh: Warehouse): Promise<void> {
  const migrator = new Migrator({ db: wh.db, provider: new ListedMigrations(), ...(wh.schema ? { migrationTableSchema: wh.schema } : {}) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    const msg = error instanceof Error ? error.message : String(error);
    if (/ECONNREFUSED|connect/i.test(msg)) throw new UserError(`WAREHOUSE_URL: cannot connect to ${wh.url}: ${msg}`);
    throw new UserError(`warehouse migration ${failed} failed on ${wh.url}: ${msg}`);
  }
}

/** A round trip to the database, for health checks. */
export async function ping(wh: Warehouse): Promise<void> {
  await sql`select 1`.execute(wh.db);
}
