// `npm run bench [-- --quick]`: throughput and memory of tradebrief against floors measured in the
// same run on the same files (issue 6). Every case is a whole child process; the median of the runs
// after a warm-up is reported with the peak RSS. Writes <out>/<date>.md and .json and prints the table.
//
// Options: --quick (small data, one run, no warm-up; for CI) · --runs N (measured runs, default 3)
// · --out DIR (default output/bench) · --data DIR (default <out>/data) · --only REGEX (case ids; the
// floors of the selected cases run too, so their ratios are measured)
// · --timeout S (per run; default 600, quick 60) · --seed N · --no-quantity (long table without
// its quantity column) · --postgres URL (default postgres://postgres@127.0.0.1:5432/test)
// · --cpu-prof DIR (every run also writes a V8 CPU profile to DIR/<case>/, for `node --cpu-prof`
// reading of where a case spends its time; profiling slows the runs a little).
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureData, type DataFiles, type DataSpec } from './data.js';
import { median, rssMethod, runNode, type RunResult } from './measure.js';
import { formatTable, type CaseResult, type Machine, type Report } from './report.js';

interface Options {
  quick: boolean;
  runs: number;
  out: string;
  data: string;
  only: RegExp | null;
  timeoutMs: number;
  seed: number;
  quantity: boolean;
  postgres: string;
  /** Where each run's CPU profile goes (`--cpu-prof DIR`), or null for none. */
  cpuProf: string | null;
}

/** One benchmark case; `run(i)` is called for every run (warm-up is i = 0). */
interface Case {
  id: string;
  /** Input rows (or value cells) the case processes, for rows/s. */
  rows: number | null;
  /** The case whose median is this one's floor. */
  floor?: string;
  /**
   * Alternate every run (warm-up included) with a run of the floor's command, and take the ratio
   * against those runs' median. For sub-second cases, whose ratio to a floor measured minutes
   * earlier moves with the machine's drift more than with the code.
   */
  interleaveFloor?: boolean;
  /** At least this many measured runs, whatever --runs says, except under --quick (cheap cases whose median is noisy). */
  minRuns?: number;
  target?: Target;
  needsPostgres?: boolean;
  /** Once before the runs, untimed. */
  prepare?: () => Promise<void>;
  run: (i: number) => Promise<{ args: string[]; env?: NodeJS.ProcessEnv }>;
  /** An error message when the run did the wrong thing (e.g. did not short-circuit). */
  verify?: (r: RunResult) => string | null;
  /** After every run, untimed. */
  afterRun?: (i: number) => Promise<void>;
  /** After all runs, untimed. */
  cleanup?: () => Promise<void>;
}

interface Target {
  text: string;
  met: (r: CaseResult, all: Map<string, CaseResult>) => boolean;
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * `node` arguments that run a module next to this one: the compiled `.js` in dist, or the `.ts`
 * source through tsx when the bench itself runs from src (the smoke test does, so it needs no build).
 */
function entry(relative: string): string[] {
  const js = fileURLToPath(new URL(`${relative}.js`, import.meta.url));
  return existsSync(js) ? [js] : ['--import', 'tsx', fileURLToPath(new URL(`${relative}.ts`, import.meta.url))];
}
const CLI = entry('../cli');
const FLOOR = entry('./floor');

function parseArgs(argv: string[]): Options {
  const get = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const quick = argv.includes('--quick');
  const out = path.resolve(get('--out') ?? path.join(ROOT, 'output/bench'));
  return {
    quick,
    runs: Number(get('--runs') ?? (quick ? 1 : 3)),
    out,
    data: path.resolve(get('--data') ?? path.join(out, 'data')),
    only: get('--only') ? new RegExp(get('--only')!) : null,
    timeoutMs: Number(get('--timeout') ?? (quick ? 60 : 600)) * 1000,
    seed: Number(get('--seed') ?? 20240611),
    quantity: !argv.includes('--no-quantity'),
    postgres: get('--postgres') ?? 'postgres://postgres@127.0.0.1:5432/test',
    cpuProf: get('--cpu-prof') ? path.resolve(get('--cpu-prof')!) : null,
  };
}

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

// --- PostgreSQL schemas: one per run, dropped afterwards ---------------------------------------------

async function pgQuery(url: string, text: string): Promise<unknown[]> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return (await client.query(text)).rows as unknown[];
  } finally {
    await client.end();
  }
}

async function postgresVersion(url: string): Promise<string | null> {
  try {
    const rows = (await pgQuery(url, 'show server_version')) as { server_version: string }[];
    return rows[0]?.server_version ?? null;
  } catch {
    return null;
  }
}

function withSchema(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('schema', schema);
  return u.toString();
}

// --- the cases ------------------------------------------------------------------------------------

function buildCases(opts: Options, files: DataFiles, spec: DataSpec, tmp: string): Case[] {
  const cases: Case[] = [];
  const tag = `${process.pid}`;
  const schemaOf = (id: string, i: number | string) => `bench_${tag}_${id.replace(/[^a-z0-9]/g, '_')}_${i}`;
  const dropSchema = (schema: string) => pgQuery(opts.postgres, `drop schema if exists ${schema} cascade`).then(() => undefined);
  const sqliteFile = (id: string, i: number | string) => path.join(tmp, `${id}-${i}.sqlite`);
  const removeSqlite = (file: string) => {
    for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
  };
  const yearbookCells = spec.yearbookRows * 45;

  /** A config with the one source, its URL the given file. */
  const writeConfig = (name: string, url: string, extra = ''): string => {
    const file = path.join(tmp, `${name}.yaml`);
    writeFileSync(
      file,
      [
        'timezone: Asia/Shanghai',
        'sources:',
        '  - id: bench-trade',
        '    dataset: trade',
        `    url: ${JSON.stringify(url)}`,
        '    fixed: { reporter: CN-HL }',
        `    max_bytes: ${50 * 1024 ** 3}`,
        ...(extra ? [extra] : []),
        'briefs: []',
        '',
      ].join('\n'),
    );
    return file;
  };
  const outputDir = (id: string) => path.join(tmp, `out-${id}`);
  const pullArgs = (config: string) => [...CLI, 'pull', '--config', config];
  const envFor = (warehouse: string, id: string) => ({ WAREHOUSE_URL: warehouse, OUTPUT_DIR: outputDir(id) });
  const loaded = (r: RunResult) => (/→ loaded \d+ facts/.test(r.stderr + r.stdout) ? null : `no "loaded" line: ${lastLine(r)}`);

  // Floors
  const floor = (id: string, kind: string, file: string, rows: number, extra?: (i: number) => string, needsPostgres = false, afterRun?: (i: number) => Promise<void>): Case => ({
    id,
    rows,
    needsPostgres,
    run: async (i) => ({ args: [...FLOOR, kind, file, ...(extra ? [extra(i)] : [])] }),
    ...(afterRun ? { afterRun } : {}),
  });
  cases.push(floor('floor-csv-parse', 'csv-parse', files.csv, spec.rows));
  cases.push(floor('floor-xlsx-parse', 'xlsx-parse', files.xlsx, spec.xlsxRows));
  cases.push(floor('floor-yearbook-parse', 'xlsx-parse', files.yearbook, yearbookCells));
  // SheetJS holds the whole 1M-row sheet: about 1.4 GiB of RSS here. A pinned heap limit keeps this
  // floor from dying on a machine whose default limit (a share of its memory) is smaller.
  const large = floor('floor-xlsx-large-parse', 'xlsx-parse', files.xlsxLarge, spec.rows);
  cases.push({ ...large, run: async (i) => ({ args: ['--max-old-space-size=4096', ...(await large.run(i)).args] }) });
  for (const n of spec.scaling) {
    const id = n === spec.rows ? 'floor-sqlite-insert' : `floor-sqlite-insert-${label(n)}`;
    cases.push(floor(id, 'sqlite-insert', files.scaling.get(n)!, n, (i) => sqliteFile(id, i), false, async (i) => removeSqlite(sqliteFile(id, i))));
  }
  cases.push(
    floor('floor-pg-copy', 'pg-copy', files.csv, spec.rows, (i) => withSchema(opts.postgres, schemaOf('floor-pg-copy', i)), true, (i) => dropSchema(schemaOf('floor-pg-copy', i))),
  );
  cases.push({ id: 'startup-version', rows: null, minRuns: 15, run: async () => ({ args: [...CLI, '--version'] }) });

  // Pulls of each file into a fresh warehouse per run
  const pulls: { id: string; file: string; rows: number; floor: string; target?: Target }[] = [
    {
      id: 'pull-csv',
      file: files.csv,
      rows: spec.rows,
      floor: 'floor-sqlite-insert',
    },
    { id: 'pull-xlsx', file: files.xlsx, rows: spec.xlsxRows, floor: 'floor-xlsx-parse', target: ratioTarget(1.3) },
    { id: 'pull-yearbook', file: files.yearbook, rows: yearbookCells, floor: 'floor-yearbook-parse' },
    {
      id: 'pull-xlsx-large',
      file: files.xlsxLarge,
      rows: spec.rows,
      floor: 'floor-xlsx-large-parse',
      target: { text: '≤ 0.5 × floor, ≤ 500 MiB', met: (r) => (r.ratio ?? Infinity) <= 0.5 && (r.peakMiB ?? Infinity) <= 500 },
    },
  ];
  for (const p of pulls) {
    const config = writeConfig(p.id, p.file);
    const sqliteId = `${p.id}-sqlite`;
    cases.push({
      id: sqliteId,
      rows: p.rows,
      floor: p.floor,
      ...(p.id === 'pull-csv'
        ? { target: { text: '≤ 1.25 × floor, ≤ 300 MiB', met: (r) => (r.ratio ?? Infinity) <= 1.25 && (r.peakMiB ?? Infinity) <= 300 } }
        : p.target
          ? { target: p.target }
          : {}),
      run: async (i) => ({ args: pullArgs(config), env: envFor(`sqlite:${sqliteFile(sqliteId, i)}`, sqliteId) }),
      verify: loaded,
      afterRun: async (i) => removeSqlite(sqliteFile(sqliteId, i)),
      cleanup: async () => rmSync(outputDir(sqliteId), { recursive: true, force: true }),
    });
    const pgId = `${p.id}-pg`;
    cases.push({
      id: pgId,
      rows: p.rows,
      floor: p.id === 'pull-csv' ? 'floor-pg-copy' : p.floor,
      ...(p.id === 'pull-csv' ? { target: ratioTarget(1.5) } : p.target ? { target: p.target } : {}),
      needsPostgres: true,
      run: async (i) => ({ args: pullArgs(config), env: envFor(withSchema(opts.postgres, schemaOf(pgId, i)), pgId) }),
      verify: loaded,
      afterRun: (i) => dropSchema(schemaOf(pgId, i)),
      cleanup: async () => rmSync(outputDir(pgId), { recursive: true, force: true }),
    });
  }

  // Re-pulls of the CSV into a populated warehouse: unchanged (must short-circuit) and 1% revised.
  // The revised case alternates the original and the revised file, so every run revises 1% of the
  // values without having to restore the warehouse between runs.
  for (const dialect of ['sqlite', 'pg'] as const) {
    const unchangedId = `repull-unchanged-${dialect}`;
    const unchangedConfig = writeConfig(unchangedId, files.csv);
    const unchangedUrl = dialect === 'sqlite' ? `sqlite:${sqliteFile(unchangedId, 'wh')}` : withSchema(opts.postgres, schemaOf(unchangedId, 'wh'));
    const cleanupWarehouse = async (url: string, id: string) => {
      if (dialect === 'sqlite') removeSqlite(sqliteFile(id, 'wh'));
      else await dropSchema(schemaOf(id, 'wh'));
      void url;
      rmSync(outputDir(id), { recursive: true, force: true });
    };
    cases.push({
      id: unchangedId,
      rows: spec.rows,
      floor: 'startup-version',
      interleaveFloor: true,
      minRuns: 15,
      target: ratioTarget(1.5),
      needsPostgres: dialect === 'pg',
      prepare: async () => untimed(pullArgs(unchangedConfig), envFor(unchangedUrl, unchangedId), opts, loaded),
      run: async () => ({ args: pullArgs(unchangedConfig), env: envFor(unchangedUrl, unchangedId) }),
      verify: (r) => (/= unchanged/.test(r.stderr + r.stdout) ? null : `did not short-circuit: ${lastLine(r)}`),
      cleanup: () => cleanupWarehouse(unchangedUrl, unchangedId),
    });

    const revisedId = `repull-revised-${dialect}`;
    const current = path.join(tmp, `${revisedId}.csv`);
    const revisedConfig = writeConfig(revisedId, current);
    const revisedUrl = dialect === 'sqlite' ? `sqlite:${sqliteFile(revisedId, 'wh')}` : withSchema(opts.postgres, schemaOf(revisedId, 'wh'));
    const expectedRevised = Math.ceil(spec.rows / 100);
    cases.push({
      id: revisedId,
      rows: spec.rows,
      floor: dialect === 'sqlite' ? 'floor-sqlite-insert' : 'floor-pg-copy',
      needsPostgres: dialect === 'pg',
      prepare: async () => {
        copyFileSync(files.csv, current);
        await untimed(pullArgs(revisedConfig), envFor(revisedUrl, revisedId), opts, loaded);
      },
      run: async (i) => {
        copyFileSync(i % 2 === 0 ? files.csvRevised : files.csv, current);
        return { args: pullArgs(revisedConfig), env: envFor(revisedUrl, revisedId) };
      },
      verify: (r) => {
        const m = /(\d+) revised\)/.exec(r.stderr + r.stdout);
        return m && Number(m[1]) === expectedRevised ? null : `expected ${expectedRevised} revised values: ${lastLine(r)}`;
      },
      cleanup: async () => {
        rmSync(current, { force: true });
        await cleanupWarehouse(revisedUrl, revisedId);
      },
    });
  }

  // The default brief from a warehouse holding the bundled sources.
  const reportId = 'report-default';
  const reportUrl = `sqlite:${sqliteFile(reportId, 'wh')}`;
  cases.push({
    id: reportId,
    rows: null,
    target: { text: '≤ 3 s', met: (r) => r.seconds !== null && r.seconds <= 3 },
    prepare: async () => untimed([...CLI, 'pull'], envFor(reportUrl, reportId), opts, loaded),
    run: async () => ({ args: [...CLI, 'report'], env: envFor(reportUrl, reportId) }),
    cleanup: async () => {
      removeSqlite(sqliteFile(reportId, 'wh'));
      rmSync(outputDir(reportId), { recursive: true, force: true });
    },
  });

  // Scaling: the CSV's prefixes into SQLite; the full size is pull-csv-sqlite itself.
  const smallest = Math.min(...spec.scaling);
  for (const n of spec.scaling) {
    if (n === spec.rows) continue;
    const id = `scale-${label(n)}-sqlite`;
    const config = writeConfig(id, files.scaling.get(n)!);
    cases.push({
      id,
      rows: n,
      floor: `floor-sqlite-insert-${label(n)}`,
      run: async (i) => ({ args: pullArgs(config), env: envFor(`sqlite:${sqliteFile(id, i)}`, id) }),
      verify: loaded,
      afterRun: async (i) => removeSqlite(sqliteFile(id, i)),
      cleanup: async () => rmSync(outputDir(id), { recursive: true, force: true }),
    });
  }
  scalingTarget.smallest = `scale-${label(smallest)}-sqlite`;
  return cases;
}

/** The cases `--only` matches, with the floors they are measured against (in the cases' order). */
function selectCases(all: Case[], only: RegExp | null): Case[] {
  if (!only) return all;
  const chosen = new Set(all.filter((c) => only.test(c.id)).map((c) => c.id));
  for (const c of all) if (chosen.has(c.id) && c.floor) chosen.add(c.floor);
  return all.filter((c) => chosen.has(c.id));
}

/** Scaling is judged on the full-size row: its rows/s against the smallest size's. */
const scalingTarget: { smallest: string } = { smallest: '' };
const LINEAR = 0.8;

function ratioTarget(max: number): Target {
  return { text: `≤ ${max} × floor`, met: (r) => r.ratio !== null && r.ratio <= max };
}

function label(n: number): string {
  return n >= 1e6 && n % 1e6 === 0 ? `${n / 1e6}M` : n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : String(n);
}

function lastLine(r: RunResult): string {
  const lines = `${r.stderr}\n${r.stdout}`.split('\n').map((l) => l.trim()).filter(Boolean);
  // The unit's own failure line says why; the summary after it only counts.
  const failure = lines.find((l) => l.includes('✗') || l.startsWith('tradebrief:'));
  if (failure) return failure.slice(0, 300);
  return (lines[lines.length - 1] ?? `exit code ${r.code}`).slice(0, 300);
}

/** A setup step run as a child process, untimed; throws when it fails. */
async function untimed(args: string[], env: NodeJS.ProcessEnv, opts: Options, verify: (r: RunResult) => string | null): Promise<void> {
  const r = await runNode({ args, env, cwd: ROOT, timeoutMs: opts.timeoutMs });
  if (r.timedOut) throw new Error(`setup timed out after ${opts.timeoutMs / 1000} s`);
  if (!r.ok) throw new Error(`setup failed: ${lastLine(r)}`);
  const bad = verify(r);
  if (bad) throw new Error(`setup: ${bad}`);
}

// --- running ------------------------------------------------------------------------------------

/** A warm-up slower than this leaves one measured run instead of `runs`, so the full bench ends. */
const SLOW_WARMUP_S = 90;

async function runCase(c: Case, opts: Options, pgOk: boolean, floorCase?: Case): Promise<CaseResult> {
  const result: CaseResult = { id: c.id, status: 'ok', runs: 0, seconds: null, peakMiB: null, rows: c.rows, rowsPerSec: null, floor: c.floor ?? null, ratio: null, target: c.target?.text ?? null, met: null, note: '' };
  if (c.needsPostgres && !pgOk) return { ...result, status: 'skipped', note: `no PostgreSQL at ${opts.postgres}` };
  const times: number[] = [];
  const floorTimes: number[] = [];
  const rss: number[] = [];
  try {
    if (c.prepare) await c.prepare();
    const warmups = opts.quick ? 0 : 1;
    let runs = opts.quick ? opts.runs : Math.max(opts.runs, c.minRuns ?? 0);
    for (let i = 0; i < warmups + runs; i++) {
      if (c.interleaveFloor && floorCase) {
        const f = await runNode({ args: (await floorCase.run(i)).args, cwd: ROOT, timeoutMs: opts.timeoutMs });
        if (!f.ok) return { ...result, status: 'failed', note: `interleaved ${floorCase.id}: ${lastLine(f)}` };
        if (i >= warmups) floorTimes.push(f.seconds);
      }
      const spec = await c.run(i);
      const prof = opts.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${path.join(opts.cpuProf, c.id)}`] : [];
      const r = await runNode({ args: [...prof, ...spec.args], env: spec.env, cwd: ROOT, timeoutMs: opts.timeoutMs });
      try {
        const what = i < warmups ? 'warm-up' : `run ${i - warmups + 1}/${runs}`;
        if (r.timedOut) return { ...result, status: 'timed out', note: `${what} exceeded ${opts.timeoutMs / 1000} s` };
        if (!r.ok) return { ...result, status: 'failed', note: `${what}: ${lastLine(r)}` };
        const bad = c.verify?.(r) ?? null;
        if (bad) return { ...result, status: 'failed', note: `${what}: ${bad}` };
        log(`bench ${c.id}: ${what} ${r.seconds.toFixed(2)} s${r.rssMiB !== null ? `, ${r.rssMiB.toFixed(0)} MiB` : ''}`);
        if (i < warmups) {
          if (r.seconds > SLOW_WARMUP_S && runs > 1) {
            runs = 1;
            result.note = `1 run: the warm-up took ${r.seconds.toFixed(0)} s`;
          }
          continue;
        }
        times.push(r.seconds);
        if (r.rssMiB !== null) rss.push(r.rssMiB);
      } finally {
        await c.afterRun?.(i);
      }
    }
  } catch (e) {
    return { ...result, status: 'failed', note: e instanceof Error ? e.message : String(e) };
  } finally {
    try {
      await c.cleanup?.();
    } catch (e) {
      log(`bench ${c.id}: cleanup failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  result.runs = times.length;
  result.seconds = median(times);
  if (floorTimes.length > 0) {
    result.pairedFloorSeconds = median(floorTimes);
    result.note = [result.note, `ratio to ${floorTimes.length} runs of ${c.floor} interleaved with these (median ${result.pairedFloorSeconds.toFixed(3)} s)`].filter(Boolean).join('; ');
  }
  result.peakMiB = rss.length > 0 ? Math.max(...rss) : null;
  result.rowsPerSec = c.rows !== null ? c.rows / result.seconds : null;
  return result;
}

function judge(results: CaseResult[], cases: Case[], fullSize: number, smallest: number, final: boolean): void {
  const byId = new Map(results.map((r) => [r.id, r]));
  for (const r of results) {
    const f = r.floor ? byId.get(r.floor) : undefined;
    const floorSeconds = r.pairedFloorSeconds ?? f?.seconds;
    if (r.seconds !== null && floorSeconds) r.ratio = r.seconds / floorSeconds;
  }
  // The full-size scaling row repeats pull-csv-sqlite, judged for linearity.
  const full = byId.get('pull-csv-sqlite');
  if (full && final) {
    const row: CaseResult = {
      ...full,
      id: `scale-${label(fullSize)}-sqlite`,
      target: `rows/s ≥ ${LINEAR} × at ${label(smallest)}`,
      met: null,
      note: full.status === 'ok' ? 'same runs as pull-csv-sqlite' : full.note,
    };
    const at = results.findIndex((r) => r.id.startsWith('scale-'));
    results.splice(at >= 0 ? at + results.filter((r) => r.id.startsWith('scale-')).length : results.length, 0, row);
    byId.set(row.id, row);
  }
  for (const r of results) {
    if (r.status !== 'ok') continue;
    const c = cases.find((x) => x.id === r.id);
    if (c?.target) r.met = c.target.met(r, byId);
    if (r.id === `scale-${label(fullSize)}-sqlite`) {
      const small = byId.get(scalingTarget.smallest);
      r.met = small?.rowsPerSec && r.rowsPerSec ? r.rowsPerSec >= LINEAR * small.rowsPerSec : null;
    }
  }
}

function machine(pg: string | null): Machine {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    postgres: pg,
    rss: rssMethod(),
  };
}

async function main(argv: string[]): Promise<number> {
  const opts = parseArgs(argv);
  const spec: DataSpec = opts.quick
    ? { seed: opts.seed, rows: 20_000, xlsxRows: 5_000, yearbookRows: 200, scaling: [5_000, 10_000, 20_000], quantity: opts.quantity }
    : { seed: opts.seed, rows: 1_000_000, xlsxRows: 100_000, yearbookRows: 5_000, scaling: [100_000, 300_000, 1_000_000], quantity: opts.quantity };
  const started = new Date();
  const files = await ensureData(opts.data, spec, log);
  const tmp = path.join(opts.out, 'tmp', String(process.pid));
  mkdirSync(tmp, { recursive: true });
  const pg = await postgresVersion(opts.postgres);
  if (!pg) log(`bench: no PostgreSQL at ${opts.postgres}; its cases are skipped`);
  const cases = selectCases(buildCases(opts, files, spec, tmp), opts.only);
  const name = `${started.toISOString().slice(0, 10)}${opts.quick ? '-quick' : ''}${opts.only ? '-partial' : ''}`;
  const results: CaseResult[] = [];
  // Written after every case, so a bench stopped half-way still leaves the table as far as it got.
  const write = (final: boolean): string => {
    const judged = results.map((r) => ({ ...r }));
    judge(judged, cases, spec.rows, Math.min(...spec.scaling), final);
    const report: Report = {
      date: started.toISOString(),
      quick: opts.quick,
      complete: final,
      runs: opts.runs,
      warmups: opts.quick ? 0 : 1,
      seed: spec.seed,
      data: { csvRows: spec.rows, xlsxRows: spec.xlsxRows, yearbookRows: spec.yearbookRows, quantityColumn: spec.quantity },
      machine: machine(pg),
      results: judged,
    };
    const table = formatTable(report);
    mkdirSync(opts.out, { recursive: true });
    writeAtomic(path.join(opts.out, `${name}.md`), table);
    writeAtomic(path.join(opts.out, `${name}.json`), `${JSON.stringify(report, null, 2)}\n`);
    return table;
  };
  try {
    for (const c of cases) {
      const r = await runCase(c, opts, pg !== null, cases.find((x) => x.id === c.floor));
      if (r.status !== 'ok') log(`bench ${c.id}: ${r.status}: ${r.note}`);
      results.push(r);
      write(false);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  process.stdout.write(write(true));
  log(`bench: wrote ${path.join(opts.out, `${name}.md`)} and .json`);
  return 0;
}

function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  },
);
