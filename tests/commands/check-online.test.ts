// `tradebrief check --online` as an operator runs it: a real CLI process asking real servers on
// 127.0.0.1 (started here) whether each enabled source answers, and how fresh the publisher and the
// warehouse are. Nothing is archived or loaded by a check.
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/http-server.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/tsx/dist/cli.mjs');

function cli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [TSX, path.join(ROOT, 'src/cli.ts'), ...args], { cwd: ROOT, env: { ...process.env, ...env, NO_COLOR: '1' }, timeout: 120_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('check --online', () => {
  let server: TestServer;
  let dir: string;

  beforeAll(async () => {
    server = await startServer((req, res) => {
      if (req.url?.startsWith('/v2/country/CHN;JPN/indicator/PA.NUS.FCRF')) {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(readFileSync(path.join(ROOT, 'tests/fixtures/api/worldbank/fx.json')));
      } else if (req.url?.startsWith('/table.xlsx')) {
        res.writeHead(200, { 'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'Last-Modified': 'Tue, 03 Nov 2026 08:00:00 GMT', ETag: '"v7"' });
        res.end(Buffer.alloc(2048, 1));
      } else {
        res.writeHead(404, { 'Content-Type': 'text/plain' });
        res.end('not here');
      }
    });
    dir = mkdtempSync(path.join(tmpdir(), 'tb-check-'));
    mkdirSync(path.join(dir, 'config'));
    mkdirSync(path.join(dir, 'data'));
    copyFileSync(path.join(ROOT, 'data/sources/fx-rates.xlsx'), path.join(dir, 'data/fx.xlsx'));
    writeFileSync(
      path.join(dir, 'config/tradebrief.yaml'),
      [
        'sources:',
        '  - { id: local-fx, dataset: fx, url: data/fx.xlsx, sheet: Data }',
        `  - { id: yearbook, dataset: trade, url: "${server.url}/table.xlsx?token=s3cr3t", fixed: { reporter: CN-HL } }`,
        `  - { id: wdi, dataset: fx, url: "${server.url}/v2", api: { type: worldbank, countries: [CHN, JPN], indicators: [PA.NUS.FCRF] } }`,
        `  - { id: gone, dataset: trade, url: "${server.url}/gone.xlsx", fixed: { reporter: CN-HL } }`,
        `  - { id: off, dataset: trade, url: "${server.url}/off.xlsx", enabled: false }`,
      ].join('\n'),
    );
  });
  afterAll(async () => {
    await server?.close();
  });

  it('says which sources answer and how fresh each is; exit 1 when one does not; loads nothing', async () => {
    const output = path.join(dir, 'output');
    const r = await cli(['--config', path.join(dir, 'config/tradebrief.yaml'), 'check', '--online'], { OUTPUT_DIR: output });
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines.find((l) => l.includes('✓ local-fx'))).toMatch(/✓ local-fx \(file\): local file, \d+ kB, last modified \d{4}-\d\d-\d\d .*warehouse: never loaded/);
    expect(lines.find((l) => l.includes('✓ yearbook'))).toMatch(/✓ yearbook \(http\): answers, 2 kB, with an ETag, last modified 2026-11-03/);
    expect(lines.find((l) => l.includes('✗ gone'))).toMatch(/✗ gone \(http\): gone: HTTP 404/);
    expect(lines.find((l) => l.includes('✓ wdi'))).toMatch(/✓ wdi \(worldbank\): answers, 6 values on the first page, latest period 2024 \(\d+ ms\); warehouse: never loaded/);
    expect(r.stdout).not.toContain('s3cr3t');
    expect(r.stdout).not.toMatch(/\boff\b \(/);
    expect(lines.at(-1)).toBe('online: 1 of 4 enabled sources do not answer');
    // One GET per enabled http source, no retries, and nothing archived or loaded.
    expect(server.requests.map((q) => q.url.split('?')[0])).toEqual(['/table.xlsx', '/v2/country/CHN;JPN/indicator/PA.NUS.FCRF', '/gone.xlsx']);
    expect(server.requests[0]!.headers['user-agent']).toMatch(/^tradebrief\//);
    expect(existsSync(path.join(output, 'raw'))).toBe(false);
    expect(existsSync(path.join(output, 'warehouse.sqlite'))).toBe(false);
    expect(readdirSync(path.join(output, 'tmp'))).toEqual([]);
  });

  it('reports the warehouse\'s last load and latest period once a source is loaded; --json gives the same', async () => {
    const output = path.join(dir, 'output-2');
    const cfg = path.join(dir, 'config/tradebrief.yaml');
    const pulled = await cli(['--config', cfg, 'pull', 'local-fx'], { OUTPUT_DIR: output });
    expect(pulled.code).toBe(0);
    const r = await cli(['--config', cfg, '--json', 'check', '--online'], { OUTPUT_DIR: output });
    const probes = JSON.parse(r.stdout.split('\n').find((l) => l.startsWith('['))!) as { id: string; ok: boolean; latest_period: string | null; last_loaded_at: string | null }[];
    const fx = probes.find((p) => p.id === 'local-fx')!;
    expect(fx.ok).toBe(true);
    expect(fx.latest_period).toMatch(/^20\d\d$/);
    expect(fx.last_loaded_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(probes.find((p) => p.id === 'gone')!.ok).toBe(false);
  });
});
