// One result per source: extract → parse → shape → normalise → validate → load. A source's failure
// is recorded in ingest_run and reported; the other sources go on (STYLE.md habit 7).
import { open } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import type { LoadedConfig } from '../config/load.js';
import type { SourceConfig } from '../config/schema.js';
import { UserError, redactSecrets, redactUrl } from '../errors.js';
import type { Warehouse, WarehouseConnection } from '../warehouse/dialect.js';
import { markAbandonedRuns } from '../warehouse/abandoned.js';
// parse, shape, normalise, load and the API adapters are imported where they are used: a re-pull
// that finds every source unchanged never loads them (README "Performance").
import { extract, type ExtractPrevious, type Fetched } from './extract.js';
import type { FxLookup, NormaliseOptions } from './normalise.js';
import type { Reference } from './reference.js';
import type { ShapeOptions } from './shape/index.js';
import type { SourceRecord } from './types.js';
import type { Transaction } from 'kysely';
import type { Database } from '../warehouse/database.js';
import type { LoadCounts } from './load.js';
import type { StreamPullResult } from './stream.js';
import type { Progress } from '../log.js';

export type UnitStatus = 'loaded' | 'unchanged' | 'failed';

export interface UnitResult {
  id: string;
  status: UnitStatus;
  runId: number | null;
  rowsRead: number;
  rowsLoaded: number;
  rowsRejected: number;
  rowsRevised: number;
  /** One line: what happened, or what failed and what to do. */
  message: string;
  ms: number;
}

export interface PullOptions {
  /** Source ids to pull; default every enabled source. */
  only?: readonly string[];
  /** Reload content identical to the last loaded file. */
  force?: boolean;
  /** `manual`, `schedule`, `run`… recorded in ingest_run.trigger. */
  trigger?: string;
}

export interface PullEffects {
  /** Clock; frozen in tests. Default: the system clock. */
  now?: () => Date;
  /** One line per unit and per notable event. Default: nothing. */
  log?: (line: string) => void;
  /** Aborts downloads in flight (SIGTERM). */
  signal?: AbortSignal;
  /** Reference code lists; default data/reference. */
  reference?: Reference;
  /** A progress bar over the sources (the CLI's, on a terminal). Default: none. */
  progress?: (what: string, total: number) => Progress;
}

export interface PullContext {
  loaded: LoadedConfig;
  /**
   * The warehouse. A bare connection is enough: the run bookkeeping is plain SQL, and the query
   * builder is loaded (`warehouse()`) only when a source has something to load.
   */
  wh: WarehouseConnection;
  outputDir: string;
}

/** A PullContext whose warehouse has its query builder: where a source's facts are loaded. */
export interface LoadContext extends PullContext {
  wh: Warehouse;
}

export async function pull(ctx: PullContext, opts: PullOptions = {}, effects: PullEffects = {}): Promise<UnitResult[]> {
  const now = effects.now ?? (() => new Date());
  const log = effects.log ?? (() => undefined);
  const { config } = ctx.loaded;
  let sources = config.sources.filter((s) => s.enabled);
  if (opts.only && opts.only.length > 0) {
    const unknown = opts.only.filter((id) => !config.sources.some((s) => s.id === id));
    if (unknown.length > 0) throw new UserError(`unknown source ${unknown.map((u) => `"${u}"`).join(', ')}; \`tradebrief check\` lists the configured sources`, { exitCode: 2 });
    sources = config.sources.filter((s) => opts.only!.includes(s.id));
  }
  // FX first: every other source converts to US dollars with the rates it loads.
  sources = [...sources.filter((s) => s.dataset === 'fx'), ...sources.filter((s) => s.dataset !== 'fx')];
  await markAbandoned(ctx.wh, now, log);
  // Built on first use: a run whose sources are all unchanged never needs the code lists.
  let ref = effects.reference;
  // Imported here, with validate and the shapers: a pull that finds its sources unchanged loads
  // none of them (each is a chunk of the bundle, ≈ 0.3 ms to load; issue 6).
  const reference = async () => (ref ??= (await import('./reference.js')).loadReference());
  const results: UnitResult[] = [];
  const bar = effects.progress?.('pull', sources.length);
  try {
    for (const source of sources) {
      if (effects.signal?.aborted) break;
      const result = await pullOne(ctx, source, opts, { now, log, signal: effects.signal, reference, customReference: effects.reference !== undefined });
      results.push(result);
      log(formatResult(result));
      bar?.advance(source.id);
    }
  } finally {
    bar?.done();
  }
  return results;
}

export function formatResult(r: UnitResult): string {
  const secs = (r.ms / 1000).toFixed(1);
  if (r.status === 'failed') return `pull ${r.id} ✗ failed in ${secs}s: ${r.message}`;
  if (r.status === 'unchanged') return `pull ${r.id} = unchanged in ${secs}s (${r.message})`;
  return `pull ${r.id} → loaded ${r.rowsLoaded} facts (${r.rowsRejected} rejected, ${r.rowsRevised} revised) in ${secs}s`;
}

interface Effects {
  now: () => Date;
  log: (line: string) => void;
  signal: AbortSignal | undefined;
  reference: () => Promise<Reference>;
  /** The code lists are not data/reference's (tests): see StreamPullInput.reference. */
  customReference: boolean;
}

async function pullOne(ctx: PullContext, source: SourceConfig, opts: PullOptions, fx: Effects): Promise<UnitResult> {
  const started = fx.now();
  // process.hrtime, not performance.now(): the global `performance` loads perf_hooks and eight
  // internal modules on first use, ≈ 0.8 ms of a pull that finds its sources unchanged.
  const t0 = process.hrtime.bigint();
  const { wh } = ctx;
  // The run's bookkeeping is plain SQL (PullContext.wh).
  const [inserted] = await wh.query<{ id: number }>(
    `INSERT INTO ingest_run (source_id, "trigger", started_at, status, rows_read, rows_loaded, rows_rejected, rows_revised, pid, host)
     VALUES (?, ?, ?, 'running', 0, 0, 0, 0, ?, ?) RETURNING id`,
    [source.id, opts.trigger ?? 'manual', started.toISOString(), process.pid, hostname()],
  );
  const runId = inserted!.id;
  const result: UnitResult = { id: source.id, status: 'failed', runId, rowsRead: 0, rowsLoaded: 0, rowsRejected: 0, rowsRevised: 0, message: '', ms: 0 };
  const finish = async (status: UnitStatus | 'unchanged', message: string, sha256: string | null = null) => {
    result.status = status;
    result.message = redactSecrets(message, ctx.loaded.secrets);
    result.ms = Number(process.hrtime.bigint() - t0) / 1e6;
    await wh.query(
      'UPDATE ingest_run SET status = ?, finished_at = ?, sha256 = ?, rows_read = ?, rows_loaded = ?, rows_rejected = ?, rows_revised = ?, message = ? WHERE id = ?',
      [status, fx.now().toISOString(), sha256, result.rowsRead, result.rowsLoaded, result.rowsRejected, result.rowsRevised, result.message.slice(0, 2000), runId],
    );
    return result;
  };

  let sha256: string | null = null;
  try {
    const previous = await previousFile(wh, source.id);
    const extractOpts = { baseDir: ctx.loaded.baseDir, outputDir: ctx.outputDir, previous, secrets: ctx.loaded.secrets, force: opts.force ?? false };
    const extractEffects = { now: fx.now, log: fx.log, signal: fx.signal };
    let file: Fetched;
    let records: SourceRecord[];
    let notes: string[];
    let noData = false;
    const api = source.api === undefined ? null : await import('./api/index.js');
    if (api?.isApiSource(source)) {
      const fetched = await api.fetchApi(source, extractOpts, extractEffects);
      file = fetched.file;
      sha256 = file.sha256;
      if (fetched.unchanged && !opts.force) return await finish('unchanged', `same answers as the last loaded pull ${file.sha256.slice(0, 12)} (${fetched.requests} requests)`, file.sha256);
      for (const w of fetched.warnings) fx.log(`pull ${source.id}: ${w}`);
      records = fetched.records;
      notes = [];
      noData = fetched.noData;
    } else {
      const fetched = await extract(source, extractOpts, extractEffects);
      if (fetched.status === 'not-modified') return await finish('unchanged', 'not modified since the last pull (HTTP 304)', previous?.sha256 ?? null);
      file = fetched.file;
      sha256 = file.sha256;
      if (fetched.unchanged && !opts.force) return await finish('unchanged', `same content as the last loaded file ${file.sha256.slice(0, 12)}`, file.sha256);

      // A large CSV streams in one transaction (stream.ts); a CSV the stream cannot read exactly as
      // the whole grid would falls through to the whole-grid path below.
      const streamed = await pullStreamed({ ...ctx, wh: await wh.warehouse() }, source, file, runId, fx);
      if (streamed !== null) {
        for (const w of streamed.warnings) fx.log(`pull ${source.id}: ${w}`);
        result.rowsRead = streamed.recordsRead;
        result.rowsRejected = streamed.rejects;
        if (!streamed.verdict.ok) return await finish('failed', streamed.verdict.message, file.sha256);
        result.rowsLoaded = streamed.facts;
        result.rowsRevised = streamed.counts.revised;
        return await finish('loaded', loadedSummary(false, streamed.counts, streamed.skipped, streamed.unconverted), file.sha256);
      }

      // Every sheet is parsed, not only the configured ones: a workbook's Sources/资料来源 sheet holds
      // the citations the brief repeats (see noteLines).
      const [{ parseFile }, { shape, noteLines }] = await Promise.all([import('./parse.js'), import('./shape/index.js')]);
      const parsed = await parseFile(file.path, { name: `${source.id}: ${redactUrl(source.url)}` });
      const shaped = shape(parsed.sheets, shapeOptions(source));
      for (const w of shaped.warnings) fx.log(`pull ${source.id}: ${w}`);
      records = shaped.records;
      notes = noteLines(parsed.sheets, shaped);
    }
    const [{ normalise }, { loadFacts, refreshUsd }, { validate }, full] = await Promise.all([import('./normalise.js'), import('./load.js'), import('./validate.js'), wh.warehouse()]);
    const loadCtx: LoadContext = { ...ctx, wh: full };
    const fxLookup = await loadFxLookup(loadCtx);
    const norm = normalise(records, normaliseOptions(source, await fx.reference(), fxLookup));
    result.rowsRead = records.length;
    result.rowsRejected = norm.rejects.length;
    // A publisher's "no data" for the whole query is an answer, not a failure: the (empty) answers
    // are recorded as loaded, so the next identical answer is `unchanged`.
    const verdict = noData ? { ok: true, message: '' } : validate(source, records.length, { facts: norm.facts.length, rejects: norm.rejects.length, firstReject: norm.rejects[0] });
    if (!verdict.ok) {
      // The rejects are kept so `status` can show why; the facts are not loaded.
      await full.db.transaction().execute((trx) => loadFacts(trx, { sourceId: source.id, runId, sha256: file.sha256, facts: [], rejects: norm.rejects, now: fx.now().toISOString() }));
      return await finish('failed', verdict.message, file.sha256);
    }
    const counts = await full.db.transaction().execute(async (trx) => {
      await saveSourceFile(trx, loadCtx, source, file, notes);
      const c = await loadFacts(trx, { sourceId: source.id, runId, sha256: file.sha256, facts: norm.facts, rejects: norm.rejects, now: fx.now().toISOString() });
      if (c.fxChanged.length > 0) await refreshUsd(trx, c.fxChanged, await loadFxLookup(loadCtx, trx));
      return c;
    });
    result.rowsLoaded = norm.facts.length;
    result.rowsRevised = counts.revised;
    return await finish('loaded', loadedSummary(noData, counts, norm.skipped, norm.unconverted), file.sha256);
  } catch (e) {
    const message = e instanceof UserError ? e.message : `unexpected error: ${e instanceof Error ? e.message : String(e)}`;
    return await finish('failed', message.startsWith(source.id) ? message : `${source.id}: ${message}`, sha256);
  }
}

/** What shape takes from a source's config (the whole-grid and the streaming path alike). */
function shapeOptions(source: SourceConfig): ShapeOptions {
  return { dataset: source.dataset, unit: source.unit, layout: source.layout, fixed: source.fixed, sheets: typeof source.sheet === 'string' ? [source.sheet] : source.sheet };
}

/** What normalise takes from a source's config, with the code lists and FX rates. */
function normaliseOptions(source: SourceConfig, reference: Reference, fxLookup: FxLookup): NormaliseOptions {
  return { dataset: source.dataset, fixed: source.fixed, unit: source.unit, only: source.only, reference, fx: fxLookup };
}

/** ingest_run.message of a loaded pull. */
function loadedSummary(noData: boolean, counts: LoadCounts, skipped: Record<string, number>, unconverted: readonly string[]): string {
  return [
    ...(noData ? ['the publisher answered "no data" to every request'] : []),
    `${counts.inserted} new, ${counts.written - counts.inserted} updated, ${counts.unchanged} unchanged`,
    ...Object.entries(skipped).map(([why, n]) => `${n} skipped (${why})`),
    ...(unconverted.length > 0 ? [`no FX rate for ${unconverted.join(', ')}: value_usd left empty`] : []),
  ].join('; ');
}

/** Records the loaded file and its notes (in the load's transaction). */
async function saveSourceFile(trx: Transaction<Database>, ctx: LoadContext, source: SourceConfig, file: Fetched, notes: readonly string[]): Promise<void> {
  await trx
    .insertInto('source_file')
    .values({
      source_id: source.id,
      sha256: file.sha256,
      url: file.url,
      bytes: file.bytes,
      media_type: file.mediaType,
      etag: file.etag,
      last_modified: file.lastModified,
      fetched_at: file.fetchedAt,
      archive_path: path.relative(ctx.outputDir, file.path),
      notes: JSON.stringify(notes),
    })
    .onConflict((oc) =>
      oc.columns(['source_id', 'sha256']).doUpdateSet({ etag: file.etag, last_modified: file.lastModified, fetched_at: file.fetchedAt, notes: JSON.stringify(notes) }),
    )
    .execute();
}

/**
 * A spreadsheet source's file through the streaming path (stream.ts), when it is a CSV of at least
 * streamMinBytes or a zip (an xlsx workbook, it is hoped) of at least xlsxStreamMinBytes; null when
 * it is not, or when the stream found it needs the whole grid (nothing of the attempt is committed).
 */
async function pullStreamed(ctx: LoadContext, source: SourceConfig, file: Fetched, runId: number, fx: Effects): Promise<StreamPullResult | null> {
  const stream = await import('./stream.js');
  const format = (await isZip(file.path)) ? 'xlsx' : 'csv';
  if (file.bytes < (format === 'xlsx' ? stream.xlsxStreamMinBytes() : stream.streamMinBytes())) return null;
  const { refreshUsd } = await import('./load.js');
  const fxRates = await loadFxRates(ctx);
  const normalise = { dataset: source.dataset, fixed: source.fixed, unit: source.unit, only: source.only };
  try {
    return await stream.pullStreaming(
      ctx.wh.db,
      {
        path: file.path,
        format,
        name: `${source.id}: ${redactUrl(source.url)}`,
        source,
        shape: shapeOptions(source),
        normalise,
        fxRates: [...fxRates],
        // Code lists other than the default (tests) keep the producer on this thread.
        ...(fx.customReference ? { reference: await fx.reference() } : {}),
        runId,
        sha256: file.sha256,
        now: fx.now().toISOString(),
      },
      {
        beforeMerge: (trx, notes) => saveSourceFile(trx, ctx, source, file, notes),
        afterMerge: async (trx, counts) => {
          if (counts.fxChanged.length > 0) await refreshUsd(trx, counts.fxChanged, await loadFxLookup(ctx, trx));
        },
      },
    );
  } catch (e) {
    if (!stream.needsWholeFile(e)) throw e;
    fx.log(`pull ${source.id}: read whole, not streamed (${e.message})`);
    return null;
  }
}

/** Whether the file starts as a zip archive does (xlsx, ods, a zip of CSVs). */
async function isZip(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    return bytesRead === 4 && head.readUInt32LE(0) === 0x04034b50;
  } finally {
    await handle.close();
  }
}

/** The file of the source's last successful load, for conditional GET and the unchanged check. */
async function previousFile(wh: WarehouseConnection, sourceId: string): Promise<ExtractPrevious | null> {
  const [row] = await wh.query<ExtractPrevious>(
    `SELECT f.sha256, f.etag, f.last_modified FROM ingest_run r
     JOIN source_file f ON f.sha256 = r.sha256 AND f.source_id = r.source_id
     WHERE r.source_id = ? AND r.status = 'loaded' ORDER BY r.id DESC LIMIT 1`,
    [sourceId],
  );
  return row ? { sha256: row.sha256, etag: row.etag, last_modified: row.last_modified } : null;
}

/**
 * FX rates as the analysis should see them: for each currency and year, the rate of the
 * highest-priority source (config order breaks ties). Month rates are not averaged into years.
 */
export async function loadFxLookup(ctx: LoadContext, db = ctx.wh.db): Promise<FxLookup> {
  const rates = await loadFxRates(ctx, db);
  return (currency, year) => rates.get(`${currency}|${year}`) ?? null;
}

/** loadFxLookup's rates as data, by `currency|year` (for the streaming path's producer thread). */
export async function loadFxRates(ctx: LoadContext, db = ctx.wh.db): Promise<Map<string, number>> {
  const rows = await db.selectFrom('fx_rate').select(['currency', 'period', 'source_id', 'per_usd']).execute();
  const priority = new Map(ctx.loaded.config.sources.map((s, i) => [s.id, s.priority * 1e6 - i]));
  const best = new Map<string, { p: number; rate: number }>();
  for (const r of rows) {
    if (!/^\d{4}$/.test(r.period)) continue;
    const p = priority.get(r.source_id) ?? -Infinity;
    const k = `${r.currency}|${r.period}`;
    const cur = best.get(k);
    if (!cur || p > cur.p) best.set(k, { p, rate: Number(r.per_usd) });
  }
  return new Map([...best].map(([k, v]) => [k, v.rate]));
}

/** Pulls left `running` by a stopped process are marked `abandoned` (see warehouse/abandoned.ts). */
export function markAbandoned(wh: WarehouseConnection, now: () => Date, log: (line: string) => void): Promise<number> {
  return markAbandonedRuns(
    wh,
    {
      table: 'ingest_run',
      unit: 'source_id',
      message: 'the process running this pull stopped before it finished; nothing of it was loaded',
      describe: (id, run) => `pull ${id}: run ${run} was left running by a stopped process; marked abandoned`,
    },
    now,
    log,
  );
}
