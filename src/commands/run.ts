import { existsSync } from 'node:fs';
import path from 'node:path';
import { resolveContext, withWarehouse, type GlobalOptions } from '../context.js';
import type { Logger } from '../log.js';
import { pull } from '../pipelines/run.js';
import { renderBriefs } from '../reports/report.js';

/**
 * `tradebrief run`: pull every enabled source, then regenerate the briefs whose inputs changed —
 * every brief when any source loaded new content (a brief reads all datasets), a brief that has never
 * been rendered, or all with --force.
 */
export async function runCommand(opts: GlobalOptions & { force?: boolean }, log: Logger): Promise<number> {
  const ctx = resolveContext(opts);
  return withWarehouse(ctx, async (wh) => {
    const c = { loaded: ctx.loaded, wh, outputDir: ctx.outputDir };
    const pulled = await pull(c, { force: opts.force, trigger: 'run' }, { log: (l) => log.info(l) });
    const failed = pulled.filter((r) => r.status === 'failed').length;
    const changed = pulled.some((r) => r.status === 'loaded');
    const briefs = ctx.loaded.config.briefs.filter((b) => opts.force || changed || !existsSync(path.join(ctx.outputDir, 'briefs', b.id, 'latest')));
    for (const b of ctx.loaded.config.briefs) if (!briefs.includes(b)) log.info(`report ${b.id} = unchanged inputs, not regenerated (--force to regenerate)`);
    const rendered = briefs.length > 0 ? await renderBriefs(c, briefs.map((b) => b.id), {}, { log: (l) => log.info(l) }) : [];
    const renderFailed = rendered.filter((r) => r.status === 'failed').length;
    log.info(`run: ${pulled.length} sources (${failed} failed), ${rendered.length} briefs rendered (${renderFailed} failed)`);
    return failed + renderFailed > 0 ? 1 : 0;
  });
}
