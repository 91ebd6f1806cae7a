// connectWarehouse(): the driver's connection answers plain SQL before the query builder is
// loaded, warehouse() puts kysely on the same connection, and a PostgreSQL connection ends without
// waiting for the server to close it.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { connectWarehouse, openWarehouse, type WarehouseConnection } from '../../src/warehouse/dialect.js';
import { DIALECTS, POSTGRES_URL, dropSchema, freshWarehouseUrl, postgresAvailable } from '../helpers/warehouse.js';

const pgUp = await postgresAvailable();

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && !pgUp)(`a warehouse connection on ${dialect}`, () => {
    const open: WarehouseConnection[] = [];
    const urls: string[] = [];
    const connected = async (): Promise<WarehouseConnection> => {
      const url = freshWarehouseUrl(dialect);
      urls.push(url);
      const c = await connectWarehouse(url);
      open.push(c);
      return c;
    };
    afterEach(async () => {
      await Promise.all(open.splice(0).map((c) => c.close()));
      if (dialect === 'postgres') await Promise.all(urls.splice(0).map((u) => dropSchema(u)));
    });

    it('runs statements with ? placeholders, RETURNING included, on the migrated tables', async () => {
      const c = await connected();
      const [row] = await c.query<{ id: number }>(
        `INSERT INTO ingest_run (source_id, "trigger", started_at, status, rows_read, rows_loaded, rows_rejected, rows_revised, pid, host)
         VALUES (?, ?, ?, 'running', 0, 0, 0, 0, ?, ?) RETURNING id`,
        ['s1', 'test', '2026-11-30T00:00:00.000Z', 42, 'h'],
      );
      expect(typeof row!.id).toBe('number');
      expect(await c.query('UPDATE ingest_run SET status = ?, message = ? WHERE id = ?', ['loaded', 'ok', row!.id])).toEqual([]);
      expect(await c.query('SELECT source_id, status, message, pid FROM ingest_run WHERE id = ?', [row!.id])).toEqual([{ source_id: 's1', status: 'loaded', message: 'ok', pid: 42 }]);
    });

    it('warehouse() puts the query builder on the same connection, once', async () => {
      const c = await connected();
      await c.query(`INSERT INTO ingest_run (source_id, "trigger", started_at, status, rows_read, rows_loaded, rows_rejected, rows_revised) VALUES (?, 'test', ?, 'loaded', 1, 1, 0, 0)`, ['s2', '2026-11-30T00:00:00.000Z']);
      const wh = await c.warehouse();
      expect(await c.warehouse()).toBe(wh);
      expect(await wh.warehouse()).toBe(wh);
      expect(await wh.db.selectFrom('ingest_run').select('source_id').execute()).toEqual([{ source_id: 's2' }]);
      expect(wh.dialect).toBe(dialect);
    });

    it('closes once however often it is asked, before or after warehouse()', async () => {
      const c = await connected();
      await c.warehouse();
      open.splice(open.indexOf(c), 1);
      await c.close();
      await c.close();
      await expect(c.query('select 1')).rejects.toThrow();
    });

    it('a statement run while another job holds a transaction is not part of it', async () => {
      const c = await connected();
      const wh = await c.warehouse();
      const insert = (source: string) =>
        c.query<{ id: number }>(`INSERT INTO ingest_run (source_id, "trigger", started_at, status, rows_read, rows_loaded, rows_rejected, rows_revised) VALUES (?, 'test', ?, 'running', 0, 0, 0, 0) RETURNING id`, [source, '2026-11-30T00:00:00.000Z']);
      let opened!: () => void;
      const inside = new Promise<void>((r) => (opened = r));
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const job = wh.db.transaction().execute(async (trx) => {
        await trx.insertInto('reject').values({ run_id: 1, cell: 'A1', reason: 'test', raw: null }).execute();
        opened();
        await gate;
        throw new Error('the load failed');
      });
      await inside;
      const other = insert('other-job');
      await new Promise((r) => setTimeout(r, 50));
      release();
      await expect(job).rejects.toThrow('the load failed');
      await other;
      expect(await c.query('SELECT source_id FROM ingest_run')).toEqual([{ source_id: 'other-job' }]);
      expect(await c.query('SELECT cell FROM reject')).toEqual([]);
    });

    it('a statement the database refuses rejects with its message and leaves the connection usable', async () => {
      const c = await connected();
      await expect(c.query('SELECT nope FROM ingest_run')).rejects.toThrow(/nope/);
      expect(await c.query<{ n: number }>('SELECT 1 AS n')).toEqual([{ n: 1 }]);
    });
  });
}

describe.skipIf(!pgUp)('closing a PostgreSQL connection', () => {
  const urls: string[] = [];
  afterEach(async () => {
    await Promise.all(urls.splice(0).map((u) => dropSchema(u)));
  });

  /** The server's sessions with this application_name, once they settle (a backend takes a moment to exit). */
  async function sessions(tag: string, expected: number): Promise<number> {
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    try {
      for (let i = 0; ; i++) {
        const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1', [tag]);
        const n = Number(rows[0]!.n);
        if (n === expected || i === 100) return n;
        await new Promise((r) => setTimeout(r, 20));
      }
    } finally {
      await client.end();
    }
  }

  it('ends every session of the pool on the server (it does not wait for the server to close them)', async () => {
    const tag = `tb_conn_${randomBytes(4).toString('hex')}`;
    const url = `${freshWarehouseUrl('postgres')}&application_name=${tag}`;
    urls.push(url);
    const wh = await openWarehouse(url);
    // Two sessions: a transaction holds one while a plain query takes another.
    await wh.db.transaction().execute(async (trx) => {
      await trx.selectFrom('ingest_run').select('id').execute();
      await wh.query('select 1');
    });
    expect(await sessions(tag, 2)).toBe(2);
    await wh.close();
    expect(await sessions(tag, 0)).toBe(0);
  });
});
