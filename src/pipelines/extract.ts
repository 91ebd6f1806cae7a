// extract: one source's bytes → the raw archive (<outputDir>/raw/<sourceId>/<sha256>.<ext>).
// The only pipeline stage that talks to the network. Every download runs under a total deadline and a
// size cap, is retried only when retrying can help, and lands atomically (temp file, then rename), so a
// failed or cancelled run leaves raw/ exactly as it was. Errors are one line, with URLs redacted and
// without headers or bodies, because they end up in logs, the warehouse's ingest_run and e-mails.
import type * as Crypto from 'node:crypto';
import { createReadStream, createWriteStream, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { access, mkdir, mkdtemp, readdir, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Transform, Writable, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import type Http from 'node:http';
import type { AxiosInstance, AxiosResponse } from 'axios';
import { UserError, redactSecrets, redactUrl } from '../errors.js';
import { packageVersion } from '../version.js';

const require = createRequire(import.meta.url);
// node:crypto (≈ 4 ms to load) is required when a file is hashed or archived, which an unchanged
// local file, recognised by its stat, never is.
const crypto = () => require('node:crypto') as typeof Crypto;

/** The previous successful fetch of a source, for conditional GETs and the `unchanged` flag. */
export interface ExtractPrevious {
  sha256: string;
  etag: string | null;
  last_modified: string | null;
}

/** What extract archived. */
export interface Fetched {
  /** Absolute path of the archived content: <outputDir>/raw/<sourceId>/<sha256>.<ext> */
  path: string;
  sha256: string;
  bytes: number;
  /** Content-Type for http, null for files. */
  mediaType: string | null;
  etag: string | null;
  lastModified: string | null;
  /** ISO, from the injected clock. */
  fetchedAt: string;
  /** The source's URL, redacted (use redactUrl from src/errors.ts). */
  url: string;
}

export type ExtractResult = { status: 'fetched'; file: Fetched; unchanged: boolean } | { status: 'not-modified' };

/** Side effects, injectable so tests can pin them. */
export interface ExtractEffects {
  /** Clock for `fetchedAt` and durations; default `() => new Date()`. */
  now?: () => Date;
  /** One line per event (download done, retry scheduled); default: nothing, the caller decides what to log. */
  log?: (line: string) => void;
  /** Waits between retries; default a real timer. Tests pass a fast one that records the waits. */
  sleep?: (ms: number) => Promise<void>;
  /** Cancels the download from outside (SIGTERM); no retry follows a cancellation. */
  signal?: AbortSignal;
}

/** The parts of a configured source extract needs (a subset of SourceConfig). */
export interface ExtractSource {
  id: string;
  /** A path (relative to `baseDir`), an absolute path, a file: URL or an http(s) URL. */
  url: string;
  /** Extra request headers; their values are treated as secrets in every message. */
  headers?: Record<string, string>;
  /** Total deadline per attempt (connect + every body byte), in seconds. */
  timeout_s: number;
  /** Largest body accepted (after decompression), in bytes. */
  max_bytes: number;
  /** Retries after the first attempt, on network errors, 429 and 5xx. */
  retries: number;
}

export interface ExtractOptions {
  /** Folder relative source paths resolve against (the project root). */
  baseDir: string;
  /** The output folder; the archive lives in its raw/ sub-folder. */
  outputDir: string;
  /** The last successful fetch, or null the first time; drives conditional GET and `unchanged`. */
  previous: ExtractPrevious | null;
  /** Values (from ${ENV} interpolation) that must never appear in a message or log line. */
  secrets?: string[];
  /** Skip the conditional GET and download anyway (`pull --force`). */
  force?: boolean;
}

/** Cap on a server's Retry-After: a misconfigured server must not park a run for hours. */
const MAX_RETRY_AFTER_MS = 60_000;
/** Exponential backoff starts here and stops growing here. */
const BACKOFF_BASE_MS = 1_000;
const BACKOFF_MAX_MS = 30_000;
/** How many leading bytes are enough to recognise an HTML page. */
const SNIFF_BYTES = 512;
const MAX_REDIRECTS = 5;

export const USER_AGENT = `tradebrief/${packageVersion()} (+https://github.com/tradebrief)`;


/**
 * Runs `fn` with a fresh folder under <outputDir>/tmp that is removed afterwards, whatever
 * happens: where API pages and `check --online` downloads land before they are read (extract's
 * archive needs an output folder, and these must never reach raw/).
 */
export async function withScratch<T>(outputDir: string, prefix: string, fn: (dir: string) => Promise<T>): Promise<T> {
  const scratch = path.join(path.resolve(outputDir), 'tmp');
  await mkdir(scratch, { recursive: true });
  const dir = await mkdtemp(path.join(scratch, `${prefix}-`));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Pulls one source into the raw archive. Every failure is a one-line UserError naming the source and the redacted URL. */
export async function extract(
  source: ExtractSource,
  opts: ExtractOptions,
  effects: ExtractEffects = {},
): Promise<ExtractResult> {
  const ctx = makeContext(source, opts, effects);
  try {
    const target = locate(ctx);
    return target.kind === 'file' ? await extractFile(ctx, target.path) : await extractHttp(ctx, target.url);
  } catch (err) {
    // Anything unforeseen still leaves here as one redacted line: callers print messages verbatim.
    if (err instanceof UserError) throw new UserError(ctx.clean(err.message), { exitCode: err.exitCode });
    const what = err instanceof Error ? err.message : String(err);
    throw new UserError(ctx.clean(`${source.id}: extract failed: ${what} (${ctx.url})`));
  }
}

// ---------------------------------------------------------------------------------------------------

interface Context {
  source: ExtractSource;
  opts: ExtractOptions;
  now: () => Date;
  log: (line: string) => void;
  sleep: (ms: number) => Promise<void>;
  signal: AbortSignal | undefined;
  /** The source URL as it may be printed. */
  url: string;
  /** Redacts secrets and keeps a message on one line. */
  clean: (message: string) => string;
  /** <outputDir>/raw/<sourceId> */
  dir: string;
}

function makeContext(source: ExtractSource, opts: ExtractOptions, effects: ExtractEffects): Context {
  const secrets = [...(opts.secrets ?? [])];
  for (const value of Object.values(source.headers ?? {})) {
    secrets.push(value);
    // `Bearer abc`, `Basic abc`, `token abc`: the credential alone may show up too.
    const space = value.indexOf(' ');
    if (space > 0) secrets.push(value.slice(space + 1).trim());
  }
  // Longest first, so a secret that contains another is replaced whole.
  secrets.sort((a, b) => b.length - a.length);
  const clean = (message: string) => redactSecrets(message.replace(/\s*[\r\n]+\s*/g, ' '), secrets);
  const log = effects.log ?? (() => {});
  return {
    source,
    opts,
    now: effects.now ?? (() => new Date()),
    log: (line) => log(clean(line)),
    sleep: effects.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    signal: effects.signal,
    url: redactUrl(source.url),
    clean,
    dir: path.join(path.resolve(opts.outputDir), 'raw', source.id),
  };
}

type Target = { kind: 'file'; path: string } | { kind: 'http'; url: string };

function locate(ctx: Context): Target {
  const { id, url } = ctx.source;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  // A one-letter "scheme" is a Windows drive (C:\data\x.xlsx), i.e. a path.
  if (scheme === undefined || scheme.length === 1) return { kind: 'file', path: path.resolve(ctx.opts.baseDir, url) };
  if (scheme === 'file') {
    try {
      return { kind: 'file', path: fileURLToPath(url) };
    } catch {
      throw new UserError(`${id}: not a valid file: URL (${ctx.url}); use file:///absolute/path or a plain path in sources[].url`);
    }
  }
  if (scheme === 'http' || scheme === 'https') {
    if (!URL.canParse(url)) throw new UserError(`${id}: not a valid URL (${ctx.url}); check sources[].url`);
    return { kind: 'http', url };
  }
  throw new UserError(
    `${id}: unsupported URL scheme "${scheme}:" (${ctx.url}); use a path, file:, http: or https: URL in sources[].url`,
  );
}

// --- files -----------------------------------------------------------------------------------------

async function extractFile(ctx: Context, file: string): Promise<ExtractResult> {
  const { id, max_bytes } = ctx.source;
  const started = ctx.now().getTime();
  throwIfCancelled(ctx, 'read');
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new UserError(`${id}: not a file: ${file}; check sources[].url`);
    if (info.size > max_bytes) {
      throw new UserError(
        `${id}: file is ${info.size} bytes, over max_bytes ${max_bytes} (${file}); raise sources[].max_bytes if it is genuinely this large`,
      );
    }
  } catch (err) {
    if (err instanceof UserError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new UserError(`${id}: file not found: ${file}; check sources[].url`);
    throw new UserError(`${id}: cannot read file (${code ?? 'unknown error'}): ${file}; check its permissions`);
  }

  const ext = extFromPath(file) ?? 'bin';
  const meta = { mediaType: null, etag: null, lastModified: null };
  const readError = (err: unknown): UserError => {
    if (ctx.signal?.aborted) return new UserError(`${id}: reading cancelled (${file})`);
    if (err instanceof Failure) return new UserError(`${id}: ${err.what} (${file}); ${err.hint}`);
    const code = (err as NodeJS.ErrnoException).code;
    return new UserError(`${id}: cannot read file (${code ?? 'unknown error'}): ${file}; check its permissions`);
  };

  // Most pulls of a local file find it unchanged: hash it where it lies and compare, and copy it
  // into the archive only when it changed (or its archived copy is gone). --force copies as before.
  const previous = ctx.opts.force ? undefined : ctx.opts.previous?.sha256;
  if (previous !== undefined) {
    let hashed: { sha256: string; bytes: number };
    try {
      hashed = await hashLocal(ctx, file);
    } catch (err) {
      throw readError(err);
    }
    const kept = path.join(ctx.dir, `${hashed.sha256}.${ext}`);
    if (hashed.sha256 === previous && (await exists(kept))) return done(ctx, kept, hashed, meta, started);
  }

  let archived: Archived;
  const before = await fileStat(file);
  const readAt = Date.now();
  try {
    archived = await archive(ctx, createReadStream(file), ctx.signal, null);
  } catch (err) {
    throw readError(err);
  }
  const stored = await store(ctx, archived, ext);
  if (before) await recordStat(ctx, file, before, readAt, archived.sha256);
  return done(ctx, stored, archived, meta, started);
}

/**
 * A local file's identity as the file system keeps it, with the sha256 its content hashed to: when
 * a file's stat is what it was when it was read, its content is taken to be the same without reading
 * it again — as git's index, make and rsync do. An unchanged re-pull of a 1M-row CSV then skips
 * hashing 60 MB. Kept in <archive>/.stat.json, one file per source, and trusted only when the file
 * had been modified at least 2 s before it was read, so a write within the same timestamp tick as
 * the read cannot pass unseen (git's "racily clean" entries). A file rewritten with the same size
 * and its modification time put back is taken as unchanged: `pull --force` reads it regardless.
 */
interface StatRecord {
  path: string;
  size: string;
  mtimeNs: string;
  ino: string;
  dev: string;
  sha256: string;
}

const RACY_MS = 2_000;

async function fileStat(file: string): Promise<Omit<StatRecord, 'path' | 'sha256'> | null> {
  try {
    const st = await stat(file, { bigint: true });
    return { size: String(st.size), mtimeNs: String(st.mtimeNs), ino: String(st.ino), dev: String(st.dev) };
  } catch {
    return null;
  }
}

/** The sha256 and size of a local file: from its stat record when the file is as it was, else hashed. */
async function hashLocal(ctx: Context, file: string): Promise<{ sha256: string; bytes: number }> {
  const now = await fileStat(file);
  const size = now ? Number(now.size) : NaN;
  // Over the size cap, or cancelled: hashFile reports it as it always has.
  if (now && size <= ctx.source.max_bytes && !ctx.signal?.aborted) {
    try {
      const rec = JSON.parse(readFileSync(path.join(ctx.dir, '.stat.json'), 'utf8')) as StatRecord;
      if (rec.path === file && rec.size === now.size && rec.mtimeNs === now.mtimeNs && rec.ino === now.ino && rec.dev === now.dev && /^[0-9a-f]{64}$/.test(rec.sha256)) {
        return { sha256: rec.sha256, bytes: size };
      }
    } catch {
      // No record (or an unreadable one): hash.
    }
  }
  const readAt = Date.now();
  const hashed = await hashFile(ctx, file);
  if (now) await recordStat(ctx, file, now, readAt, hashed.sha256);
  return hashed;
}

/** Records what `file` hashed to, if its stat did not change while it was read and it is not racy. */
async function recordStat(ctx: Context, file: string, before: Omit<StatRecord, 'path' | 'sha256'>, readAt: number, sha256: string): Promise<void> {
  const after = await fileStat(file);
  if (!after || after.size !== before.size || after.mtimeNs !== before.mtimeNs || after.ino !== before.ino) return;
  if (Number(BigInt(before.mtimeNs) / 1_000_000n) > readAt - RACY_MS) return;
  const target = path.join(ctx.dir, '.stat.json');
  // A `.tmp-` name: archiving's sweep removes one a killed run left behind.
  const tmp = path.join(ctx.dir, `.tmp-stat-${crypto().randomBytes(6).toString('hex')}`);
  try {
    await mkdir(ctx.dir, { recursive: true });
    await writeFile(tmp, JSON.stringify({ path: file, ...before, sha256 } satisfies StatRecord));
    await rename(tmp, target);
  } catch {
    // Only a shortcut for the next pull: it hashes the file instead.
    await rm(tmp, { force: true });
  }
}

/** The sha256 and size of a file read in place, under the same size cap and cancellation as archiving. */
async function hashFile(ctx: Context, file: string): Promise<{ sha256: string; bytes: number }> {
  const count = new Counter(ctx.source.max_bytes, null);
  const sink = new Writable({ write: (_chunk, _enc, callback) => callback() });
  await pipeline(createReadStream(file), count, sink, ctx.signal ? { signal: ctx.signal } : {});
  return { sha256: count.digest(), bytes: count.bytes };
}

// --- http ------------------------------------------------------------------------------------------

let client: Promise<AxiosInstance> | undefined;

/**
 * A private instance, so defaults another module sets on the global axios do not leak in. Imported
 * on the first download: axios takes longer to load than a local file takes to hash.
 */
function http(): Promise<AxiosInstance> {
  client ??= import('axios').then(({ default: axios }) => axios.create());
  return client;
}

const DEADLINE = Symbol('deadline');
const CANCELLED = Symbol('cancelled');
const FAILED = Symbol('failed');

async function extractHttp(ctx: Context, url: string): Promise<ExtractResult> {
  const { id, retries } = ctx.source;
  const started = ctx.now().getTime();
  const attempts = retries + 1;
  for (let attempt = 1; ; attempt++) {
    throwIfCancelled(ctx, 'download');
    let failure: Failure;
    try {
      return await attemptHttp(ctx, url, started);
    } catch (err) {
      if (err instanceof UserError) throw err;
      failure = err instanceof Failure ? err : networkFailure(err, null);
    }
    const where = `(GET ${ctx.url})`;
    if (failure.cancelled) throw new UserError(`${id}: download cancelled ${where}`);
    if (!failure.retry || attempt >= attempts) {
      const tries = failure.retry && attempt > 1 ? ` after ${attempt} attempts` : '';
      throw new UserError(`${id}: ${failure.what}${tries} ${where}; ${failure.hint}`);
    }
    const wait = failure.retryAfterMs ?? backoff(attempt);
    ctx.log(
      `extract ${id}: ${failure.what} ${where}; retrying in ${(wait / 1000).toFixed(1)} s (attempt ${attempt + 1} of ${attempts})`,
    );
    await sleepUnlessCancelled(ctx, wait);
  }
}

/** Full jitter on half the window: spreads clients out without ever retrying immediately. */
function backoff(attempt: number): number {
  const window = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1));
  return Math.round(window / 2 + Math.random() * (window / 2));
}

async function sleepUnlessCancelled(ctx: Context, ms: number): Promise<void> {
  const signal = ctx.signal;
  if (!signal) return ctx.sleep(ms);
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<void>((resolve) => {
    onAbort = resolve;
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    await Promise.race([ctx.sleep(ms), aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort!);
  }
  throwIfCancelled(ctx, 'download');
}

function throwIfCancelled(ctx: Context, what: 'download' | 'read'): void {
  if (ctx.signal?.aborted) {
    throw new UserError(`${ctx.source.id}: ${what} cancelled (${what === 'download' ? `GET ${ctx.url}` : ctx.url})`);
  }
}

/** One GET under its own deadline. Throws Failure (retry or not) or UserError (never retried). */
async function attemptHttp(ctx: Context, url: string, started: number): Promise<ExtractResult> {
  const { source, opts } = ctx;
  const controller = new AbortController();
  // axios' `timeout` restarts on every byte, so a server dripping bytes would never time out: one
  // timer for the whole attempt aborts connect and body alike.
  // setTimeout fires at once beyond 2^31-1 ms, and the config does not cap timeout_s.
  const timer = setTimeout(() => controller.abort(DEADLINE), Math.min(source.timeout_s * 1000, 2 ** 31 - 1));
  const onCancel = () => controller.abort(CANCELLED);
  ctx.signal?.addEventListener('abort', onCancel, { once: true });
  let response: AxiosResponse<Readable> | undefined;
  let counter: Counter | undefined;
  try {
    const headers: Record<string, string> = { 'User-Agent': USER_AGENT, Accept: '*/*', ...source.headers };
    if (opts.previous && !opts.force) {
      if (opts.previous.etag) headers['If-None-Match'] = opts.previous.etag;
      if (opts.previous.last_modified) headers['If-Modified-Since'] = opts.previous.last_modified;
    }
    const conditional = 'If-None-Match' in headers || 'If-Modified-Since' in headers;

    response = await (await http()).request<Readable>({
      url,
      method: 'GET',
      headers,
      responseType: 'stream',
      maxRedirects: MAX_REDIRECTS,
      decompress: true,
      // Statuses are ours to judge; an AxiosError for a 404 would only carry the headers we must not print.
      validateStatus: () => true,
      signal: controller.signal,
    });
    const body = response.data;
    const status = response.status;
    const statusText = `${status}${response.statusText ? ` ${response.statusText}` : ''}`;

    if (status === 304) {
      body.destroy();
      if (!conditional) throw new Failure(`answered 304 Not Modified to a plain GET`, false, 'check the server or proxy');
      ctx.log(`extract ${source.id}: not modified (${ctx.url})`);
      return { status: 'not-modified' };
    }
    if (status < 200 || status > 299) {
      body.destroy();
      throw statusFailure(status, statusText, header(response, 'retry-after'), ctx.now());
    }

    const length = Number(header(response, 'content-length') ?? NaN);
    if (Number.isFinite(length) && length > source.max_bytes) {
      body.destroy();
      throw new Failure(
        `answered with ${length} bytes, over max_bytes ${source.max_bytes}`,
        false,
        'raise sources[].max_bytes if the file is genuinely this large',
      );
    }

    const mediaType = header(response, 'content-type');
    const urlExt = extFromUrl(url);
    const htmlError = new UserError(
      `${source.id}: ${ctx.url} answered with an HTML page, not a spreadsheet (status ${status}); check the URL`,
    );
    if (mediaType && /^\s*(text\/html|application\/xhtml\+xml)\b/i.test(mediaType)) {
      // An HTML table saved as .xls is a real publishing habit; parse reads those.
      if (!['htm', 'html', 'xls'].includes(urlExt ?? '')) {
        body.destroy();
        throw htmlError;
      }
    }
    // Servers that send every file as octet-stream still give a login or error page away by its first bytes.
    const sniff = ['xlsx', 'csv', 'ods'].includes(urlExt ?? '') ? (head: Buffer) => (looksLikeHtml(head) ? htmlError : null) : null;

    counter = new Counter(source.max_bytes, sniff, rawLength(response));
    const archived = await archive(ctx, body, controller.signal, counter);
    const stored = await store(ctx, archived, urlExt ?? extFromMediaType(mediaType) ?? 'bin');
    return done(
      ctx,
      stored,
      archived,
      { mediaType, etag: header(response, 'etag'), lastModified: header(response, 'last-modified') },
      started,
    );
  } catch (err) {
    // Make sure the socket goes too: a half-read body must not keep the connection (or the server) busy.
    if (!controller.signal.aborted) controller.abort(FAILED);
    response?.data.destroy();
    const reason: unknown = controller.signal.reason;
    if (reason === CANCELLED) throw new Failure('download cancelled', false, '', undefined, true);
    if (reason === DEADLINE) {
      throw new Failure(
        `download did not finish within ${source.timeout_s} s`,
        true,
        'raise sources[].timeout_s if the server is slow, or try again later',
      );
    }
    if (err instanceof Failure || err instanceof UserError) throw err;
    throw networkFailure(err, response ? { bytes: counter?.bytes ?? 0, length: rawLength(response) } : null);
  } finally {
    clearTimeout(timer);
    ctx.signal?.removeEventListener('abort', onCancel);
  }
}

function header(response: AxiosResponse, name: string): string | null {
  const value: unknown = response.headers[name];
  if (Array.isArray(value)) return value.length > 0 ? String(value[0]) : null;
  return value === undefined || value === null || value === '' ? null : String(value);
}

/** Why one attempt failed, in words fit for the user; `retry` says whether another attempt may help. */
class Failure extends Error {
  constructor(
    readonly what: string,
    readonly retry: boolean,
    readonly hint: string,
    readonly retryAfterMs?: number,
    readonly cancelled = false,
  ) {
    super(what);
  }
}

function statusFailure(status: number, statusText: string, retryAfter: string | null, now: Date): Failure {
  const what = `HTTP ${statusText}`;
  if (status === 429 || status === 503) {
    return new Failure(what, true, 'the server is busy or rate-limiting; try again later', parseRetryAfter(retryAfter, now));
  }
  if (status >= 500) return new Failure(what, true, 'the server failed; try again later');
  if (status === 401 || status === 403) return new Failure(what, false, 'check the URL and any credentials in sources[].headers');
  if (status >= 300 && status < 400) return new Failure(what, false, 'the redirect could not be followed; check the URL');
  return new Failure(what, false, 'check sources[].url');
}

/** Retry-After as seconds or an HTTP date, capped; undefined when absent or unreadable. */
function parseRetryAfter(value: string | null, now: Date): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  let ms: number;
  if (/^\d+(\.\d+)?$/.test(trimmed)) ms = Number(trimmed) * 1000;
  else {
    const at = Date.parse(trimmed);
    if (Number.isNaN(at)) return undefined;
    ms = at - now.getTime();
  }
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(0, Math.round(ms)));
}

const RETRYABLE_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

const CODE_WORDS: Record<string, string> = {
  ECONNRESET: 'connection reset',
  ECONNREFUSED: 'connection refused',
  ECONNABORTED: 'connection aborted',
  ETIMEDOUT: 'connection timed out',
  EAI_AGAIN: 'host name lookup failed temporarily',
  ENOTFOUND: 'host not found',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ERR_FR_TOO_MANY_REDIRECTS: `more than ${MAX_REDIRECTS} redirects`,
};

/**
 * Cuts a network or stream error down to its code: AxiosError objects carry the request headers
 * (credentials included), so nothing else of them may reach a message.
 */
function networkFailure(err: unknown, body: { bytes: number; length: number | null } | null): Failure {
  const e = err as { code?: unknown; message?: unknown; cause?: { code?: unknown; message?: unknown } } | null;
  const rawCode = typeof e?.code === 'string' ? e.code : typeof e?.cause?.code === 'string' ? e.cause.code : undefined;
  const message = typeof e?.message === 'string' ? e.message : String(err);
  const code = rawCode ?? (/socket hang up|aborted/i.test(message) ? 'ECONNRESET' : undefined);
  if (body && code !== undefined && RETRYABLE_CODES.has(code)) {
    // Node reports a body shorter than its Content-Length (or a cut chunked body) as ECONNRESET "aborted".
    return truncated(body.bytes, body.length, code);
  }
  if (code !== undefined && RETRYABLE_CODES.has(code)) {
    return new Failure(`${CODE_WORDS[code] ?? 'network error'} (${code})`, true, 'check the network or try again later');
  }
  if (code === 'ENOTFOUND') return new Failure(`host not found (${code})`, false, 'check the host name in sources[].url');
  if (code === 'ERR_FR_REDIRECTION_FAILURE') {
    // follow-redirects refuses a Location that is not http(s) (file:, data:, ftp:…) or not a URL.
    // Its words were "request failed (ERR_FR_REDIRECTION_FAILURE)", which did not say that a
    // redirect to file: had been refused, nor why (found by tests/faults/network.test.ts).
    const scheme = /Unsupported protocol ([a-z][a-z0-9+.-]*:)/i.exec(String(e?.cause?.message ?? ''))?.[1];
    return new Failure(
      `redirected to ${scheme ? `a ${scheme} URL` : 'an invalid URL'}, which is refused: only http: and https: redirects are followed (${code})`,
      false,
      'check sources[].url; point it at the final http(s) address',
    );
  }
  if (code?.startsWith('Z_')) {
    return new Failure(`could not decompress the response (${code})`, false, 'the server sent a corrupt compressed body');
  }
  if (code !== undefined && /CERT|SSL|TLS/.test(code)) {
    return new Failure(`TLS certificate problem (${code})`, false, "check the server's certificate");
  }
  const what = code ? `${CODE_WORDS[code] ?? 'request failed'} (${code})` : `request failed: ${message.split('\n')[0]}`;
  return new Failure(what, false, 'check sources[].url and the network');
}

function truncated(bytes: number, length: number | null, code: string): Failure {
  const of = length === null ? '' : ` of ${length}`;
  return new Failure(
    `connection closed after ${bytes}${of} bytes, before the whole body arrived (${code})`,
    true,
    'the server or network dropped the download; try again later',
  );
}

/**
 * Content-Length when it counts the bytes we see: axios hands over the socket's own stream unless it
 * inflates the body, and an inflated body has a different length.
 */
function rawLength(response: AxiosResponse<Readable>): number | null {
  const length = Number(header(response, 'content-length') ?? NaN);
  // node:http is required here, not imported: axios has loaded it by now, and a pull of local files
  // (or one that finds them unchanged) then never pays for loading it.
  const { IncomingMessage } = require('node:http') as typeof Http;
  return response.data instanceof IncomingMessage && Number.isSafeInteger(length) && length >= 0 ? length : null;
}

function looksLikeHtml(head: Buffer): boolean {
  const text = head.toString('latin1').replace(/^\xef\xbb\xbf/, '').trimStart().toLowerCase();
  return text.startsWith('<!doctype html') || text.startsWith('<html');
}

// --- archiving -------------------------------------------------------------------------------------

/** Counts, hashes and caps the bytes on their way to disk, and lets a sniffer veto the first ones. */
class Counter extends Transform {
  bytes = 0;
  private readonly hash = crypto().createHash('sha256');
  private head: Buffer | null = Buffer.alloc(0);

  constructor(
    private readonly maxBytes: number,
    private readonly sniff: ((head: Buffer) => Error | null) | null,
    /** The Content-Length to hold the body to, when it applies to these bytes. */
    private readonly expectedBytes: number | null = null,
  ) {
    super();
  }

  /** Call once, after the stream has finished. */
  digest(): string {
    return this.hash.digest('hex');
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) {
      // Counted after decompression, so a small gzip that inflates to gigabytes stops here.
      callback(
        new Failure(
          `download exceeds max_bytes ${this.maxBytes}`,
          false,
          'raise sources[].max_bytes if the file is genuinely this large',
        ),
      );
      return;
    }
    this.hash.update(chunk);
    if (this.head !== null) {
      this.head = Buffer.concat([this.head, chunk]);
      if (this.head.length >= SNIFF_BYTES) {
        const veto = this.checkHead();
        if (veto) return callback(veto);
      }
    }
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    // Node already errors on a short body; this keeps a proxy or agent that ends quietly from archiving half a file.
    if (this.expectedBytes !== null && this.bytes < this.expectedBytes) {
      return callback(truncated(this.bytes, this.expectedBytes, 'short body'));
    }
    callback(this.checkHead());
  }

  private checkHead(): Error | null {
    const head = this.head;
    this.head = null;
    return head !== null && this.sniff ? this.sniff(head.subarray(0, SNIFF_BYTES)) : null;
  }
}

interface Archived {
  tmp: string;
  sha256: string;
  bytes: number;
  /** The first folder this attempt created (raw/ or raw/<id>), to take away again on failure. */
  createdDir: string | undefined;
}

/** Streams `body` into a temp file next to its final place; on any failure the temp file is gone. */
async function archive(ctx: Context, body: Readable, signal: AbortSignal | undefined, counter: Counter | null): Promise<Archived> {
  const count = counter ?? new Counter(ctx.source.max_bytes, null);
  const createdDir = await mkdir(ctx.dir, { recursive: true });
  if (createdDir === undefined) await sweepStale(ctx);
  const tmp = path.join(ctx.dir, `.tmp-${crypto().randomBytes(8).toString('hex')}`);
  try {
    await pipeline(body, count, createWriteStream(tmp, { flags: 'wx' }), signal ? { signal } : {});
    return { tmp, sha256: count.digest(), bytes: count.bytes, createdDir };
  } catch (err) {
    body.destroy();
    await discard(ctx, tmp, createdDir);
    throw err;
  }
}

/** A temp file untouched for this long past the download deadline belongs to no live attempt. */
const STALE_TMP_SLACK_MS = 60_000;

/**
 * Removes temp files a killed process left behind (kill -9, a crashed container): they are never
 * renamed, so without this they pile up in raw/<id>/ with every crash (found by
 * tests/faults/crash.test.ts). A live attempt writes its temp file at least once per deadline
 * (timeout_s), so one whose mtime is older than that plus a minute is an orphan, even when another
 * process pulls the same source right now. Wall-clock time, not the injected clock: mtimes are real.
 */
async function sweepStale(ctx: Context): Promise<void> {
  const before = Date.now() - Math.min(ctx.source.timeout_s * 1000, 2 ** 31 - 1) - STALE_TMP_SLACK_MS;
  let names: string[];
  try {
    names = await readdir(ctx.dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith('.tmp-')) continue;
    const file = path.join(ctx.dir, name);
    try {
      if ((await stat(file)).mtimeMs < before) {
        await rm(file, { force: true });
        ctx.log(`extract ${ctx.source.id}: removed ${name}, left behind by a stopped run`);
      }
    } catch {
      // Gone already (another run swept it) or unreadable: not ours to worry about.
    }
  }
}

async function discard(ctx: Context, tmp: string, createdDir: string | undefined): Promise<void> {
  await rm(tmp, { force: true });
  if (createdDir === undefined) return;
  // Take away the folders this attempt created, deepest first, but only while they are empty.
  for (let dir = ctx.dir; dir.length >= createdDir.length; dir = path.dirname(dir)) {
    try {
      await rmdir(dir);
    } catch {
      return;
    }
  }
}

/** Renames the temp file to <sha256>.<ext>; identical content already archived is kept as it is. */
async function store(ctx: Context, archived: Archived, ext: string): Promise<string> {
  const final = path.join(ctx.dir, `${archived.sha256}.${ext}`);
  try {
    if (await exists(final)) await rm(archived.tmp, { force: true });
    else await rename(archived.tmp, final);
  } catch (err) {
    await discard(ctx, archived.tmp, archived.createdDir);
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError(`${ctx.source.id}: cannot write the archive (${code ?? 'unknown error'}): ${final}; check the output folder`);
  }
  return final;
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

function done(
  ctx: Context,
  stored: string,
  archived: Pick<Archived, 'sha256' | 'bytes'>,
  meta: { mediaType: string | null; etag: string | null; lastModified: string | null },
  started: number,
): ExtractResult {
  const now = ctx.now();
  const unchanged = ctx.opts.previous?.sha256 === archived.sha256;
  ctx.log(
    `extract ${ctx.source.id} → ${formatBytes(archived.bytes)} sha256 ${archived.sha256.slice(0, 12)}` +
      `${unchanged ? ' (unchanged)' : ''} in ${Math.max(0, now.getTime() - started)}ms (${ctx.url})`,
  );
  return {
    status: 'fetched',
    unchanged,
    file: {
      path: stored,
      sha256: archived.sha256,
      bytes: archived.bytes,
      ...meta,
      fetchedAt: now.toISOString(),
      url: ctx.url,
    },
  };
}

function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  if (n < 1e6) return `${(n / 1e3).toFixed(1)} kB`;
  return `${(n / 1e6).toFixed(1)} MB`;
}

// --- extensions ------------------------------------------------------------------------------------

function cleanExt(ext: string): string | null {
  const e = ext.replace(/^\./, '').toLowerCase();
  return /^[a-z0-9]{1,8}$/.test(e) ? e : null;
}

function extFromPath(file: string): string | null {
  return cleanExt(path.extname(file));
}

function extFromUrl(url: string): string | null {
  try {
    return cleanExt(path.posix.extname(new URL(url).pathname));
  } catch {
    return null;
  }
}

const MEDIA_EXT: Record<string, string> = {
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'application/vnd.ms-excel': 'xls',
  'application/vnd.oasis.opendocument.spreadsheet': 'ods',
  'text/csv': 'csv',
  'application/csv': 'csv',
  'text/plain': 'txt',
  'text/html': 'html',
  'application/json': 'json',
  'application/zip': 'zip',
};

function extFromMediaType(mediaType: string | null): string | null {
  if (!mediaType) return null;
  return MEDIA_EXT[mediaType.split(';')[0]!.trim().toLowerCase()] ?? null;
}
