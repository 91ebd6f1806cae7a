import { existsSync } from 'node:fs';
import path from 'node:path';
import { resolveContext, withWarehouse, type GlobalOptions } from '../context.js';
import { describeDeliveries, distribute, type DistributeEffects } from '../distribute/index.js';
import type { Logger } from '../log.js';
import { pull } from '../pipelines/run.js';
import { markAbandonedBriefRuns, renderRecorded } from '../schedule/brief-runs.js';

export interface RunCommandOptions extends GlobalOptions {
  force?: boolean;
  /** Print what would be pulled, regenerated and distributed; write nothing. */
  dryRun?: boolean;
}

export interface RunEffects {
  /** Clock; frozen in tests. Default: the system clock. */
  now?: () => Date;
  /** Environment for the config, WAREHOUSE_URL and OUTPUT_DIR. Default: process.env. */
  env?: NodeJS.ProcessEnv;
  /** Output for --dry-run. Default: stdout. */
  out?: (s: string) => void;
  /** Passed to distribute() (tests replace targets). */
  distribute?: Pick<DistributeEffects, 'targets'>;
}

/**
 * `tradebrief run`: pull every enabled source, then regenerate the briefs whose inputs changed —
 * every brief when any source loaded new content (a brief reads all datasets), a brief that has never
 * been rendered, or all with --force — then distribute each brief's latest content to its targets
 * (once per distinct content; failed deliveries whose backoff has passed are retried).
 */
export async function runCommand(opts: RunCommandOptions, log: Logger, effects: RunEffects = {}): Promise<number> {
  if (opts.dryRun) return (await import('../schedule/plan.js')).dryRunCommand(opts, { pull: [], render: 'changed', distribute: true, force: opts.force }, effects.out ?? ((s) => process.stdout.write(`${s}\n`)), effects.env);
  const ctx = await resolveContext(opts, effects.env);
  const now = effects.now ?? (() => new Date());
  return withWarehouse(ctx, async (wh) => {
    const c = { loaded: ctx.loaded, wh, outputDir: ctx.outputDir };
    const info = (l: string) => log.info(l);
    const progress = (w: string, t: number) => log.progress(w, t);
    const pulled = await pull(c, { force: opts.force, trigger: 'run' }, { log: info, now, progress });
    const failed = pulled.filter((r) => r.status === 'failed').length;
    const changed = pulled.some((r) => r.status === 'loaded');
    await markAbandonedBriefRuns(wh, now, info);
    const briefs = ctx.loaded.config.briefs.filter((b) => opts.force || changed || !existsSync(path.join(ctx.outputDir, 'briefs', b.id, 'latest')));
    for (const b of ctx.loaded.config.briefs) if (!briefs.includes(b)) log.info(`report ${b.id} = unchanged inputs, not regenerated (--force to regenerate)`);
    const rendered = briefs.length > 0 ? await renderRecorded(c, briefs.map((b) => b.id), { trigger: 'run' }, { log: info, now, progress }) : [];
    const renderFailed = rendered.filter((r) => r.status === 'failed').length;
    // Every brief, not only the ones rendered now: a delivery that failed on an earlier run is retried.
    const sent = await distribute({ loaded: ctx.loaded, wh }, {}, { log: info, now, ...effects.distribute });
    const sendFailed = sent.filter((d) => d.outcome === 'failed').length;
    log.info(
      `run: ${pulled.length} sources (${failed} failed), ${rendered.length} briefs rendered (${renderFailed} failed)${ctx.loaded.config.distribute.length > 0 ? `, deliveries: ${describeDeliveries(sent)}` : ''}`,
    );
    return failed + renderFailed + sendFailed > 0 ? 1 : 0;
  });
}
