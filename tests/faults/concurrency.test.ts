// Two `tradebrief pull` processes at once on one warehouse, SQLite and PostgreSQL: both end with a
// clear status (exit 0, or 1 with a one-line message naming the source), no fact is duplicated or
// lost (the natural keys make duplicates impossible; the counts prove it), and no run is left
// `running`. Neither process locks the other out: on SQLite the second writer waits (busy_timeout),
// on PostgreSQL the row locks of the upsert serialise them.
import { afterAll, describe, expect, it } from 'vitest';
import { openWarehouse } from '../../src/warehouse/dialect.js';
import { DIALECTS, dropSchema, freshWarehouseUrl, postgresAvailable } from '../helpers/warehouse.js';
import { factCount, longTradeCsv, project, sourceState, spawnCli } from './helpers.js';
import { record } from './meta.js';

const pgUp = await postgresAvailable();
const ROWS = 6_000;
const urls: string[] = [];
afterAll(async () => {
  for (const u of urls) if (u.startsWith('postgres')) await dropSchema(u);
});

describe.each(DIALECTS.filter((d) => d === 'sqlite' || pgUp))('two pulls at once on %s', (dialect) => {
  it('both finish with a clear status; no duplicate or lost rows', { timeout: 60_000 }, async (ctx) => {
    const fault = record(ctx);
    const p = project(
      `  - { id: big-a, dataset: trade, url: data/a.csv, fixed: { reporter: CN-HL } }\n` +
        `  - { id: big-b, dataset: trade, url: data/b.csv, fixed: { reporter: CN-JL } }\n`,
    );
    p.write('a.csv', longTradeCsv(ROWS, 1));
    p.write('b.csv', longTradeCsv(ROWS, 2));
    const url = freshWarehouseUrl(dialect);
    urls.push(url);
    const env = { OUTPUT_DIR: p.outputDir, WAREHOUSE_URL: url, TRADEBRIEF_CONFIG: p.config };
    // Migrate first: two processes racing to create the tables is a separate (kysely) matter.
    await (await openWarehouse(url)).close();
    const [one, two] = await Promise.all([spawnCli(['pull', '--force'], env).done, spawnCli(['pull', '--force'], env).done]);
    for (const r of [one, two]) {
      if (r.code !== 0) {
        expect(r.code, r.stderr).toBe(1);
        for (const line of r.stderr.trim().split('\n')) expect(line).toMatch(/^tradebrief: |big-[ab]/);
      }
      expect(r.stdout + r.stderr).not.toMatch(/Unexpected error|SQLITE_BUSY|deadlock/i);
    }
    const wh = await openWarehouse(url);
    try {
      const count = await factCount(wh);
      fault.rowsLost += Math.max(0, 2 * ROWS - count);
      expect(count).toBe(2 * ROWS);
      expect((await sourceState(wh, 'big-a')).rows).toBe(ROWS);
      expect((await sourceState(wh, 'big-b')).rows).toBe(ROWS);
      const runs = await wh.db.selectFrom('ingest_run').select(['source_id', 'status', 'message']).execute();
      expect(runs).toHaveLength(4);
      for (const r of runs) expect(['loaded', 'unchanged', 'failed']).toContain(r.status);
      expect(runs.filter((r) => r.status === 'loaded').length).toBeGreaterThanOrEqual(2);
    } finally {
      await wh.close();
    }
  });
});
