import { resolveContext, withWarehouse, type GlobalOptions } from '../context.js';
import { UserError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Lang } from '../reports/document.js';
import { preloadRenderers, prestartWorkers, type BriefFormat, type BriefResult } from '../reports/report.js';
import { renderRecorded } from '../schedule/brief-runs.js';

export interface ReportCommandOptions extends GlobalOptions {
  lang?: string[];
  format?: string;
}

const LANGS = ['en', 'zh', 'ja'] as const;
const FORMATS = ['pdf', 'xlsx', 'json'] as const;

/**
 * `tradebrief report [BRIEF…]`: regenerate briefs from the warehouse as it is, recorded in brief_run
 * (so `status` shows the render). Distribution stays with `run` and the scheduler.
 */
export async function reportCommand(ids: string[], opts: ReportCommandOptions, log: Logger): Promise<{ exitCode: number; results: BriefResult[] }> {
  const langs = opts.lang?.flatMap((l) => l.split(',')).map((l) => l.trim()).filter(Boolean);
  for (const l of langs ?? []) if (!(LANGS as readonly string[]).includes(l)) throw new UserError(`--lang: "${l}" is not one of ${LANGS.join(', ')}`, { exitCode: 2 });
  const formats = opts.format?.split(',').map((f) => f.trim()).filter(Boolean);
  for (const f of formats ?? []) if (!(FORMATS as readonly string[]).includes(f)) throw new UserError(`--format: "${f}" is not one of ${FORMATS.join(', ')}`, { exitCode: 2 });
  const ctx = await resolveContext(opts);
  const briefs = ctx.loaded.config.briefs.map((b) => b.id);
  const unknown = ids.filter((id) => !briefs.includes(id));
  if (unknown.length > 0) throw new UserError(`unknown brief ${unknown.map((u) => `"${u}"`).join(', ')}; the config defines ${briefs.join(', ') || 'none'}`, { exitCode: 2 });
  // The renderers load while the warehouse opens and the data is gathered: the first brief's render
  // workers (report.ts) on their threads, and on this one.
  const chosen = ids.length > 0 ? ctx.loaded.config.briefs.filter((b) => ids.includes(b.id)) : ctx.loaded.config.briefs;
  const first = chosen[0];
  if (first) prestartWorkers(langs?.length ? (langs as Lang[]) : first.languages, formats?.length ? (formats as BriefFormat[]) : first.formats);
  preloadRenderers(formats?.length ? (formats as BriefFormat[]) : chosen.flatMap((b) => b.formats));
  const results = await withWarehouse(ctx, (wh) =>
    renderRecorded(
      { loaded: ctx.loaded, wh, outputDir: ctx.outputDir },
      ids.length > 0 ? ids : briefs,
      { trigger: 'manual', ...(langs?.length ? { langs: langs as Lang[] } : {}), ...(formats?.length ? { formats: formats as BriefFormat[] } : {}) },
      { log: (l) => log.info(l), progress: (w, t) => log.progress(w, t) },
    ),
  );
  return { exitCode: results.some((r) => r.status === 'failed') ? 1 : 0, results };
}
