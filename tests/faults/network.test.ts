// Network faults through a whole pull (extract → … → load), against a real server on 127.0.0.1:
// each must end in one clear line naming the source and its URL, an ingest_run marked failed, and
// the warehouse's facts and the raw archive exactly as they were. extract's own unit tests
// (tests/pipelines/extract.test.ts) cover the mechanics; these check what a pull leaves behind.
import { utimesSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { pull, type UnitResult } from '../../src/pipelines/run.js';
import type { Warehouse } from '../../src/warehouse/dialect.js';
import { startServer, type TestServer } from '../helpers/http-server.js';
import { freshWarehouse } from '../helpers/warehouse.js';
import { frozen, listFiles, longTradeCsv, project, snapshot, type Project } from './helpers.js';
import { record } from './meta.js';

type Handler = (req: IncomingMessage, res: ServerResponse, index: number) => unknown;

const V1 = longTradeCsv(40, 1);
let server: TestServer;
let handler: Handler = (_req, res) => res.end(V1);
let wh: Warehouse;
let p: Project;

/** Rewrites the one source's settings; the URL path is fixed so the archive name is stable. */
function configure(over: Record<string, unknown> = {}, url = `${server.url}/trade.csv?token=s3cr3t-token-value`): void {
  const source = { id: 'net', dataset: 'trade', url, fixed: { reporter: 'CN-HL' }, timeout_s: 3, retries: 0, ...over };
  writeFileSync(p.config, `sources:\n  - ${JSON.stringify(source)}\n`);
}

beforeAll(async () => {
  server = await startServer((req, res, i) => {
    handler(req, res, i);
  });
  p = project('');
  configure();
  wh = await freshWarehouse('sqlite');
  const [r] = await pull({ loaded: p.loaded(), wh, outputDir: p.outputDir }, {}, { now: frozen });
  expect(r).toMatchObject({ status: 'loaded', rowsLoaded: 40 });
});
afterAll(async () => {
  await server.close();
  await wh.close();
});

/**
 * Serves `fault`, pulls, and checks the failure: one line with the id and redacted URL, the run
 * recorded as failed with that line, and nothing in the warehouse or raw/ changed.
 */
async function failsCleanly(ctx: TestContext, fault: Handler, over: Record<string, unknown> = {}, url?: string): Promise<{ result: UnitResult; requests: number; ms: number }> {
  record(ctx);
  configure(over, url);
  handler = fault;
  const before = await snapshot(wh);
  const raw = listFiles(path.join(p.outputDir, 'raw'));
  const seen = server.requests.length;
  const t0 = performance.now();
  const [result] = await pull({ loaded: p.loaded(), wh, outputDir: p.outputDir }, { force: true }, { now: frozen });
  const ms = performance.now() - t0;
  expect(result!.status).toBe('failed');
  const message = result!.message;
  expect(message.split('\n')).toHaveLength(1);
  expect(message).toMatch(/^net: /);
  if (url === undefined) expect(message).toContain(`${server.url}/trade.csv?token=***`);
  expect(message).not.toContain('s3cr3t-token-value');
  const run = await wh.db.selectFrom('ingest_run').selectAll().where('id', '=', result!.runId!).executeTakeFirstOrThrow();
  expect(run).toMatchObject({ status: 'failed', message, rows_loaded: 0 });
  expect(await snapshot(wh)).toEqual(before);
  expect(listFiles(path.join(p.outputDir, 'raw'))).toEqual(raw);
  return { result: result!, requests: server.requests.length - seen, ms };
}

describe('network faults through pull', () => {
  it('connection refused', async (ctx) => {
    const dead = await startServer(() => undefined);
    await dead.close();
    const { result } = await failsCleanly(ctx, handler, { retries: 1 }, `${dead.url}/trade.csv`);
    expect(result.message).toMatch(/connection refused \(ECONNREFUSED\) after 2 attempts \(GET http:\/\/127\.0\.0\.1:\d+\/trade\.csv\)/);
  });

  it('connection reset mid-body', async (ctx) => {
    const { result } = await failsCleanly(ctx, (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/csv', 'Content-Length': String(V1.length) });
      res.write(V1.slice(0, 200));
      setTimeout(() => res.socket?.resetAndDestroy(), 20);
    });
    expect(result.message).toMatch(/connection (closed after 200 of \d+ bytes|reset)/);
  });

  it('body shorter than its Content-Length', async (ctx) => {
    const { result } = await failsCleanly(ctx, (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/csv', 'Content-Length': String(V1.length + 500) });
      res.write(V1);
      setTimeout(() => res.socket?.end(), 20);
    });
    expect(result.message).toContain(`connection closed after ${V1.length} of ${V1.length + 500} bytes`);
  });

  it('a server dripping a byte at a time past the deadline', async (ctx) => {
    const { result, ms } = await failsCleanly(
      ctx,
      (_req, res) => {
        res.writeHead(200, { 'Content-Type': 'text/csv' });
        let i = 0;
        const t = setInterval(() => (res.destroyed ? clearInterval(t) : res.write(V1[i++ % V1.length]!)), 100);
      },
      { timeout_s: 1 },
    );
    expect(result.message).toContain('download did not finish within 1 s');
    expect(ms).toBeLessThan(3000);
  });

  it('429 with Retry-After: waits as told, then gives up after the retry budget', async (ctx) => {
    const at: number[] = [];
    const { result, requests } = await failsCleanly(
      ctx,
      (_req, res) => {
        at.push(performance.now());
        res.writeHead(429, { 'Retry-After': '1' }).end();
      },
      { retries: 1 },
    );
    expect(requests).toBe(2);
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(950);
    expect(result.message).toContain('HTTP 429 Too Many Requests after 2 attempts');
  });

  it('a 5xx storm beyond the retry budget', async (ctx) => {
    const { result, requests } = await failsCleanly(ctx, (_req, res, i) => res.writeHead(i % 2 ? 502 : 500).end('oops'), { retries: 2 });
    expect(requests).toBe(3);
    expect(result.message).toMatch(/HTTP 50[02] .* after 3 attempts/);
  });

  it('a redirect loop', async (ctx) => {
    const { result } = await failsCleanly(ctx, (req, res) => res.writeHead(302, { Location: req.url }).end());
    expect(result.message).toContain('more than 5 redirects');
  });

  it.for(['file', 'data', 'ftp'])('a redirect to %s: is refused, and nothing of it is archived', async (scheme, ctx) => {
    const secret = p.write('secret.csv', 'period,partner,flow,value,unit\n2020-01,JPN,export,1,USD\n');
    const target = { file: `file://${secret}`, data: 'data:text/csv,period%2Cpartner', ftp: 'ftp://127.0.0.1/x.csv' }[scheme]!;
    const { result, requests } = await failsCleanly(ctx, (_req, res) => res.writeHead(302, { Location: target }).end());
    expect(requests).toBe(1);
    expect(result.message).toContain(`redirected to a ${scheme}: URL, which is refused`);
  });

  it('a 2 GB Content-Length is refused before the body is read', async (ctx) => {
    const { result, ms } = await failsCleanly(ctx, (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/csv', 'Content-Length': String(2 ** 31) });
      res.write('period,partner\n');
    });
    expect(result.message).toContain('answered with 2147483648 bytes, over max_bytes');
    expect(ms).toBeLessThan(2000);
  });

  it('a gzip bomb stops at max_bytes, counted after inflating', async (ctx) => {
    const bomb = gzipSync(Buffer.alloc(16 * 1024 * 1024, 0x30), { level: 9 });
    expect(bomb.length).toBeLessThan(50_000);
    const { result } = await failsCleanly(
      ctx,
      (_req, res) => res.writeHead(200, { 'Content-Type': 'text/csv', 'Content-Encoding': 'gzip', 'Content-Length': String(bomb.length) }).end(bomb),
      { max_bytes: 5000000 },
    );
    expect(result.message).toContain('download exceeds max_bytes 5000000');
  });

  it('200 with an HTML error page, labelled as HTML or as a download', async (ctx) => {
    const page = '<!DOCTYPE html><html><body><h1>Service unavailable</h1><table><tr><td>2020</td></tr></table></body></html>';
    const a = await failsCleanly(ctx, (_req, res) => res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(page));
    expect(a.result.message).toContain('answered with an HTML page, not a spreadsheet');
    const b = await failsCleanly(ctx, (_req, res) => res.writeHead(200, { 'Content-Type': 'application/octet-stream' }).end(page));
    expect(b.result.message).toContain('answered with an HTML page, not a spreadsheet');
    // A URL without an extension: extract cannot judge, the parser must.
    const c = await failsCleanly(ctx, (_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end(page), {}, `${server.url}/download?id=7`);
    expect(c.result.message).toMatch(/^net: .*HTML page, not a spreadsheet/);
    expect(c.result.message).toContain(`${server.url}/download?id=7`);
  });

  it('temp files a killed download left behind are swept, a live-looking one is kept', async (ctx) => {
    record(ctx);
    configure();
    const dir = path.join(p.outputDir, 'raw', 'net');
    const stale = path.join(dir, '.tmp-0123456789abcdef');
    const fresh = path.join(dir, '.tmp-fedcba9876543210');
    writeFileSync(stale, 'half a file');
    writeFileSync(fresh, 'being written');
    const hourAgo = new Date(Date.now() - 3600_000);
    utimesSync(stale, hourAgo, hourAgo);
    handler = (_req, res) => res.end(longTradeCsv(40, 2));
    const [r] = await pull({ loaded: p.loaded(), wh, outputDir: p.outputDir }, {}, { now: frozen });
    expect(r!.status).toBe('loaded');
    const left = listFiles(dir);
    expect(left).not.toContain('.tmp-0123456789abcdef');
    expect(left).toContain('.tmp-fedcba9876543210');
  });
});
