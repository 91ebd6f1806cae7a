import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SourceConfig } from '../config/schema.js';
import { resolveContext, type Context, type GlobalOptions } from '../context.js';
import { UserError, redactSecrets, redactUrl } from '../errors.js';
import { isApiSource, probeApi } from '../pipelines/api/index.js';
import { extract, withScratch } from '../pipelines/extract.js';
import { openWarehouse, type Warehouse } from '../warehouse/dialect.js';

export interface CheckOptions extends GlobalOptions {
  /** Also ask every enabled source whether it answers, and say how fresh it is. */
  online?: boolean;
}

/** `tradebrief check`: the config validates (resolveContext throws a one-line ConfigError otherwise) and local sources exist. */
export async function checkCommand(opts: CheckOptions, out: (s: string) => void): Promise<number> {
  const ctx = await resolveContext(opts, process.env, { memo: false });
  const { config } = ctx.loaded;
  const problems: string[] = [];
  const name = path.basename(ctx.loaded.file);
  config.sources.forEach((s, i) => {
    const file = localPath(ctx, s);
    if (file !== null && !existsSync(file)) problems.push(`${name}: sources[${i}].url: file not found: ${file}`);
    if (s.api && file !== null) problems.push(`${name}: sources[${i}].url: an api source needs the API's http(s) root, not a file`);
  });
  config.briefs.forEach((b, i) => {
    if (!config.sources.some((s) => s.enabled)) problems.push(`${name}: briefs[${i}]: no enabled source feeds brief "${b.id}"`);
  });
  for (const p of problems) out(p);
  if (problems.length > 0) {
    out(`${name}: ${problems.length} problem${problems.length > 1 ? 's' : ''}`);
    return 2;
  }
  out(`${name}: OK — ${config.sources.length} sources (${config.sources.map((s) => `${s.id} ← ${redactUrl(s.url)}`).join(', ')}), ${config.briefs.length} briefs`);
  if (!opts.online) return 0;

  const probes = await checkOnline(ctx);
  if (opts.json) out(JSON.stringify(probes));
  else for (const p of probes) out(formatProbe(p));
  const failed = probes.filter((p) => !p.ok).length;
  out(failed === 0 ? `online: all ${probes.length} enabled sources answer` : `online: ${failed} of ${probes.length} enabled sources do not answer`);
  return failed === 0 ? 0 : 1;
}

export interface SourceProbe {
  id: string;
  ok: boolean;
  /** What answered: `file`, `http` or the API type. */
  kind: string;
  /** One line: what answered and how fresh the publisher says it is, or why it failed. */
  answer: string;
  /** When the publisher last changed it: Last-Modified, or a local file's mtime (ISO). */
  published_at: string | null;
  /** The latest period an API answer holds (`2024`, `2025-06`). */
  published_period: string | null;
  /** The last successful load into the warehouse (ISO), or null. */
  last_loaded_at: string | null;
  /** The latest period this source holds in the warehouse. */
  latest_period: string | null;
  ms: number;
}

/** Asks every enabled source (one request each; nothing is archived or loaded). */
export async function checkOnline(ctx: Context): Promise<SourceProbe[]> {
  const sources = ctx.loaded.config.sources.filter((s) => s.enabled);
  const held = await warehouseFreshness(ctx, sources.map((s) => s.id));
  const probes: SourceProbe[] = [];
  for (const source of sources) {
    const t0 = performance.now();
    const probe: SourceProbe = {
      id: source.id,
      ok: false,
      kind: source.api?.type ?? (localPath(ctx, source) === null ? 'http' : 'file'),
      answer: '',
      published_at: null,
      published_period: null,
      last_loaded_at: held.get(source.id)?.loadedAt ?? null,
      latest_period: held.get(source.id)?.latest ?? null,
      ms: 0,
    };
    try {
      Object.assign(probe, await ask(ctx, source), { ok: true });
    } catch (e) {
      const message = e instanceof UserError ? e.message : `unexpected error: ${e instanceof Error ? e.message : String(e)}`;
      probe.answer = redactSecrets(message, ctx.loaded.secrets);
    }
    probe.ms = Math.round(performance.now() - t0);
    probes.push(probe);
  }
  return probes;
}

async function ask(ctx: Context, source: SourceConfig): Promise<Pick<SourceProbe, 'answer' | 'published_at' | 'published_period'>> {
  const file = localPath(ctx, source);
  if (file !== null) {
    const info = statSync(file, { throwIfNoEntry: false });
    if (!info) throw new UserError(`${source.id}: file not found: ${file}; check sources[].url`);
    return { answer: `local file, ${formatBytes(info.size)}`, published_at: info.mtime.toISOString(), published_period: null };
  }
  // A short deadline and no retries: check says what answers now, it does not wait out an outage.
  const quick = { ...source, timeout_s: Math.min(source.timeout_s, 30), retries: 0 };
  const opts = { baseDir: ctx.loaded.baseDir, outputDir: ctx.outputDir, previous: null, secrets: ctx.loaded.secrets, force: true };
  if (isApiSource(quick)) {
    const p = await probeApi(quick, opts);
    const answer = p.empty ? `answers, no data: ${p.empty}` : `answers, ${p.values} values on the first page`;
    return { answer, published_at: null, published_period: p.latest };
  }
  // The download lands in a scratch folder, never in raw/: a check archives nothing.
  return withScratch(ctx.outputDir, `${source.id}-check`, async (tmp) => {
    const r = await extract(quick, { ...opts, outputDir: tmp });
    if (r.status !== 'fetched') return { answer: 'answers (not modified)', published_at: null, published_period: null };
    const modified = r.file.lastModified ? new Date(r.file.lastModified) : null;
    return {
      answer: `answers, ${formatBytes(r.file.bytes)}${r.file.etag ? ', with an ETag' : ''}`,
      published_at: modified && !Number.isNaN(modified.getTime()) ? modified.toISOString() : null,
      published_period: null,
    };
  });
}

/** The source's file path, or null for an http(s) source. */
function localPath(ctx: Context, s: SourceConfig): string | null {
  if (/^https?:/i.test(s.url)) return null;
  return s.url.startsWith('file:') ? fileURLToPath(s.url) : path.resolve(ctx.loaded.baseDir, s.url);
}

interface Held {
  loadedAt: string | null;
  latest: string | null;
}

/** What the warehouse holds of each source: its last successful load and latest period. Empty when there is no warehouse yet. */
async function warehouseFreshness(ctx: Context, ids: string[]): Promise<Map<string, Held>> {
  const out = new Map<string, Held>();
  const sqlite = /^sqlite:(.*)$/.exec(ctx.warehouseUrl);
  if (sqlite && !existsSync(sqlite[1]!)) return out;
  let wh: Warehouse;
  try {
    wh = await openWarehouse(ctx.warehouseUrl);
  } catch {
    return out;
  }
  try {
    const runs = await wh.db
      .selectFrom('ingest_run')
      .select(['source_id', (eb) => eb.fn.max('finished_at').as('at')])
      .where('status', '=', 'loaded')
      .groupBy('source_id')
      .execute();
    for (const r of runs) out.set(r.source_id, { loadedAt: r.at ?? null, latest: null });
    for (const table of ['trade_flow', 'investment_flow', 'indicator', 'fx_rate'] as const) {
      const rows = await wh.db
        .selectFrom(table)
        .select(['source_id', (eb) => eb.fn.max('period').as('latest')])
        .where('source_id', 'in', ids.length > 0 ? ids : [''])
        .groupBy('source_id')
        .execute();
      for (const r of rows) {
        const cur = out.get(r.source_id) ?? { loadedAt: null, latest: null };
        if (r.latest && (!cur.latest || r.latest > cur.latest)) cur.latest = r.latest;
        out.set(r.source_id, cur);
      }
    }
  } finally {
    await wh.close();
  }
  return out;
}

function formatProbe(p: SourceProbe): string {
  const held = p.last_loaded_at ? `warehouse: loaded ${p.last_loaded_at.slice(0, 16).replace('T', ' ')}, latest period ${p.latest_period ?? '—'}` : 'warehouse: never loaded';
  if (!p.ok) return `  ✗ ${p.id} (${p.kind}): ${p.answer}; ${held}`;
  const published = p.published_period ? `latest period ${p.published_period}` : p.published_at ? `last modified ${p.published_at.slice(0, 10)}` : 'no date given';
  return `  ✓ ${p.id} (${p.kind}): ${p.answer}, ${published} (${p.ms} ms); ${held}`;
}

function formatBytes(n: number): string {
  return n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(0)} kB` : `${(n / 1024 / 1024).toFixed(1)} MB`;
}
