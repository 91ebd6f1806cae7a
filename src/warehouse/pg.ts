// Connecting to a PostgreSQL warehouse: dialect.ts's connectPostgres builds the warehouse on the
// pool connectPool returns. A module of its own so that dist/ puts pg, which esbuild bundles
// (scripts/build.mjs BUNDLED), in a chunk that only PostgreSQL warehouses load: its ≈ 85 KiB cost
// every SQLite command ≈ 8 ms of compiling when it shared a chunk with kysely.
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { Socket } from 'node:net';
import type Pg from 'pg';
import type { Pool, PoolClient } from 'pg';
import { ConfigError, UserError, redactUrl } from '../errors.js';

export function loadPg(): typeof Pg {
  // In dist/ `require` is esbuild's, which runs the bundled pg; from src/ (tsx) there is none.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the require esbuild bundles
  return (typeof require === 'function' ? require('pg') : createRequire(import.meta.url)('pg')) as typeof Pg;
}

/**
 * `pg`, required synchronously. On load pg asks whether it runs in a Cloudflare Worker: with no
 * `navigator` (Node 20; Node 21+ has one) it constructs a fetch `Response`, which makes Node compile
 * and start its whole fetch implementation, undici: ≈ 50 ms of every PostgreSQL command's start-up
 * here. Node 21+'s `navigator` answers the check at once, so on Node 20 one is lent for the duration
 * of the require (synchronous: no other code can see it) and removed again.
 */
function requirePg(): typeof Pg {
  const lend = !('navigator' in globalThis);
  if (lend) Object.defineProperty(globalThis, 'navigator', { value: { userAgent: `Node.js/${process.versions.node.split('.')[0]}` }, configurable: true });
  try {
    return loadPg();
  } finally {
    if (lend) delete (globalThis as { navigator?: unknown }).navigator;
  }
}

/** A connected pool, with what dialect.ts's connectPostgres needs besides. */
export interface PgConnection {
  pg: typeof Pg;
  pool: Pool;
  /** The pool's clients by backend pid, so a bulk load can find the client under a kysely transaction. */
  clients: Map<number, PoolClient>;
  /** The URL without `?schema=`, for connections outside the pool (job locks). */
  connectionString: string;
  /** The PostgreSQL schema from `?schema=`, if any. */
  schema: string | null;
  /** Creates the `?schema=` schema unless it exists; nothing without one. */
  createSchema(): Promise<void>;
  /** Ends the pool (endPool). */
  end(): Promise<void>;
}

/**
 * Connects a pool to `url`, so a server that is down or refuses us is reported here, as one line
 * naming the URL.
 */
export async function connectPool(url: string): Promise<PgConnection> {
  const u = new URL(url);
  const schema = u.searchParams.get('schema');
  u.searchParams.delete('schema');
  if (schema && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new ConfigError(`WAREHOUSE_URL: schema "${schema}" must be a lower-case SQL identifier`);
  const pg = requirePg();
  // pg returns BIGINT (count(*), sums) as strings by default; our counts fit in a double.
  pg.types.setTypeParser(20, (v: string) => Number.parseInt(v, 10));
  pg.types.setTypeParser(1700, (v: string) => Number.parseFloat(v));
  // The pool's sockets are made here (pg's `stream` option, as pg makes them), so that endPool can find them.
  const sockets = new Set<Socket>();
  const stream = () => {
    const socket = new Socket();
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    return socket;
  };
  // search_path as a startup option, so every pooled connection uses the schema from its first query.
  const pool = new pg.Pool({ connectionString: u.toString(), max: 4, stream, ...(schema ? { options: `-c search_path=${schema}` } : {}) });
  pool.on('error', () => {
    /* idle client errors surface on the next query */
  });
  const clients = new Map<number, PoolClient>();
  pool.on('connect', (client) => {
    const pid = (client as unknown as { processID: number | null }).processID;
    if (pid !== null) clients.set(pid, client);
  });
  pool.on('remove', (client) => {
    const pid = (client as unknown as { processID: number | null }).processID;
    if (pid !== null && clients.get(pid) === client) clients.delete(pid);
  });
  try {
    // Connected, not asked anything: the warehouse's first statement is the migrations' check
    // (dialect.ts), and the schema is created only when that finds no migrations (createSchema).
    (await pool.connect()).release();
  } catch (e) {
    await pool.end();
    throw new UserError(`WAREHOUSE_URL: cannot connect to ${redactUrl(url)}: ${(e as Error).message}; is the server running?`);
  }
  // IF NOT EXISTS does not stop two sessions creating the schema at once from failing one of them
  // on the catalog's unique index (23505): the schema is there then, as asked.
  const createSchema = async () => {
    if (schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`).catch((e: { code?: string }) => (e.code === '23505' ? undefined : Promise.reject(e)));
  };
  return { pg, pool, clients, connectionString: u.toString(), schema, createSchema, end: () => endPool(pool, sockets) };
}

/**
 * Ends the pool as libpq's PQfinish ends a connection: each connection sends Terminate and closes
 * its side, and is done once that is flushed. pg's pool.end() also waits for the server to close
 * the other side, after its backend has exited: ≈ 4 ms of every PostgreSQL command here, for nothing
 * the command needs. The rest of pool.end() goes on without holding the process open.
 */
async function endPool(pool: Pool, sockets: Set<Socket>): Promise<void> {
  const ended = pool.end().catch(() => undefined);
  const flushed = [...sockets].map((socket) => {
    socket.unref();
    return socket.writableFinished || socket.destroyed ? undefined : once(socket, 'finish').catch(() => undefined);
  });
  await Promise.race([ended, Promise.all(flushed)]);
}
