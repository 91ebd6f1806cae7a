// `tradebrief schedule` as a container runs it: a child process, stopped with SIGTERM while a pull
// is in progress. It stops taking work, lets the pull finish, exits 0, and leaves no run `running`.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWarehouse } from '../../src/warehouse/dialect.js';
import { startServer, type TestServer } from '../helpers/http-server.js';
import { ROOT, tinyProject } from '../distribute/project.js';
import { gate, until } from './helpers.js';

const LOADER = path.join(ROOT, 'node_modules/tsx/dist/loader.mjs');

describe('tradebrief schedule and SIGTERM', () => {
  let server: TestServer;
  const held = gate();
  beforeAll(async () => {
    const xlsx = readFileSync(path.join(ROOT, 'data/sources/hlj-trade-by-partner.xlsx'));
    server = await startServer(async (_req, res) => {
      await held.promise;
      res.writeHead(200, { 'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
      res.end(xlsx);
    });
  });
  afterAll(async () => {
    held.open();
    await server?.close();
  });

  it('lets the pull in progress finish, exits 0 and leaves nothing running', async () => {
    // Monthly schedule, never pulled: the start-up catch-up starts the pull the test then interrupts.
    const p = tinyProject({
      source: `{ id: remote, dataset: trade, url: "${server.url}/trade.xlsx", sheet: "11-4", fixed: { reporter: CN-HL }, retries: 0, timeout_s: 60, schedule: "0 6 2 * *" }`,
    });
    // node with tsx's loader, not the tsx CLI: the signal must reach the scheduler's own process.
    const child = spawn(process.execPath, ['--import', LOADER, path.join(ROOT, 'src/cli.ts'), 'schedule', '--grace', '20'], {
      cwd: p.dir,
      env: { ...process.env, ...p.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

    await until(() => server.requests.length > 0, 'the catch-up pull to start', 20_000);
    expect(stderr).toContain('schedule source:remote ▶ catch-up');
    child.kill('SIGTERM');
    await until(() => stderr.includes('SIGTERM received'), 'the scheduler to see SIGTERM');
    held.open();
    expect(await exited).toBe(0);

    const lines = stderr.trim().split('\n');
    const at = (re: RegExp) => lines.findIndex((l) => re.test(l));
    expect(at(/SIGTERM received; stopping/)).toBeGreaterThan(-1);
    expect(at(/stopping; waiting up to 20s for source:remote/)).toBeGreaterThan(at(/SIGTERM received/));
    expect(at(/pull remote → loaded 28 facts/)).toBeGreaterThan(at(/SIGTERM received/));
    expect(at(/schedule: stopped; every job finished/)).toBeGreaterThan(at(/pull remote → loaded/));
    // Stopping: the brief is not started after the pull.
    expect(stderr).not.toContain('brief:hlj-japan ▶');

    const wh = await openWarehouse(p.env.WAREHOUSE_URL!);
    try {
      const runs = await wh.db.selectFrom('ingest_run').select(['status', 'trigger']).execute();
      expect(runs).toEqual([{ status: 'loaded', trigger: 'schedule' }]);
      expect(await wh.db.selectFrom('brief_run').select('status').where('status', '=', 'running').execute()).toEqual([]);
    } finally {
      await wh.close();
    }
  });
});
