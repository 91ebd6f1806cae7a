import { resolveContext, withWarehouse, type GlobalOptions } from '../context.js';
import { UserError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Lang } from '../reports/document.js';
import { renderBriefs, type BriefFormat, type BriefResult } from '../reports/report.js';

export interface ReportCommandOptions extends GlobalOptions {
  lang?: string[];
  format?: string;
}

const LANGS = ['en', 'zh', 'ja'] as const;
const FORMATS = ['pdf', 'xlsx', 'json'] as const;

/** `tradebrief report [BRIEF…]`: regenerate briefs from the warehouse as it is. */
export async function reportCommand(ids: string[], opts: ReportCommandOptions, log: Logger): Promise<{ exitCode: number; results: BriefResult[] }> {
  const langs = opts.lang?.flatMap((l) => l.split(',')).map((l) => l.trim()).filter(Boolean);
  for (const l of langs ?? []) if (!(LANGS as readonly string[]).includes(l)) throw new UserError(`--lang: "${l}" is not one of ${LANGS.join(', ')}`, { exitCode: 2 });
  const formats = opts.format?.split(',').map((f) => f.trim()).filter(Boolean);
  for (const f of formats ?? []) if (!(FORMATS as readonly string[]).includes(f)) throw new UserError(`--format: "${f}" is not one of ${FORMATS.join(', ')}`, { exitCode: 2 });
  const ctx = resolveContext(opts);
  const results = await withWarehouse(ctx, (wh) =>
    renderBriefs(
      { loaded: ctx.loaded, wh, outputDir: ctx.outputDir },
      ids,
      { ...(langs?.length ? { langs: langs as Lang[] } : {}), ...(formats?.length ? { formats: formats as BriefFormat[] } : {}) },
      { log: (l) => log.info(l) },
    ),
  );
  return { exitCode: results.some((r) => r.status === 'failed') ? 1 : 0, results };
}
