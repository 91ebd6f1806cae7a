// The CLI as an operator meets it: real processes, exit codes (0 ok · 1 a unit failed · 2 usage or
// config error), one-line errors, and the human and JSON output of status and inspect.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');
const TSX = path.join(ROOT, 'node_modules/tsx/dist/cli.mjs');

function cli(args: string[], env: Record<string, string> = {}, cwd = ROOT) {
  const r = spawnSync(process.execPath, [TSX, path.join(ROOT, 'src/cli.ts'), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...env, NO_COLOR: '1' },
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tempProject(config: string): { dir: string; output: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'tb-cli-'));
  mkdirSync(path.join(dir, 'config'));
  mkdirSync(path.join(dir, 'data'));
  copyFileSync(path.join(ROOT, 'data/sources/hlj-trade-by-partner.xlsx'), path.join(dir, 'data/trade.xlsx'));
  writeFileSync(path.join(dir, 'config/tradebrief.yaml'), config);
  return { dir, output: path.join(dir, 'output') };
}

describe('tradebrief CLI', () => {
  it('--version prints the version and exits 0', () => {
    const r = cli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('an unknown command is a usage error: exit 2', () => {
    const r = cli(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown command 'frobnicate'");
  });

  it('a bad config is one line naming the file and key, exit 2', () => {
    const p = tempProject('sources:\n  - { id: x, dataset: trade, url: data/trade.xlsx, priority: high }\n');
    const r = cli(['--config', path.join(p.dir, 'config/tradebrief.yaml'), 'check']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^tradebrief: tradebrief\.yaml: sources\[0\]\.priority: /);
  });

  it('check reports a missing local source file, exit 2', () => {
    const p = tempProject('sources:\n  - { id: x, dataset: trade, url: data/missing.xlsx, fixed: { reporter: CN-HL } }\n');
    const r = cli(['--config', path.join(p.dir, 'config/tradebrief.yaml'), 'check']);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('tradebrief.yaml: sources[0].url: file not found');
  });

  it('pull loads, status shows it (table and --json); a failing source makes the exit code 1', () => {
    const p = tempProject(
      [
        'sources:',
        '  - { id: hlj-trade, dataset: trade, url: data/trade.xlsx, sheet: "11-4", fixed: { reporter: CN-HL } }',
        '  - { id: broken, dataset: trade, url: "http://127.0.0.1:9/nothing.xlsx", retries: 0, timeout_s: 2, fixed: { reporter: CN-HL } }',
        '',
      ].join('\n'),
    );
    const env = { OUTPUT_DIR: p.output, TRADEBRIEF_CONFIG: path.join(p.dir, 'config/tradebrief.yaml') };
    const pulled = cli(['pull'], env, p.dir);
    expect(pulled.code).toBe(1);
    expect(pulled.stderr).toMatch(/pull hlj-trade → loaded \d+ facts \(0 rejected, 0 revised\)/);
    expect(pulled.stderr).toMatch(/pull broken ✗ failed .*127\.0\.0\.1:9/);
    const again = cli(['pull', 'hlj-trade'], env, p.dir);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/pull hlj-trade = unchanged/);

    const status = cli(['status'], env, p.dir);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/hlj-trade\s+unchanged\s+\d+/);
    expect(status.stdout).toMatch(/broken\s+failed/);
    const json = JSON.parse(cli(['--json', 'status'], env, p.dir).stdout) as { sources: { id: string; status: string; facts: number; last_loaded_at: string | null }[] };
    const trade = json.sources.find((s) => s.id === 'hlj-trade')!;
    expect(trade.status).toBe('unchanged');
    expect(trade.facts).toBe(28);
    expect(trade.last_loaded_at).not.toBeNull();
    expect(json.sources.find((s) => s.id === 'broken')!.status).toBe('failed');
  });

  it('pull of an unknown source id is a usage error: exit 2', () => {
    const p = tempProject('sources:\n  - { id: hlj-trade, dataset: trade, url: data/trade.xlsx, fixed: { reporter: CN-HL } }\n');
    const r = cli(['pull', 'nope'], { OUTPUT_DIR: p.output, TRADEBRIEF_CONFIG: path.join(p.dir, 'config/tradebrief.yaml') }, p.dir);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('tradebrief: unknown source "nope"; `tradebrief check` lists the configured sources');
  });

  it('report regenerates a brief from the warehouse as it is and status shows the render', () => {
    const p = tempProject(
      [
        'sources:',
        '  - { id: hlj-trade, dataset: trade, url: data/trade.xlsx, sheet: "11-4", fixed: { reporter: CN-HL } }',
        'briefs:',
        '  - { id: hlj-japan, subject: CN-HL, partner: JPN, languages: [en], formats: [json] }',
        '',
      ].join('\n'),
    );
    const env = { OUTPUT_DIR: p.output, TRADEBRIEF_CONFIG: path.join(p.dir, 'config/tradebrief.yaml') };
    expect(cli(['pull'], env, p.dir).code).toBe(0);
    const r = cli(['report'], env, p.dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/report hlj-japan → brief\.json \d+ kB/);
    const json = JSON.parse(cli(['--json', 'status'], env, p.dir).stdout) as { briefs: { id: string; status: string; trigger: string; files: string[] }[] };
    expect(json.briefs).toMatchObject([{ id: 'hlj-japan', status: 'rendered', trigger: 'manual', files: ['brief.json'] }]);
    expect(cli(['report', 'nope'], env, p.dir).code).toBe(2);
  });

  it('inspect prints the tables, units, periods and label codes it found', () => {
    const r = cli(['inspect', 'data/sources/hlj-trade-by-partner.xlsx', '--sheet', '11-4']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("table 11-4!A5:");
    expect(r.stdout).toContain('header rows: 2, orientation: wide');
    expect(r.stdout).toMatch(/unit: 万美元 \(from unit-row\) = 10000 USD/);
    expect(r.stdout).toContain('2013年 → 2013 (year)');
    expect(r.stdout).toContain('俄罗斯 Russia → RUS');
    expect(r.stdout).toContain('日本 Japan → JPN');
    expect(r.stdout).toMatch(/28 would load as trade facts, 0 would be rejected/);
  });

  it('inspect of a missing file is exit 2 with the path', () => {
    const r = cli(['inspect', 'nope.xlsx']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('tradebrief: nope.xlsx: file not found');
  });
});
