// `tradebrief schedule`: the long-running scheduler for containers. Runs until SIGTERM or SIGINT,
// then stops taking work, lets the unit in progress finish within the grace period, and exits 0.
import { resolveContext, withWarehouse, type GlobalOptions } from '../context.js';
import { ConfigError } from '../errors.js';
import type { Logger } from '../log.js';
import { Scheduler, type SchedulerEffects } from '../schedule/scheduler.js';

export interface ScheduleCommandOptions extends GlobalOptions {
  /** Seconds a stop waits for the job in progress (default 25: inside Kubernetes' 30 s termination grace). */
  grace?: string;
  /** Skip the start-up catch-up of overdue jobs. */
  catchUp?: boolean;
}

export interface ScheduleCommandEffects extends SchedulerEffects {
  /** Resolves when the scheduler should stop. Default: the first SIGTERM or SIGINT. */
  stopSignal?: Promise<string>;
}

export async function scheduleCommand(opts: ScheduleCommandOptions, log: Logger, effects: ScheduleCommandEffects = {}): Promise<number> {
  const graceS = opts.grace === undefined ? 25 : Number(opts.grace);
  if (!Number.isFinite(graceS) || graceS < 0) throw new ConfigError(`--grace: "${opts.grace}" is not a number of seconds`);
  const ctx = await resolveContext(opts);
  // Listen before anything slow, so a stop during start-up is not lost.
  const stopSignal = effects.stopSignal ?? signalled();
  return withWarehouse(ctx, async (wh) => {
    const scheduler = new Scheduler({ loaded: ctx.loaded, wh, outputDir: ctx.outputDir }, { catchUp: opts.catchUp ?? true }, { log: (l) => log.info(l), ...effects });
    let failure: { error: unknown } | null = null;
    const started = scheduler.start().catch((error: unknown) => {
      failure = { error };
    });
    const why = await Promise.race([stopSignal, started.then(() => (failure ? 'error' : stopSignal))]);
    if (failure) {
      await scheduler.stop(0);
      throw (failure as { error: unknown }).error;
    }
    log.info(`schedule: ${why} received; stopping`);
    const clean = await scheduler.stop(graceS * 1000);
    await started;
    log.info(clean ? 'schedule: stopped; every job finished' : 'schedule: stopped after the grace period; unfinished pulls rolled back and are marked abandoned on the next start');
    return 0;
  });
}

/** The first SIGTERM or SIGINT; a second one exits at once (an impatient Ctrl-C). */
function signalled(): Promise<string> {
  return new Promise((resolve) => {
    let seen = false;
    const on = (sig: NodeJS.Signals) => {
      if (seen) process.exit(130);
      seen = true;
      resolve(sig);
    };
    process.on('SIGTERM', on);
    process.on('SIGINT', on);
  });
}
