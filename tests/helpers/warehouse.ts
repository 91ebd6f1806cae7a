// Every warehouse test runs on both dialects, as kysely's own suite does:
//   for (const dialect of DIALECTS) describe(dialect, () => { … })
// PostgreSQL is the machine's server (127.0.0.1:5432, database `test`); each call gets a fresh
// schema so test files can run in parallel. When REQUIRE_POSTGRES=1 (set by .ci/run) a missing
// server fails the suite instead of skipping the PostgreSQL half.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { sql } from 'kysely';
import { openWarehouse, type DialectName, type Warehouse } from '../../src/warehouse/dialect.js';

export const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

let pgAvailable: boolean | undefined;
export async function postgresAvailable(): Promise<boolean> {
  if (pgAvailable !== undefined) return pgAvailable;
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    pgAvailable = true;
  } catch (e) {
    if (process.env.REQUIRE_POSTGRES === '1') throw new Error(`REQUIRE_POSTGRES=1 but PostgreSQL at ${POSTGRES_URL} is not reachable: ${(e as Error).message}`);
    console.warn(`PostgreSQL not reachable at ${POSTGRES_URL}; skipping the PostgreSQL half`);
    pgAvailable = false;
  } finally {
    await client.end().catch(() => undefined);
  }
  return pgAvailable;
}

export const DIALECTS: DialectName[] = ['sqlite', 'postgres'];

/** A warehouse URL for a fresh, empty warehouse of the given dialect. */
export function freshWarehouseUrl(dialect: DialectName): string {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'tb-wh-'));
    return `sqlite:${path.join(dir, 'warehouse.sqlite')}`;
  }
  const schema = `t_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const sep = POSTGRES_URL.includes('?') ? '&' : '?';
  return `${POSTGRES_URL}${sep}schema=${schema}`;
}

/** A fresh warehouse; on PostgreSQL its schema is dropped on close so test runs leave nothing behind. */
export async function freshWarehouse(dialect: DialectName): Promise<Warehouse> {
  const wh = await openWarehouse(freshWarehouseUrl(dialect));
  if (wh.schema) {
    const close = wh.close;
    const schema = wh.schema;
    wh.close = async () => {
      await sql.raw(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).execute(wh.db);
      await close();
    };
  }
  return wh;
}

/** Drops a test schema by URL (for tests that open the warehouse through the CLI). */
export async function dropSchema(url: string): Promise<void> {
  const schema = new URL(url).searchParams.get('schema');
  if (!schema) return;
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
}

export const FACT_TABLES = ['trade_flow', 'investment_flow', 'indicator', 'fx_rate'] as const;

/**
 * The fact tables, source_file and revision (and any `extra` tables), each sorted: "nothing
 * changed" is an equal snapshot. ingest_run's finished_at, pid and host are left out: they differ
 * between two runs of the same pull.
 */
export async function snapshot(wh: Warehouse, extra: readonly ('reject' | 'ingest_run')[] = []): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const t of [...FACT_TABLES, 'revision', 'source_file', ...extra] as const) {
    const rows = (await wh.db.selectFrom(t).selectAll().execute()) as Record<string, unknown>[];
    out[t] = rows.map((r) => JSON.stringify(t === 'ingest_run' ? { ...r, finished_at: undefined, pid: undefined, host: undefined } : r)).sort();
  }
  return out;
}
