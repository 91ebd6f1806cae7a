// Smoke test of `npm run bench -- --quick`: the harness runs end to end from the sources and writes
// its report. No timing is asserted (issue 6: nothing in `npm test` asserts a duration).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

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
    for (const id of ['floor-csv-parse', 'floor-sqlite-insert', 'startup-version', 'pull-csv-sqlite', 'repull-unchanged-sqlite', 'report-default', 'scale-20k-sqlite']) {
      expect(table).toMatch(new RegExp(`^\\| ${id} \\|`, 'm'));
    }
    expect(run.stdout).toContain('| case | median s |');
    const json = JSON.parse(readFileSync(path.join(out, md!.replace(/\.md$/, '.json')), 'utf8')) as { quick: boolean; results: { id: string; status: string }[] };
    expect(json.quick).toBe(true);
    // The floors need nothing of tradebrief, so they always measure.
    expect(json.results.find((r) => r.id === 'floor-csv-parse')?.status).toBe('ok');
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
