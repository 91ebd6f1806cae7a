// migrate(): a warehouse that records every migration is opened with one query; a fresh, outdated
// or foreign one still goes through kysely's Migrator, also when two processes open it at once.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { Migrator, sql, type Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { FACT_KEYS } from '../../src/warehouse/database.js';
import { openWarehouse, type Warehouse } from '../../src/warehouse/dialect.js';
import { loadSqlite } from '../../src/warehouse/sqlite.js';
import * as initial from '../../src/warehouse/migrations/2026-11-29-initial.js';
import { DIALECTS, POSTGRES_URL, dropSchema, freshWarehouseUrl, postgresAvailable } from '../helpers/warehouse.js';

const pgUp = await postgresAvailable();

const ALL = ['2026-11-29-initial', '2026-11-29-operations', '2026-11-29-source-file-notes', '2026-11-30-drop-trade-query-index', '2026-11-30-key-collation'];

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && !pgUp)(`migrate on ${dialect}`, () => {
    const open: Warehouse[] = [];
    const urls: string[] = [];

    const fresh = (): string => {
      const url = freshWarehouseUrl(dialect);
      urls.push(url);
      return url;
    };
    const opened = async (url: string, options?: { migrate?: boolean }): Promise<Warehouse> => {
      const wh = await openWarehouse(url, options);
      open.push(wh);
      return wh;
    };
    const any = (wh: Warehouse) => wh.db as unknown as Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const recorded = async (wh: Warehouse): Promise<string[]> =>
      (await any(wh).selectFrom('kysely_migration').select('name').orderBy('name').execute()).map((r) => r.name as string);
    // PostgreSQL's introspection lists every schema's tables, the parallel test files' included.
    const hasTable = async (wh: Warehouse, table: string): Promise<boolean> =>
      (await wh.db.introspection.getTables({ withInternalKyselyTables: true })).some((t) => t.name === table && (!wh.schema || t.schema === wh.schema));

    afterEach(async () => {
      await Promise.all(open.splice(0).map((wh) => wh.close()));
      if (dialect === 'postgres') await Promise.all(urls.splice(0).map((u) => dropSchema(u)));
    });

    it('leaves the global object as it was (pg is loaded with a navigator lent on Node 20)', async () => {
      const before = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
      await opened(fresh());
      expect(Object.getOwnPropertyDescriptor(globalThis, 'navigator')).toEqual(before);
    });

    it.skipIf(dialect !== 'sqlite')('a file that is not a database is a one-line error naming it', async () => {
      const file = path.join(mkdtempSync(path.join(tmpdir(), 'tb-garbage-')), 'warehouse.sqlite');
      writeFileSync(file, Buffer.alloc(4096, 7));
      await expect(openWarehouse(`sqlite:${file}`)).rejects.toThrow(new UserError(`WAREHOUSE_URL: cannot open SQLite file ${file}: file is not a database; point WAREHOUSE_URL at a warehouse file or a new path`));
    });

    it.skipIf(dialect !== 'sqlite')('opens SQLite in WAL mode, with helper threads for the merge\'s sorts', async () => {
      const wh = await opened(fresh());
      const pragma = async (name: string) => Object.values((await sql.raw(`PRAGMA ${name}`).execute(wh.db)).rows[0] as object)[0];
      expect(await pragma('journal_mode')).toBe('wal');
      expect(await pragma('threads')).toBe(Math.min(4, availableParallelism()));
    });

    it.skipIf(dialect !== 'sqlite')('makes a new SQLite warehouse with 16 KiB pages and leaves an existing one\'s size', async () => {
      const pageSize = async (wh: Warehouse) => Object.values((await sql.raw('PRAGMA page_size').execute(wh.db)).rows[0] as object)[0];
      expect(await pageSize(await opened(fresh()))).toBe(16384);
      // A warehouse file made with SQLite's default 4 KiB pages (before this setting) keeps them.
      const file = path.join(mkdtempSync(path.join(tmpdir(), 'tb-4k-')), 'warehouse.sqlite');
      const { Database: SQLite, nativeBinding } = loadSqlite();
      const old = new SQLite(file, { nativeBinding });
      old.exec('CREATE TABLE t (x)');
      old.close();
      expect(await pageSize(await opened(`sqlite:${file}`))).toBe(4096);
    });

    it('migrates a fresh warehouse to the latest migration', async () => {
      const wh = await opened(fresh());
      expect(await recorded(wh)).toEqual(ALL);
      expect(await hasTable(wh, 'trade_flow')).toBe(true);
      expect(await hasTable(wh, 'job_lock')).toBe(true);
    });

    it('opens a current warehouse without running the Migrator', async () => {
      const url = fresh();
      const first = await opened(url);
      // The Migrator creates its lock table whenever it runs: gone it stays when the quick check answers.
      await sql`drop table kysely_migration_lock`.execute(first.db);
      const again = await opened(url);
      expect(await hasTable(again, 'kysely_migration_lock')).toBe(false);
      expect(await recorded(again)).toEqual(ALL);
    });

    /** The names of a table's indexes (the primary key's included). */
    const indexes = async (wh: Warehouse, table: string): Promise<string[]> => {
      const rows =
        dialect === 'sqlite'
          ? (await sql<{ name: string }>`SELECT name FROM pragma_index_list(${table})`.execute(wh.db)).rows
          : (await sql<{ name: string }>`SELECT indexname AS name FROM pg_indexes WHERE tablename = ${table} AND schemaname = ${wh.schema ?? 'public'}`.execute(wh.db)).rows;
      return rows.map((r) => r.name).sort();
    };

    /** A warehouse at `url` migrated by the first migration only, as the first tradebrief left it. */
    const migratedToInitial = async (url: string): Promise<Warehouse> => {
      const bare = await opened(url, { migrate: false });
      const migrator = new Migrator({
        db: bare.db,
        provider: { getMigrations: async () => ({ '2026-11-29-initial': initial }) },
        ...(bare.schema ? { migrationTableSchema: bare.schema } : {}),
      });
      // As runMigrator does (dialect.ts): kysely's Migrator reads every schema of the database first
      // and fails when another test file drops one meanwhile; nothing of this warehouse changed then.
      for (let attempt = 1; ; attempt++) {
        const { error } = await migrator.migrateToLatest();
        if (attempt < 20 && error instanceof Error && / does not exist$/.test(error.message)) {
          await new Promise((resolve) => setTimeout(resolve, 25 * attempt));
          continue;
        }
        expect(error).toBeUndefined();
        return bare;
      }
    };

    it('brings an outdated warehouse up to date', async () => {
      const url = fresh();
      const bare = await migratedToInitial(url);
      expect(await recorded(bare)).toEqual(['2026-11-29-initial']);

      expect(await indexes(bare, 'trade_flow')).toContain('trade_flow_query_idx');

      const wh = await opened(url);
      expect(await recorded(wh)).toEqual(ALL);
      expect(await hasTable(wh, 'job_lock')).toBe(true);
      // 2026-11-30: the index the primary key made redundant is gone; the key's own index stays.
      expect(await indexes(wh, 'trade_flow')).not.toContain('trade_flow_query_idx');
      expect((await indexes(wh, 'trade_flow')).length).toBe(1);
    });

    it.skipIf(dialect !== 'postgres')('compares every fact key byte by byte (COLLATE "C"), as SQLite does, keeping the facts stored before', async () => {
      const url = fresh();
      const bare = await migratedToInitial(url);
      const fact = { reporter: 'CN-HL', partner: 'JP', flow: 'export', product: '030389', period: '2015', period_kind: 'year', source_id: 's', value: 1.5, unit: 'USD', currency: 'USD', value_usd: 1.5, illustrative: 0, run_id: 1, cell: 'x#A2' };
      await any(bare).insertInto('trade_flow').values(fact).execute();

      const wh = await opened(url);
      const keyed = Object.entries(FACT_KEYS).flatMap(([table, keys]) => keys.map((k) => `${table}.${k}`)).sort();
      const { rows } = await sql<{ col: string; collation: string | null }>`
        SELECT table_name || '.' || column_name AS col, collation_name AS collation FROM information_schema.columns
        WHERE table_schema = ${wh.schema ?? 'public'} AND table_name IN ('trade_flow', 'investment_flow', 'indicator', 'fx_rate')`.execute(wh.db);
      expect(rows.filter((r) => r.collation === 'C').map((r) => r.col).sort()).toEqual(keyed);
      expect(await any(wh).selectFrom('trade_flow').selectAll().execute()).toEqual([fact]);
    });

    it('still refuses a warehouse migrated by a newer tradebrief', async () => {
      const url = fresh();
      const first = await opened(url);
      await any(first).insertInto('kysely_migration').values({ name: '2099-01-01-future', timestamp: new Date().toISOString() }).execute();
      await expect(openWarehouse(url)).rejects.toThrow(/warehouse migration .* failed on .*2099-01-01-future/);
    });

    // kysely's migration lock is a no-op on SQLite, so this holds on PostgreSQL only (its advisory lock).
    it.skipIf(dialect === 'sqlite')('lets two connections open a fresh warehouse at once', async () => {
      const url = fresh();
      const [a, b] = await Promise.all([opened(url), opened(url)]);
      expect(await recorded(a)).toEqual(ALL);
      expect(await recorded(b)).toEqual(ALL);
    });

    // The Migrator lists every schema's tables first; other sessions drop theirs meanwhile (as the
    // parallel test files do), which failed a migration now and then with "schema … does not exist".
    it.skipIf(dialect === 'sqlite')('migrates while other sessions drop their schemas', async () => {
      const others = await Promise.all(Array.from({ length: 24 }, () => opened(fresh())));
      const doomed = others.map((wh) => wh.schema!);
      const urlsNow = [fresh(), fresh(), fresh(), fresh()];
      const dropping = (async () => {
        for (const schema of doomed) await dropSchema(`${POSTGRES_URL}?schema=${schema}`);
      })();
      const migrated = await Promise.all(urlsNow.map((u) => opened(u)));
      await dropping;
      for (const wh of migrated) expect(await recorded(wh)).toEqual(ALL);
    });
  });
}
