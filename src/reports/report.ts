// warehouse → BriefData → BriefDocument → brief.pdf / brief.xlsx / brief.json under
// <output>/briefs/<brief>/<date>/, with <output>/briefs/<brief>/latest pointing at the newest.
// Everything is rendered into a temp folder first; the dated folder and `latest` change only when
// every file rendered, so a failed render leaves the previous brief in place.
import { mkdir, readdir, rename, rm, symlink, readlink, lstat, writeFile } from 'node:fs/promises';
import { createHash, randomBytes } from 'node:crypto';
import path from 'node:path';
import type { LoadedConfig } from '../config/load.js';
import type { BriefConfig } from '../config/schema.js';
import { UserError } from '../errors.js';
import type { Warehouse } from '../warehouse/dialect.js';
import { loadReference, type Reference } from '../pipelines/reference.js';
import { gatherBriefData } from './analysis/brief-data.js';
import { BRIEFS, composerFor } from './briefs/index.js';
import type { BriefDocument, Lang } from './document.js';
import type { Progress } from '../log.js';
import { replaceDir } from './render/write-atomic.js';
import { preloadRenderers, type BriefFormat } from './render/renderers.js';
import { prestartRenderWorkers, renderInOrder, renderThreads, startRenderWorkers, type RenderWorkers } from './render/parallel.js';

export type { BriefFormat } from './render/renderers.js';
export { preloadRenderers } from './render/renderers.js';

export interface BriefResult {
  id: string;
  status: 'rendered' | 'failed';
  /** The dated folder holding the files. */
  dir: string | null;
  files: { name: string; bytes: number; sha256: string }[];
  message: string;
  ms: number;
  /** The composed documents by language (for distribution and tests). */
  documents: BriefDocument[];
}

export interface ReportOptions {
  langs?: readonly Lang[];
  formats?: readonly BriefFormat[];
}

export interface ReportEffects {
  now?: () => Date;
  log?: (line: string) => void;
  reference?: Reference;
  /** A progress bar over the files of a brief (the CLI's, on a terminal). Default: none. */
  progress?: (what: string, total: number) => Progress;
}

export async function renderBriefs(
  ctx: { loaded: LoadedConfig; wh: Warehouse; outputDir: string },
  ids: readonly string[],
  opts: ReportOptions = {},
  effects: ReportEffects = {},
): Promise<BriefResult[]> {
  const { config } = ctx.loaded;
  const unknown = ids.filter((id) => !config.briefs.some((b) => b.id === id));
  if (unknown.length > 0) throw new UserError(`unknown brief ${unknown.map((u) => `"${u}"`).join(', ')}; the config defines ${config.briefs.map((b) => b.id).join(', ') || 'none'}`, { exitCode: 2 });
  const briefs = ids.length > 0 ? config.briefs.filter((b) => ids.includes(b.id)) : config.briefs;
  const results: BriefResult[] = [];
  for (const brief of briefs) {
    const r = await renderOne(ctx, brief, opts, effects);
    results.push(r);
    effects.log?.(
      r.status === 'rendered'
        ? `report ${brief.id} → ${r.files.map((f) => `${f.name} ${(f.bytes / 1024).toFixed(0)} kB`).join(', ')} in ${(r.ms / 1000).toFixed(1)}s (${path.relative(process.cwd(), r.dir!) || r.dir})`
        : `report ${brief.id} ✗ failed: ${r.message}`,
    );
  }
  return results;
}

async function renderOne(ctx: { loaded: LoadedConfig; wh: Warehouse; outputDir: string }, brief: BriefConfig, opts: ReportOptions, effects: ReportEffects): Promise<BriefResult> {
  const t0 = performance.now();
  const now = (effects.now ?? (() => new Date()))();
  const result: BriefResult = { id: brief.id, status: 'failed', dir: null, files: [], message: '', ms: 0, documents: [] };
  // The paper's analysis is generic over subject and partner, so a brief without a composer of its
  // own (say a Liaoning–Korea brief) uses the hlj-japan one with its own codes.
  const compose = composerFor(brief.id) ?? BRIEFS['hlj-japan'];
  const briefDir = path.join(ctx.outputDir, 'briefs', brief.id);
  const tmp = path.join(briefDir, `.tmp-${randomBytes(4).toString('hex')}`);
  let bar: Progress | undefined;
  let workers: RenderWorkers | null = null;
  await cleanTemp(briefDir);
  try {
    if (!compose) throw new UserError(`brief "${brief.id}" has no composer; known: ${Object.keys(BRIEFS).join(', ')}`);
    const langs = opts.langs ?? brief.languages;
    const formats = opts.formats ?? brief.formats;
    preloadRenderers(formats);
    // Render workers start now (or were started by prestartWorkers), so they load pdfmake and the
    // fonts while the data is gathered.
    const threads = workerThreads(langs, formats);
    if (threads > 0) workers = startRenderWorkers(threads, formats);
    const reference = effects.reference ?? loadReference();
    const data = await gatherBriefData(ctx.wh.db, brief, ctx.loaded.config.sources);
    await mkdir(tmp, { recursive: true });
    const docs = langs.map((lang) => compose(data, { brief, lang, generatedAt: now.toISOString(), names: (code: string) => reference.name(code, lang) }));
    result.documents.push(...docs);
    // One language keeps the plain names (brief.pdf); several get brief.<lang>.pdf.
    const files = langs.flatMap((lang, doc) => formats.map((format) => ({ doc, format, name: `${langs.length === 1 ? 'brief' : `brief.${lang}`}.${format}` })));
    bar = effects.progress?.(`render ${brief.id}`, files.length);
    // With workers, the PDFs (the longest to render) go first, so the threads share them.
    const jobs = workers ? [...files.filter((f) => f.format === 'pdf'), ...files.filter((f) => f.format !== 'pdf')] : files;
    const advance = (i: number) => bar?.advance(jobs[i]!.name);
    const rendered = workers ? await workers.run(docs, jobs, advance) : await renderInOrder(docs, jobs, advance);
    const byName = new Map(jobs.map((j, i) => [j.name, rendered[i]!]));
    for (const { name } of files) {
      const bytes = byName.get(name)!;
      await writeFile(path.join(tmp, name), bytes);
      result.files.push({ name, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
    }
    const dated = path.join(briefDir, dateFolder(now));
    await replaceDir(tmp, dated);
    await pointLatest(briefDir, path.basename(dated));
    result.status = 'rendered';
    result.dir = dated;
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    result.message = e instanceof UserError ? e.message : `unexpected error: ${e instanceof Error ? e.message : String(e)}`;
  } finally {
    bar?.done();
    await workers?.close();
  }
  result.ms = performance.now() - t0;
  return result;
}

/** The render workers a brief's render starts: one per PDF but the first, up to the cores but one. */
function workerThreads(langs: readonly Lang[], formats: readonly BriefFormat[]): number {
  return formats.includes('pdf') ? renderThreads(langs.length) - 1 : 0;
}

/**
 * Starts the render workers of a brief in `langs` and `formats` ahead of its render (`report`, before
 * the warehouse opens); renderBriefs' first brief takes them (parallel.ts, prestartRenderWorkers).
 */
export function prestartWorkers(langs: readonly Lang[], formats: readonly BriefFormat[]): void {
  prestartRenderWorkers(workerThreads(langs, formats), formats);
}

/** `2026-11-29` in UTC: one folder per day; a second run on the same day replaces that day's brief. */
function dateFolder(d: Date): string {
  return d.toISOString().slice(0, 10);
}


/** `latest` is a relative symlink swapped by rename, so readers never see it missing. */
async function pointLatest(briefDir: string, target: string): Promise<void> {
  const link = path.join(briefDir, 'latest');
  try {
    if ((await lstat(link)).isSymbolicLink() && (await readlink(link)) === target) return;
  } catch {
    /* no link yet */
  }
  const tmpLink = path.join(briefDir, `.latest-${randomBytes(3).toString('hex')}`);
  await symlink(target, tmpLink, 'dir');
  await rename(tmpLink, link);
}

/** Leftover temp folders from a killed render. */
export async function cleanTemp(briefDir: string): Promise<void> {
  try {
    for (const e of await readdir(briefDir)) if (e.startsWith('.tmp-') || e.includes('.old-')) await rm(path.join(briefDir, e), { recursive: true, force: true });
  } catch {
    /* no folder yet */
  }
}
