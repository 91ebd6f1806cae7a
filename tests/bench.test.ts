// Smoke test of `npm run bench -- --quick`: the harness runs end to end from the sources and writes
// its report. No timing is asserted (issue 6: nothing in `npm test` asserts a duration).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import { afterAll, describe, expect, it } from 'vitest';
import XLSX from 'xlsx';
import { ensureData } from '../src/bench/data.js';

const root = path.resolve(import.meta.dirname, '..');
const out = mkdtempSync(path.join(os.tmpdir(), 'tradebrief-bench-'));


afterAll(() => rmSync(out, { recursive: true, force: true }));

// Two minutes on this machine: too slow for every `npm test`, so .ci/run runs it as its own step
// with TRADEBRIEF_BENCH_SMOKE=1 (see .ci/run).
describe.skipIf(process.env.TRADEBRIEF_BENCH_SMOKE !== '1')('bench --quick', () => {
  it('writes the report table and JSON', async () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/bench/bench.ts', '--quick', '--out', out], {
      cwd: root,
      encoding: 'utf8',
      timeout: 240_000,
    });
    expect(run.status, run.stderr).toBe(0);
    const md = readdirSync(out).find((f) => /^\d{4}-\d{2}-\d{2}-quick\.md$/.test(f));
    expect(md).toBeDefined();
    const table = readFileSync(path.join(out, md!), 'utf8');
    expect(table).toContain('| case | median s | rows/s | peak MiB | ratio to floor | target | met? | notes |');
    for (const id of ['floor-csv-parse', 'floor-sqlite-insert', 'floor-xlsx-large-parse', 'startup-version', 'pull-csv-sqlite', 'pull-xlsx-large-sqlite', 'repull-unchanged-sqlite', 'report-default', 'scale-20k-sqlite']) {
      expect(table).toMatch(new RegExp(`^\\| ${id} \\|`, 'm'));
    }
    expect(run.stdout).toContain('| case | median s |');
    const json = JSON.parse(readFileSync(path.join(out, md!.replace(/\.md$/, '.json')), 'utf8')) as { quick: boolean; results: { id: string; status: string }[] };
    expect(json.quick).toBe(true);
    // The floors need nothing of tradebrief, so they always measure.
    expect(json.results.find((r) => r.id === 'floor-csv-parse')?.status).toBe('ok');
    // The unchanged re-pull's ratio is to --version runs interleaved with its own.
    const repull = (json.results as unknown as { id: string; ratio: number; seconds: number; pairedFloorSeconds?: number; note: string }[]).find((r) => r.id === 'repull-unchanged-sqlite')!;
    expect(repull.note).toMatch(/ratio to 1 runs of startup-version interleaved with these/);
    expect(repull.ratio).toBeCloseTo(repull.seconds / repull.pairedFloorSeconds!, 6);
    // The per-run temp folder is cleaned up.
    expect(existsSync(path.join(out, 'tmp', String(run.pid)))).toBe(false);
  }, 300_000);
});

// A few seconds: one case of one run, so it runs with every `npm test`.
describe('bench --cpu-prof', () => {
  it('writes a CPU profile of every run under DIR/<case>/', () => {
    const profOut = path.join(out, 'prof-run');
    const prof = path.join(out, 'prof');
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/bench/bench.ts', '--quick', '--only', '^startup-version$', '--out', profOut, '--cpu-prof', prof], {
      cwd: root,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(run.status, run.stderr).toBe(0);
    const profiles = readdirSync(path.join(prof, 'startup-version')).filter((f) => f.endsWith('.cpuprofile'));
    expect(profiles.length).toBeGreaterThan(0);
    const profile = JSON.parse(readFileSync(path.join(prof, 'startup-version', profiles[0]!), 'utf8')) as { nodes: unknown[] };
    expect(profile.nodes.length).toBeGreaterThan(0);
  }, 150_000);
});

// Under a second: the generated workbooks read back as the CSV they were made from.
describe('bench data', () => {
  it('writes the large xlsx (streamed, shared strings) with the CSV\'s rows and the small xlsx\'s cell types', async () => {
    const spec = { seed: 7, rows: 300, xlsxRows: 100, yearbookRows: 10, scaling: [300], quantity: true };
    const files = await ensureData(path.join(out, 'data'), spec, () => undefined);
    const csv = Papa.parse<string[]>(readFileSync(files.csv, 'utf8'), { skipEmptyLines: true }).data;
    const read = (file: string) => {
      const wb = XLSX.read(readFileSync(file), { type: 'buffer', dense: true });
      expect(wb.SheetNames).toEqual(['trade']);
      return XLSX.utils.sheet_to_json<(string | number)[]>(wb.Sheets.trade!, { header: 1, raw: true });
    };
    const large = read(files.xlsxLarge);
    const small = read(files.xlsx);
    expect(large).toHaveLength(spec.rows + 1);
    expect(large.slice(0, spec.xlsxRows + 1)).toEqual(small);
    // Year, value and quantity are numbers; the rest is text, HS codes with their leading zeros.
    expect(large).toEqual(csv.map((row, i) => row.map((c, j) => (i > 0 && (j === 0 || j >= 5) ? Number(c) : c))));
    expect(large.some((row) => /^HS 0\d{5}$/.test(String(row[3])))).toBe(true);
  });
});
