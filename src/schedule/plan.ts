// `--dry-run` for run, pull and report: what would be pulled, regenerated and distributed, decided
// from the config, the local files' hashes and the warehouse as it is — without writing anything
// (the warehouse is opened without migrations, and not at all when its SQLite file does not exist).
import { createReadStream, existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { resolveContext, type Context, type GlobalOptions } from '../context.js';
import { distribute } from '../distribute/index.js';
import { UserError, redactUrl } from '../errors.js';
import { openWarehouse, type Warehouse } from '../warehouse/dialect.js';

export interface PlanOptions {
  /** Pull these sources (empty: every enabled one); false: no pull step (`report`). */
  pull: false | readonly string[];
  /** Render these briefs (empty: every brief); `changed`: the briefs `run` would regenerate; false: no render step (`pull`). */
  render: false | 'changed' | readonly string[];
  /** Include the distribution step (`run`). */
  distribute: boolean;
  force?: boolean;
  /** Formats and languages `report` was asked for, for the description. */
  formats?: readonly string[];
  langs?: readonly string[];
}

export interface PlanLine {
  step: 'pull' | 'report' | 'distribute';
  id: string;
  /** What would happen: `load`, `download`, `skip`, `render`, `deliver`, `fail`… */
  action: string;
  detail: string;
}

export async function plan(ctx: Context, opts: PlanOptions): Promise<PlanLine[]> {
  const wh = await openReadOnly(ctx.warehouseUrl);
  try {
    return await planWith(ctx, wh, opts);
  } finally {
    await wh?.close();
  }
}

async function planWith(ctx: Context, wh: Warehouse | null, opts: PlanOptions): Promise<PlanLine[]> {
  const { config, baseDir } = ctx.loaded;
  const lines: PlanLine[] = [];
  let changed = false;
  if (opts.pull !== false) {
    const only = opts.pull;
    const sources = only.length > 0 ? config.sources.filter((s) => only.includes(s.id)) : config.sources.filter((s) => s.enabled);
    for (const s of sources) {
      const last = wh ? await safe(() => wh.db.selectFrom('ingest_run').select(['sha256', 'finished_at']).where('source_id', '=', s.id).where('status', '=', 'loaded').orderBy('id', 'desc').limit(1).executeTakeFirst()) : undefined;
      if (/^https?:/i.test(s.url)) {
        changed = true;
        lines.push({ step: 'pull', id: s.id, action: 'download', detail: `${redactUrl(s.url)}${last?.sha256 ? `; loads it if it differs from ${last.sha256.slice(0, 12)} (loaded ${last.finished_at ?? '?'})` : '; never loaded'}` });
        continue;
      }
      const file = s.url.startsWith('file:') ? new URL(s.url).pathname : path.resolve(baseDir, s.url);
      if (!existsSync(file)) {
        lines.push({ step: 'pull', id: s.id, action: 'fail', detail: `file not found: ${file}` });
        continue;
      }
      const sha = await sha256File(file);
      if (last?.sha256 === sha && !opts.force) {
        lines.push({ step: 'pull', id: s.id, action: 'skip', detail: `unchanged (${sha.slice(0, 12)})` });
      } else {
        changed = true;
        lines.push({ step: 'pull', id: s.id, action: 'load', detail: last?.sha256 ? `${last.sha256 === sha ? 'same content, --force' : `content changed ${last.sha256.slice(0, 12)} → ${sha.slice(0, 12)}`}` : `never loaded (${sha.slice(0, 12)})` });
      }
    }
  }
  const briefIds = opts.render === false ? [] : opts.render === 'changed' || opts.render.length === 0 ? config.briefs.map((b) => b.id) : opts.render;
  const rendering = new Set<string>();
  for (const id of briefIds) {
    const brief = config.briefs.find((b) => b.id === id);
    if (!brief) continue;
    const never = !existsSync(path.join(ctx.outputDir, 'briefs', id, 'latest'));
    const why = opts.render !== 'changed' ? 'requested' : opts.force ? '--force' : changed ? 'inputs changed' : never ? 'never rendered' : null;
    if (!why) {
      lines.push({ step: 'report', id, action: 'skip', detail: 'unchanged inputs' });
      continue;
    }
    rendering.add(id);
    const formats = opts.formats?.length ? opts.formats : brief.formats;
    const langs = opts.langs?.length ? opts.langs : brief.languages;
    lines.push({ step: 'report', id, action: 'render', detail: `${why}: ${formats.join(', ')} (${langs.join(', ')}) → ${path.join(ctx.outputDir, 'briefs', id)}/<date>/` });
  }
  if (opts.distribute) {
    for (const id of rendering) {
      for (const t of config.distribute.filter((t) => !t.briefs || t.briefs.includes(id))) {
        lines.push({ step: 'distribute', id: `${id} → ${t.id}`, action: 'deliver', detail: `${t.type}, if the new render's content differs from what ${t.id} received` });
      }
    }
    if (wh) {
      const rest = config.briefs.map((b) => b.id).filter((id) => !rendering.has(id));
      if (rest.length > 0) {
        const results = await safe(() => distribute({ loaded: ctx.loaded, wh }, { only: rest, dryRun: true }));
        for (const r of results ?? []) lines.push({ step: 'distribute', id: `${r.briefId} → ${r.targetId}`, action: r.outcome === 'would deliver' ? 'deliver' : 'skip', detail: `${r.outcome}${r.message ? `: ${r.message}` : ''}` });
      }
    }
  }
  return lines;
}

/** `--dry-run` of a command: the plan as lines (or JSON with --json) on `out`; exit 0. */
export async function dryRunCommand(opts: GlobalOptions, planOpts: PlanOptions, out: (s: string) => void, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const ctx = await resolveContext(opts, env);
  for (const id of planOpts.pull || []) if (!ctx.loaded.config.sources.some((s) => s.id === id)) throw new UserError(`unknown source "${id}"; \`tradebrief check\` lists the configured sources`, { exitCode: 2 });
  for (const id of planOpts.render === false || planOpts.render === 'changed' ? [] : planOpts.render) {
    if (!ctx.loaded.config.briefs.some((b) => b.id === id)) throw new UserError(`unknown brief "${id}"; the config defines ${ctx.loaded.config.briefs.map((b) => b.id).join(', ') || 'none'}`, { exitCode: 2 });
  }
  const lines = await plan(ctx, planOpts);
  out(opts.json ? JSON.stringify({ dryRun: true, plan: lines }, null, 2) : formatPlan(lines));
  return 0;
}

export function formatPlan(lines: readonly PlanLine[]): string {
  if (lines.length === 0) return 'dry run: nothing to do';
  return ['dry run: nothing is written', ...lines.map((l) => `${l.step} ${l.id}: would ${l.action === 'skip' ? 'skip' : l.action} — ${l.detail}`)].join('\n');
}

/** The warehouse without migrations; null when a SQLite warehouse does not exist yet (nothing loaded). */
async function openReadOnly(url: string): Promise<Warehouse | null> {
  if (!/^postgres(ql)?:\/\//.test(url)) {
    const file = url.replace(/^sqlite:(\/\/)?/, '');
    if (file !== ':memory:' && !existsSync(file)) return null;
  }
  return openWarehouse(url, { migrate: false });
}

/** A query against a warehouse that may predate a table: missing means none. */
async function safe<T>(fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch {
    return undefined;
  }
}

function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(file)
      .on('data', (b) => h.update(b))
      .on('error', reject)
      .on('end', () => resolve(h.digest('hex')));
  });
}
