import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { extract, type ExtractEffects, type ExtractOptions, type ExtractSource } from '../../src/pipelines/extract.js';
import { startServer, type Handler, type TestServer } from '../helpers/http-server.js';

const NOW = new Date('2024-03-01T06:00:00.000Z');
/** Not a real workbook: extract never looks inside, it only archives bytes. */
const XLSX = Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.from('fake workbook '.repeat(200))]);
const XLSX_SHA = createHash('sha256').update(XLSX).digest('hex');
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

let work: string;
let outputDir: string;
let servers: TestServer[];
let logs: string[];
let waits: number[];

beforeEach(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'tradebrief-extract-'));
  outputDir = path.join(work, 'output');
  servers = [];
  logs = [];
  waits = [];
});

afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await rm(work, { recursive: true, force: true });
});

async function serve(handler: Handler): Promise<TestServer> {
  const server = await startServer(handler);
  servers.push(server);
  return server;
}

/** Pinned clock, captured log, and a sleep that records the wait and returns at once. */
function effects(extra: ExtractEffects = {}): ExtractEffects {
  return {
    now: () => NOW,
    log: (line) => logs.push(line),
    sleep: async (ms) => {
      waits.push(ms);
    },
    ...extra,
  };
}

function source(url: string, over: Partial<ExtractSource> = {}): ExtractSource {
  return { id: 'hlj-trade', url, timeout_s: 5, max_bytes: 1_000_000, retries: 2, ...over };
}

function options(over: Partial<ExtractOptions> = {}): ExtractOptions {
  return { baseDir: work, outputDir, previous: null, ...over };
}

/** Every file under output/, relative and sorted: "nothing changed" is an equal listing. */
async function listOutput(): Promise<string[]> {
  try {
    const entries = await readdir(outputDir, { recursive: true, withFileTypes: true });
    return entries
      .filter((e) => e.isFile())
      .map((e) => path.relative(outputDir, path.join(e.parentPath, e.name)))
      .sort();
  } catch {
    return [];
  }
}

/** The rejection's message, after checking it is a one-line UserError with exit code 1. */
async function failure(promise: Promise<unknown>): Promise<string> {
  const err: unknown = await promise.then(
    () => {
      throw new Error('expected extract to fail');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UserError);
  const message = (err as UserError).message;
  expect((err as UserError).exitCode).toBe(1);
  expect(message).not.toMatch(/[\r\n]/);
  expect(message.startsWith('hlj-trade: ')).toBe(true);
  return message;
}

function sendXlsx(res: ServerResponse, headers: Record<string, string> = {}): void {
  res.writeHead(200, { 'Content-Type': XLSX_TYPE, 'Content-Length': String(XLSX.length), ...headers });
  res.end(XLSX);
}

describe('extract over http', () => {
  it('archives a 200 under raw/<id>/<sha256>.xlsx with its metadata', async () => {
    const server = await serve((_req, res) => sendXlsx(res, { ETag: '"v1"', 'Last-Modified': 'Tue, 27 Feb 2024 08:00:00 GMT' }));
    const result = await extract(source(`${server.url}/files/trade.xlsx`), options(), effects());

    expect(result.status).toBe('fetched');
    if (result.status !== 'fetched') return;
    expect(result.unchanged).toBe(false);
    expect(result.file).toEqual({
      path: path.join(outputDir, 'raw', 'hlj-trade', `${XLSX_SHA}.xlsx`),
      sha256: XLSX_SHA,
      bytes: XLSX.length,
      mediaType: XLSX_TYPE,
      etag: '"v1"',
      lastModified: 'Tue, 27 Feb 2024 08:00:00 GMT',
      fetchedAt: NOW.toISOString(),
      url: `${server.url}/files/trade.xlsx`,
    });
    expect(await readFile(result.file.path)).toEqual(XLSX);
    expect(await listOutput()).toEqual([path.join('raw', 'hlj-trade', `${XLSX_SHA}.xlsx`)]);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.headers['user-agent']).toMatch(/^tradebrief\/\d+\.\d+\.\d+ \(\+https:\/\/github\.com\/tradebrief\)$/);
    expect(server.requests[0]!.headers['if-none-match']).toBeUndefined();
    expect(logs).toHaveLength(1);
    expect(logs[0]).toContain('extract hlj-trade → 2.8 kB sha256');
  });

  it('names the archive from Content-Type when the URL path has no extension', async () => {
    const server = await serve((_req, res) => sendXlsx(res));
    const result = await extract(source(`${server.url}/download?id=42`), options(), effects());
    expect(result.status === 'fetched' && path.basename(result.file.path)).toBe(`${XLSX_SHA}.xlsx`);
  });

  it('follows redirects', async () => {
    const server = await serve((req, res) => {
      if (req.url === '/old.xlsx') {
        res.writeHead(302, { Location: '/new.xlsx' });
        res.end();
      } else sendXlsx(res);
    });
    const result = await extract(source(`${server.url}/old.xlsx`), options(), effects());
    expect(result.status === 'fetched' && result.file.sha256).toBe(XLSX_SHA);
    expect(server.requests.map((r) => r.url)).toEqual(['/old.xlsx', '/new.xlsx']);
  });

  it('says unchanged and keeps one archive file when the same bytes come again', async () => {
    const server = await serve((_req, res) => sendXlsx(res));
    const url = `${server.url}/trade.xlsx`;
    await extract(source(url), options(), effects());
    const again = await extract(
      source(url),
      options({ previous: { sha256: XLSX_SHA, etag: null, last_modified: null } }),
      effects(),
    );
    expect(again.status === 'fetched' && again.unchanged).toBe(true);
    expect(await listOutput()).toEqual([path.join('raw', 'hlj-trade', `${XLSX_SHA}.xlsx`)]);
  });

  it('answers not-modified to a 304 on a repeat with ETag', async () => {
    const server = await serve((req, res) => {
      if (req.headers['if-none-match'] === '"v1"') {
        res.writeHead(304, { ETag: '"v1"' });
        res.end();
      } else sendXlsx(res, { ETag: '"v1"' });
    });
    const url = `${server.url}/trade.xlsx`;
    const first = await extract(source(url), options(), effects());
    if (first.status !== 'fetched') throw new Error('first fetch should download');
    const previous = { sha256: first.file.sha256, etag: first.file.etag, last_modified: first.file.lastModified };

    expect(await extract(source(url), options({ previous }), effects())).toEqual({ status: 'not-modified' });
    expect(server.requests[1]!.headers['if-none-match']).toBe('"v1"');
    expect(server.requests[1]!.headers['if-modified-since']).toBeUndefined();

    // --force downloads anyway, without the conditional headers.
    const forced = await extract(source(url), options({ previous, force: true }), effects());
    expect(forced.status === 'fetched' && forced.unchanged).toBe(true);
    expect(server.requests[2]!.headers['if-none-match']).toBeUndefined();
  });

  it('answers not-modified to a 304 on a repeat with Last-Modified', async () => {
    const stamp = 'Tue, 27 Feb 2024 08:00:00 GMT';
    const server = await serve((req, res) => {
      if (req.headers['if-modified-since'] === stamp) {
        res.writeHead(304);
        res.end();
      } else sendXlsx(res, { 'Last-Modified': stamp });
    });
    const url = `${server.url}/trade.xlsx`;
    const first = await extract(source(url), options(), effects());
    if (first.status !== 'fetched') throw new Error('first fetch should download');
    expect(first.file.etag).toBeNull();
    const previous = { sha256: first.file.sha256, etag: null, last_modified: first.file.lastModified };
    expect(await extract(source(url), options({ previous }), effects())).toEqual({ status: 'not-modified' });
    expect(server.requests[1]!.headers['if-modified-since']).toBe(stamp);
  });

  it('retries a 503 and succeeds', async () => {
    const server = await serve((_req, res, i) => {
      if (i === 0) {
        res.writeHead(503);
        res.end('busy');
      } else sendXlsx(res);
    });
    const result = await extract(source(`${server.url}/trade.xlsx`), options(), effects());
    expect(result.status === 'fetched' && result.file.sha256).toBe(XLSX_SHA);
    expect(server.requests).toHaveLength(2);
    expect(waits).toHaveLength(1);
    expect(logs[0]).toMatch(/^extract hlj-trade: HTTP 503 Service Unavailable \(GET .*\); retrying in \d+\.\d s \(attempt 2 of 3\)$/);
  });

  it('waits as long as Retry-After says on a 429', async () => {
    const server = await serve((_req, res, i) => {
      if (i === 0) {
        res.writeHead(429, { 'Retry-After': '1' });
        res.end();
      } else sendXlsx(res);
    });
    const result = await extract(source(`${server.url}/trade.xlsx`), options(), effects());
    expect(result.status).toBe('fetched');
    expect(server.requests).toHaveLength(2);
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThanOrEqual(1000);
  });

  it('caps an absurd Retry-After', async () => {
    const server = await serve((_req, res, i) => {
      if (i === 0) {
        res.writeHead(503, { 'Retry-After': '86400' });
        res.end();
      } else sendXlsx(res);
    });
    await extract(source(`${server.url}/trade.xlsx`), options(), effects());
    expect(waits).toEqual([60_000]);
  });

  it('gives up after `retries` retries with the last status', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(500);
      res.end();
    });
    const message = await failure(extract(source(`${server.url}/trade.xlsx`, { retries: 2 }), options(), effects()));
    expect(message).toBe(
      `hlj-trade: HTTP 500 Internal Server Error after 3 attempts (GET ${server.url}/trade.xlsx); the server failed; try again later`,
    );
    expect(server.requests).toHaveLength(3);
    expect(waits).toHaveLength(2);
    expect(await listOutput()).toEqual([]);
  });

  it('does not retry a 404 and names the URL', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(404);
      res.end('<html>not here</html>');
    });
    const message = await failure(extract(source(`${server.url}/missing.xlsx`), options(), effects()));
    expect(message).toBe(`hlj-trade: HTTP 404 Not Found (GET ${server.url}/missing.xlsx); check sources[].url`);
    expect(message).not.toContain('not here');
    expect(server.requests).toHaveLength(1);
    expect(waits).toEqual([]);
    expect(await listOutput()).toEqual([]);
  });

  it('retries a refused connection, then fails clearly', async () => {
    const server = await startServer(() => {});
    const url = `${server.url}/trade.xlsx`;
    await server.close();
    const message = await failure(extract(source(url, { retries: 1 }), options(), effects()));
    expect(message).toBe(
      `hlj-trade: connection refused (ECONNREFUSED) after 2 attempts (GET ${url}); check the network or try again later`,
    );
    expect(waits).toHaveLength(1);
  });

  it('retries a body cut short, then fails and leaves raw/ as it was', async () => {
    const server = await serve((req, res, i) => {
      if (i === 0) return sendXlsx(res);
      res.writeHead(200, { 'Content-Type': XLSX_TYPE, 'Content-Length': '100000' });
      res.write(Buffer.alloc(5000, 7), () => req.socket.destroy());
    });
    const url = `${server.url}/trade.xlsx`;
    await extract(source(url), options(), effects());
    const before = await listOutput();
    expect(before).toHaveLength(1);

    const message = await failure(extract(source(url, { retries: 2 }), options(), effects()));
    expect(message).toMatch(/^hlj-trade: connection closed after \d+ of 100000 bytes, before the whole body arrived \(ECONNRESET\) after 3 attempts \(GET /);
    expect(message).toContain(url);
    expect(server.requests).toHaveLength(4);
    expect(await listOutput()).toEqual(before);
  });

  it('removes the folders it created when the first download of a source fails', async () => {
    const server = await serve((req, res) => {
      res.writeHead(200, { 'Content-Type': XLSX_TYPE, 'Content-Length': '100000' });
      res.write(Buffer.alloc(5000, 7), () => req.socket.destroy());
    });
    await failure(extract(source(`${server.url}/trade.xlsx`, { retries: 0 }), options(), effects()));
    expect(await readdir(outputDir).catch(() => [])).toEqual([]);
  });

  it('fails at the deadline when the server drips bytes', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': XLSX_TYPE, 'Content-Length': '1000' });
      const timer = setInterval(() => res.write('x'), 300);
      res.on('close', () => clearInterval(timer));
    });
    const started = Date.now();
    const message = await failure(extract(source(`${server.url}/trade.xlsx`, { timeout_s: 1, retries: 0 }), options(), effects()));
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(2000);
    expect(message).toBe(
      `hlj-trade: download did not finish within 1 s (GET ${server.url}/trade.xlsx); raise sources[].timeout_s if the server is slow, or try again later`,
    );
    expect(await listOutput()).toEqual([]);
  });

  it('gives every attempt its own deadline and retries a deadline miss', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': XLSX_TYPE, 'Content-Length': '1000' });
      const timer = setInterval(() => res.write('x'), 100);
      res.on('close', () => clearInterval(timer));
    });
    const started = Date.now();
    const message = await failure(extract(source(`${server.url}/trade.xlsx`, { timeout_s: 0.4, retries: 1 }), options(), effects()));
    expect(Date.now() - started).toBeGreaterThanOrEqual(700);
    expect(message).toContain('download did not finish within 0.4 s after 2 attempts');
    expect(server.requests).toHaveLength(2);
    expect(await listOutput()).toEqual([]);
  });

  it('stops at once when cancelled from outside, without retrying', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': XLSX_TYPE, 'Content-Length': '1000' });
      const timer = setInterval(() => res.write('x'), 50);
      res.on('close', () => clearInterval(timer));
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const started = Date.now();
    const message = await failure(
      extract(source(`${server.url}/trade.xlsx`, { timeout_s: 10 }), options(), effects({ signal: controller.signal })),
    );
    expect(Date.now() - started).toBeLessThan(1000);
    expect(message).toBe(`hlj-trade: download cancelled (GET ${server.url}/trade.xlsx)`);
    expect(server.requests).toHaveLength(1);
    expect(await listOutput()).toEqual([]);
  });

  it('rejects an oversize Content-Length before reading the body', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': XLSX_TYPE, 'Content-Length': '5000' });
      res.end(Buffer.alloc(5000));
    });
    const message = await failure(extract(source(`${server.url}/big.xlsx`, { max_bytes: 1000 }), options(), effects()));
    expect(message).toBe(
      `hlj-trade: answered with 5000 bytes, over max_bytes 1000 (GET ${server.url}/big.xlsx); raise sources[].max_bytes if the file is genuinely this large`,
    );
    expect(server.requests).toHaveLength(1);
    expect(await listOutput()).toEqual([]);
  });

  it('stops an oversize chunked body at the cap', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': XLSX_TYPE });
      for (let i = 0; i < 10; i++) res.write(Buffer.alloc(500, i));
      res.end();
    });
    const message = await failure(extract(source(`${server.url}/big.xlsx`, { max_bytes: 1000 }), options(), effects()));
    expect(message).toContain('download exceeds max_bytes 1000');
    expect(server.requests).toHaveLength(1);
    expect(await listOutput()).toEqual([]);
  });

  it('counts decompressed bytes, so a gzip bomb stops at the cap', async () => {
    const bomb = gzipSync(Buffer.alloc(50_000_000));
    expect(bomb.length).toBeLessThan(100_000);
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': XLSX_TYPE, 'Content-Encoding': 'gzip', 'Content-Length': String(bomb.length) });
      res.end(bomb);
    });
    const message = await failure(extract(source(`${server.url}/bomb.xlsx`, { max_bytes: 1_000_000 }), options(), effects()));
    expect(message).toContain('download exceeds max_bytes 1000000');
    expect(await listOutput()).toEqual([]);
  });

  it('decompresses a gzip body and archives the inflated bytes', async () => {
    const server = await serve((_req, res) => {
      const gz = gzipSync(XLSX);
      res.writeHead(200, { 'Content-Type': XLSX_TYPE, 'Content-Encoding': 'gzip', 'Content-Length': String(gz.length) });
      res.end(gz);
    });
    const result = await extract(source(`${server.url}/trade.xlsx`), options(), effects());
    expect(result.status === 'fetched' && [result.file.sha256, result.file.bytes]).toEqual([XLSX_SHA, XLSX.length]);
  });

  it('refuses an HTML page served for an .xlsx URL', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end('<!DOCTYPE html><html><body>Please log in</body></html>');
    });
    const message = await failure(extract(source(`${server.url}/trade.xlsx`), options(), effects()));
    expect(message).toBe(
      `hlj-trade: ${server.url}/trade.xlsx answered with an HTML page, not a spreadsheet (status 200); check the URL`,
    );
    expect(server.requests).toHaveLength(1);
    expect(await listOutput()).toEqual([]);
  });

  it('recognises HTML by its first bytes when the server calls it octet-stream', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      res.end('\ufeff  <html><head><title>Error</title></head></html>');
    });
    const message = await failure(extract(source(`${server.url}/trade.csv`), options(), effects()));
    expect(message).toContain('answered with an HTML page, not a spreadsheet (status 200)');
    expect(await listOutput()).toEqual([]);
  });

  it('lets an HTML table saved as .xls through', async () => {
    const html = '<html><body><table><tr><td>2023</td><td>1.5</td></tr></table></body></html>';
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end(html);
    });
    const result = await extract(source(`${server.url}/table.xls`), options(), effects());
    expect(result.status === 'fetched' && path.extname(result.file.path)).toBe('.xls');
    expect(result.status === 'fetched' && result.file.mediaType).toBe('text/html');
  });

  describe('secrets', () => {
    const TOKEN = 'SECRET123';
    const BEARER = 'SECRET456';
    const ENV_SECRET = 'SECRET789';

    function expectClean(text: string): void {
      for (const secret of [TOKEN, BEARER, ENV_SECRET]) expect(text).not.toContain(secret);
    }

    async function tryWith(handler: Handler, retries = 1): Promise<{ message: string; server: TestServer }> {
      const server = await serve(handler);
      const url = `${server.url}/k/${ENV_SECRET}/trade.xlsx?token=${TOKEN}&year=2023`;
      const message = await failure(
        extract(
          source(url, { retries, headers: { Authorization: `Bearer ${BEARER}` } }),
          options({ secrets: [ENV_SECRET] }),
          effects(),
        ),
      );
      return { message, server };
    }

    it('keeps them out of a retried 5xx message and the log', async () => {
      const { message, server } = await tryWith((_req, res) => {
        res.writeHead(500, { 'X-Echo': `Bearer ${BEARER}` });
        res.end(`Bearer ${BEARER}`);
      });
      // The request did carry them.
      expect(server.requests[0]!.headers.authorization).toBe(`Bearer ${BEARER}`);
      expect(server.requests[0]!.url).toContain(`token=${TOKEN}`);
      expect(message).toContain('token=***');
      expect(message).toContain('year=2023');
      expectClean(message);
      expect(logs.length).toBeGreaterThan(0);
      for (const line of logs) expectClean(line);
    });

    it('keeps them out of a 404, a cut body, an HTML page and a refused connection', async () => {
      const handlers: Handler[] = [
        (_req, res) => {
          res.writeHead(404);
          res.end();
        },
        (req, res) => {
          res.writeHead(200, { 'Content-Length': '1000' });
          res.write('partial', () => req.socket.destroy());
        },
        (_req, res) => {
          res.writeHead(200, { 'Content-Type': 'text/html' });
          res.end(`<html>${BEARER}</html>`);
        },
      ];
      for (const handler of handlers) expectClean((await tryWith(handler)).message);

      const closed = await startServer(() => {});
      await closed.close();
      const message = await failure(
        extract(
          source(`${closed.url}/trade.xlsx?api_key=${TOKEN}`, { retries: 0, headers: { 'X-Api-Key': BEARER } }),
          options(),
          effects(),
        ),
      );
      expectClean(message);
      for (const line of logs) expectClean(line);
    });

    it('keeps them out of the archived URL', async () => {
      const server = await serve((_req, res) => sendXlsx(res));
      const result = await extract(
        source(`${server.url}/trade.xlsx?token=${TOKEN}`, { headers: { Authorization: `Bearer ${BEARER}` } }),
        options(),
        effects(),
      );
      expect(result.status === 'fetched' && result.file.url).toBe(`${server.url}/trade.xlsx?token=***`);
      for (const line of logs) expectClean(line);
    });
  });
});

describe('extract from files', () => {
  beforeEach(async () => {
    await mkdir(path.join(work, 'data', 'sources'), { recursive: true });
    await writeFile(path.join(work, 'data', 'sources', 'trade.xlsx'), XLSX);
  });

  const expected = (): string => path.join(outputDir, 'raw', 'hlj-trade', `${XLSX_SHA}.xlsx`);

  it('reads a path relative to baseDir', async () => {
    const result = await extract(source('data/sources/trade.xlsx'), options(), effects());
    expect(result).toEqual({
      status: 'fetched',
      unchanged: false,
      file: {
        path: expected(),
        sha256: XLSX_SHA,
        bytes: XLSX.length,
        mediaType: null,
        etag: null,
        lastModified: null,
        fetchedAt: NOW.toISOString(),
        url: 'data/sources/trade.xlsx',
      },
    });
    expect(await readFile(expected())).toEqual(XLSX);
  });

  it('reads an absolute path and a file: URL', async () => {
    const absolute = path.join(work, 'data', 'sources', 'trade.xlsx');
    const a = await extract(source(absolute), options(), effects());
    const b = await extract(
      source(pathToFileURL(absolute).href),
      options({ previous: { sha256: XLSX_SHA, etag: null, last_modified: null } }),
      effects(),
    );
    expect(a.status === 'fetched' && a.file.path).toBe(expected());
    expect(b.status === 'fetched' && [b.file.path, b.unchanged]).toEqual([expected(), true]);
    expect(await listOutput()).toEqual([path.join('raw', 'hlj-trade', `${XLSX_SHA}.xlsx`)]);
  });

  it('says which file is missing', async () => {
    const message = await failure(extract(source('data/sources/nope.xlsx'), options(), effects()));
    expect(message).toBe(
      `hlj-trade: file not found: ${path.join(work, 'data', 'sources', 'nope.xlsx')}; check sources[].url`,
    );
    expect(await listOutput()).toEqual([]);
  });

  it('refuses a file over max_bytes', async () => {
    const message = await failure(extract(source('data/sources/trade.xlsx', { max_bytes: 100 }), options(), effects()));
    expect(message).toContain('over max_bytes 100');
    expect(await listOutput()).toEqual([]);
  });

  it('refuses an unsupported scheme, naming the source and URL', async () => {
    const message = await failure(extract(source('ftp://stats.example.org/trade.xlsx'), options(), effects()));
    expect(message).toBe(
      'hlj-trade: unsupported URL scheme "ftp:" (ftp://stats.example.org/trade.xlsx); use a path, file:, http: or https: URL in sources[].url',
    );
  });
});

describe('extract from files: unchanged content is hashed in place', () => {
  const previous = { sha256: XLSX_SHA, etag: null, last_modified: null };
  const dir = (): string => path.join(outputDir, 'raw', 'hlj-trade');
  const archived = (): string => path.join(dir(), `${XLSX_SHA}.xlsx`);
  /** A temp file a killed run left an hour ago: archiving sweeps it, the unchanged check does not write to raw/ at all. */
  const leftover = (): string => path.join(dir(), '.tmp-0123456789abcdef');

  beforeEach(async () => {
    await mkdir(path.join(work, 'data', 'sources'), { recursive: true });
    await writeFile(path.join(work, 'data', 'sources', 'trade.xlsx'), XLSX);
    await extract(source('data/sources/trade.xlsx'), options(), effects());
    await writeFile(leftover(), 'half a file');
    const hourAgo = new Date(Date.now() - 3_600_000);
    await utimes(leftover(), hourAgo, hourAgo);
    logs = [];
  });

  it('says unchanged without copying the file into the archive again', async () => {
    const result = await extract(source('data/sources/trade.xlsx'), options({ previous }), effects());
    expect(result).toEqual({
      status: 'fetched',
      unchanged: true,
      file: { path: archived(), sha256: XLSX_SHA, bytes: XLSX.length, mediaType: null, etag: null, lastModified: null, fetchedAt: NOW.toISOString(), url: 'data/sources/trade.xlsx' },
    });
    expect(await listOutput()).toEqual([path.join('raw', 'hlj-trade', '.tmp-0123456789abcdef'), path.join('raw', 'hlj-trade', `${XLSX_SHA}.xlsx`)]);
    expect(logs).toEqual([expect.stringMatching(/^extract hlj-trade → 2\.8 kB sha256 [0-9a-f]{12} \(unchanged\) in \d+ms \(data\/sources\/trade\.xlsx\)$/)]);
  });

  it('archives changed content under its new hash', async () => {
    const changed = Buffer.concat([XLSX, Buffer.from('revised')]);
    const sha = createHash('sha256').update(changed).digest('hex');
    await writeFile(path.join(work, 'data', 'sources', 'trade.xlsx'), changed);
    const result = await extract(source('data/sources/trade.xlsx'), options({ previous }), effects());
    expect(result.status === 'fetched' && [result.unchanged, result.file.sha256, result.file.path]).toEqual([false, sha, path.join(dir(), `${sha}.xlsx`)]);
    expect(await readFile(path.join(dir(), `${sha}.xlsx`))).toEqual(changed);
    expect(await listOutput()).toEqual([path.join('raw', 'hlj-trade', `${XLSX_SHA}.xlsx`), path.join('raw', 'hlj-trade', `${sha}.xlsx`)].sort());
  });

  it('archives unchanged content again when its archived copy is gone', async () => {
    await rm(archived());
    const result = await extract(source('data/sources/trade.xlsx'), options({ previous }), effects());
    expect(result.status === 'fetched' && [result.unchanged, result.file.path]).toEqual([true, archived()]);
    expect(await readFile(archived())).toEqual(XLSX);
  });

  it('copies as before with --force', async () => {
    const result = await extract(source('data/sources/trade.xlsx'), options({ previous, force: true }), effects());
    expect(result.status === 'fetched' && [result.unchanged, result.file.path]).toEqual([true, archived()]);
    expect(await listOutput()).toEqual([path.join('raw', 'hlj-trade', `${XLSX_SHA}.xlsx`)]);
  });

  describe('a file whose stat is as it was when it was read is not read again', () => {
    const file = (): string => path.join(work, 'data', 'sources', 'trade.xlsx');
    const hourAgo = new Date(Date.now() - 3_600_000);
    /** The same size, other bytes, and the modification time put back: only reading the file can tell. */
    const rewriteInPlace = async () => {
      const other = Buffer.from(XLSX);
      other.writeUInt8(other.readUInt8(other.length - 1) ^ 0xff, other.length - 1);
      await writeFile(file(), other);
      await utimes(file(), hourAgo, hourAgo);
    };

    it('takes the recorded sha256 when size, mtime and inode are unchanged; --force reads it', async () => {
      await utimes(file(), hourAgo, hourAgo);
      const first = await extract(source('data/sources/trade.xlsx'), options({ previous }), effects());
      expect(first.status === 'fetched' && first.unchanged).toBe(true);
      expect(JSON.parse(await readFile(path.join(dir(), '.stat.json'), 'utf8'))).toMatchObject({ path: file(), size: String(XLSX.length), sha256: XLSX_SHA });
      await rewriteInPlace();
      const again = await extract(source('data/sources/trade.xlsx'), options({ previous }), effects());
      expect(again.status === 'fetched' && again.unchanged).toBe(true);
      const forced = await extract(source('data/sources/trade.xlsx'), options({ previous, force: true }), effects());
      expect(forced.status === 'fetched' && [forced.unchanged, forced.file.sha256 === XLSX_SHA]).toEqual([false, false]);
    });

    it('reads the file when its modification time changed', async () => {
      await utimes(file(), hourAgo, hourAgo);
      await extract(source('data/sources/trade.xlsx'), options({ previous }), effects());
      await rewriteInPlace();
      const later = new Date(hourAgo.getTime() + 1000);
      await utimes(file(), later, later);
      const result = await extract(source('data/sources/trade.xlsx'), options({ previous }), effects());
      expect(result.status === 'fetched' && result.unchanged).toBe(false);
    });

    it('records nothing for a file modified within 2 s of being read (it could change again unseen)', async () => {
      // beforeEach wrote the file just now.
      await extract(source('data/sources/trade.xlsx'), options({ previous }), effects());
      expect(await listOutput()).not.toContain(path.join('raw', 'hlj-trade', '.stat.json'));
      const now = (await stat(file())).mtime;
      const other = Buffer.from(XLSX);
      other.writeUInt8(other.readUInt8(other.length - 1) ^ 0xff, other.length - 1);
      await writeFile(file(), other);
      await utimes(file(), now, now);
      const result = await extract(source('data/sources/trade.xlsx'), options({ previous }), effects());
      expect(result.status === 'fetched' && result.unchanged).toBe(false);
    });
  });

  it('keeps the size cap and cancellation', async () => {
    const big = await failure(extract(source('data/sources/trade.xlsx', { max_bytes: 100 }), options({ previous }), effects()));
    expect(big).toContain('over max_bytes 100');
    const controller = new AbortController();
    controller.abort();
    const cancelled = await failure(extract(source('data/sources/trade.xlsx'), options({ previous }), effects({ signal: controller.signal })));
    expect(cancelled).toBe('hlj-trade: read cancelled (data/sources/trade.xlsx)');
  });
});
