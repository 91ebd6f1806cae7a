import { resolveContext, withConnection, type GlobalOptions } from '../context.js';
import type { Logger } from '../log.js';
import { pull, type UnitResult } from '../pipelines/run.js';

export interface PullCommandOptions extends GlobalOptions {
  force?: boolean;
}

/** `tradebrief pull [SOURCE…]`: exit 0 when every source loaded or was unchanged, 1 when any failed. */
export async function pullCommand(ids: string[], opts: PullCommandOptions, log: Logger): Promise<{ exitCode: number; results: UnitResult[] }> {
  const ctx = await resolveContext(opts);
  const results = await withConnection(ctx, (wh) =>
    pull({ loaded: ctx.loaded, wh, outputDir: ctx.outputDir }, { only: ids, force: opts.force, trigger: 'manual' }, { log: (l) => log.info(l), progress: (w, t) => log.progress(w, t) }),
  );
  const failed = results.filter((r) => r.status === 'failed').length;
  const loaded = results.filter((r) => r.status === 'loaded').length;
  log.info(`pull: ${results.length} sources, ${loaded} loaded, ${results.length - loaded - failed} unchanged, ${failed} failed`);
  return { exitCode: failed > 0 ? 1 : 0, results };
}
