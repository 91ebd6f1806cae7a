// The floors: the least any loader can do with the same files on the same machine, each run as its
// own process by bench.ts. `node dist/bench/floor.js <kind> <file> [postgres-url]` prints one JSON
// line `{"rows": n}` on stdout.
//   csv-parse      papaparse streaming parse of the CSV
//   xlsx-parse     SheetJS parse of a workbook (the options the pipeline uses)
//   sqlite-insert  the CSV streamed into one prepared INSERT in one transaction, table keyed like trade_flow
//   pg-copy        the CSV streamed through COPY FROM STDIN (pg-copy-streams) into a table keyed like trade_flow
import { createReadStream, readFileSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import Papa from 'papaparse';
import XLSX from 'xlsx';

/** A table with trade_flow's columns and primary key; `key` is the key columns' type (PostgreSQL's compares bytes, as trade_flow's does). */
const COLUMNS = ['reporter', 'partner', 'flow', 'product', 'period', 'period_kind', 'source_id', 'value', 'unit', 'currency', 'value_usd', 'illustrative', 'run_id', 'cell'];
const create = (key: string) => `(
  reporter ${key} not null, partner ${key} not null, flow ${key} not null, product ${key} not null,
  period ${key} not null, period_kind ${key} not null, source_id ${key} not null,
  value double precision not null, unit text not null, currency text, value_usd double precision,
  illustrative integer not null, run_id integer not null, cell text not null,
  primary key (reporter, partner, flow, product, period, period_kind, source_id))`;

/** A CSV row (year, reporter, partner, product, flow, value[, quantity]) as a trade_flow-like row. */
function toRow(r: string[], i: number): (string | number | null)[] {
  const value = Number(r[5]);
  return [r[1]!, r[2]!, r[4]!, r[3]!, r[0]!, 'year', 'bench', value, 'USD', 'USD', value, 0, 1, `sha#trade!F${i + 2}`];
}

/** Streams the CSV's data rows (header skipped) to `onRows` in chunks; `onRows` may return a promise (backpressure). */
async function streamCsv(file: string, onRows: (rows: string[][], first: number) => void | Promise<void>): Promise<number> {
  let n = 0;
  let header = true;
  await new Promise<void>((resolve, reject) => {
    Papa.parse<string[]>(createReadStream(file), {
      skipEmptyLines: true,
      chunk: (results, parser) => {
        let rows = results.data;
        if (header) {
          rows = rows.slice(1);
          header = false;
        }
        const first = n;
        n += rows.length;
        const done = onRows(rows, first);
        if (done instanceof Promise) {
          parser.pause();
          done.then(() => parser.resume(), reject);
        }
      },
      complete: () => resolve(),
      error: (err: Error) => reject(err),
    });
  });
  return n;
}

async function csvParse(file: string): Promise<number> {
  return streamCsv(file, () => undefined);
}

function xlsxParse(file: string): number {
  const wb = XLSX.read(readFileSync(file), { type: 'buffer', cellDates: true, cellNF: false, cellText: false, cellFormula: false, cellHTML: false, cellStyles: false, dense: true });
  let rows = 0;
  for (const name of wb.SheetNames) rows += ((wb.Sheets[name]?.['!data'] as unknown[] | undefined) ?? []).length;
  return rows;
}

async function sqliteInsert(file: string, dbFile: string): Promise<number> {
  // The warehouse's own loader: bundled (dist/bench), better-sqlite3 needs its addon's path.
  const { Database: SQLite, nativeBinding } = (await import('../warehouse/sqlite.js')).loadSqlite();
  for (const f of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`]) rmSync(f, { force: true });
  const db = new SQLite(dbFile, { nativeBinding });
  // The warehouse's own pragmas (src/warehouse/dialect.ts).
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`create table trade_flow ${create('text')}`);
  const insert = db.prepare(`insert into trade_flow (${COLUMNS.join(', ')}) values (${COLUMNS.map(() => '?').join(', ')})`);
  db.exec('begin');
  const n = await streamCsv(file, (rows, first) => {
    for (let i = 0; i < rows.length; i++) insert.run(toRow(rows[i]!, first + i));
  });
  db.exec('commit');
  db.close();
  return n;
}

function copyText(v: string | number | null): string {
  if (v === null) return '\\N';
  return typeof v === 'number' ? String(v) : v.replace(/[\\\t\n\r]/g, (c) => (c === '\t' ? '\\t' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\\\'));
}

async function pgCopy(file: string, url: string): Promise<number> {
  const { default: pg } = await import('pg');
  const { from } = await import('pg-copy-streams');
  const u = new URL(url);
  const schema = u.searchParams.get('schema') ?? 'bench_floor';
  u.searchParams.delete('schema');
  const client = new pg.Client({ connectionString: u.toString() });
  await client.connect();
  try {
    await client.query(`create schema if not exists ${schema}`);
    await client.query(`create table ${schema}.trade_flow ${create('text collate "C"')}`);
    await client.query('begin');
    const stream = client.query(from(`copy ${schema}.trade_flow (${COLUMNS.join(', ')}) from stdin`));
    const finished = new Promise<void>((resolve, reject) => {
      stream.on('finish', resolve);
      stream.on('error', reject);
    });
    const n = await streamCsv(file, async (rows, first) => {
      let text = '';
      for (let i = 0; i < rows.length; i++) text += `${toRow(rows[i]!, first + i).map(copyText).join('\t')}\n`;
      if (!stream.write(text)) await once(stream, 'drain');
    });
    stream.end();
    await finished;
    await client.query('commit');
    return n;
  } finally {
    await client.end();
  }
}

async function main(argv: string[]): Promise<void> {
  const [kind, file, extra] = argv;
  if (!kind || !file) throw new Error('usage: floor.js <csv-parse|xlsx-parse|sqlite-insert|pg-copy> <file> [sqlite-file|postgres-url]');
  let rows: number;
  switch (kind) {
    case 'csv-parse':
      rows = await csvParse(file);
      break;
    case 'xlsx-parse':
      rows = xlsxParse(file);
      break;
    case 'sqlite-insert':
      rows = await sqliteInsert(file, extra ?? `${file}.floor.sqlite`);
      break;
    case 'pg-copy':
      if (!extra) throw new Error('pg-copy needs a postgres URL');
      rows = await pgCopy(file, extra);
      break;
    default:
      throw new Error(`unknown floor "${kind}"`);
  }
  process.stdout.write(`${JSON.stringify({ rows })}\n`);
}

main(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`floor: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
