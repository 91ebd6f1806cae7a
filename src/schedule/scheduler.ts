// The long-running scheduler (`tradebrief schedule`): one job per scheduled source (`source:<id>`)
// and one per brief (`brief:<id>`). A source job pulls; when it loaded new content the briefs
// regenerate and are distributed, else pending deliveries are retried. A brief job renders and
// distributes (on its own schedule, or after a pull that changed its inputs).
//
// Rules, each a test in tests/schedule/:
// - a job never overlaps itself: a tick while it runs is skipped and logged, not queued (a change of
//   inputs while a brief renders is remembered and renders once more afterwards);
// - a job runs under a warehouse lock, and records the tick it ran for, so replicas never run one
//   job at once nor one tick twice;
// - at start, a source (or brief) overdue by its schedule runs once, however many ticks it missed;
// - stop() takes no new work and waits for the unit in progress up to a grace period, then aborts
//   downloads; a pull's transaction either commits or rolls back, never half-writes.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LoadedConfig } from '../config/load.js';
import { describeDeliveries, distribute, type DistributeEffects, type DeliveryResult } from '../distribute/index.js';
import { markAbandoned, pull, type UnitResult } from '../pipelines/run.js';
import { ping, type Warehouse } from '../warehouse/dialect.js';
import { markAbandonedBriefRuns, renderRecorded, type RecordedBrief } from './brief-runs.js';
import { checkCron, missedTick, nextTick, nodeCron, type CronLike } from './cron.js';

export type JobKind = 'source' | 'brief';

/** Why a job was asked to run. */
export type Trigger = 'schedule' | 'catch-up' | 'inputs changed';

/** What the scheduler did, for logs and tests (one event per decision). */
export type SchedulerEvent =
  | { type: 'started'; jobs: { name: string; schedule: string | null; next: string | null }[] }
  | { type: 'run'; job: string; trigger: Trigger; tick: string | null }
  | { type: 'done'; job: string; trigger: Trigger; ok: boolean; summary: string }
  | { type: 'skipped'; job: string; trigger: Trigger; reason: 'overlap' | 'locked' | 'tick already run' | 'up to date' | 'stopping' }
  | { type: 'stopping'; running: string[] }
  | { type: 'stopped'; clean: boolean };

export interface SchedulerContext {
  loaded: LoadedConfig;
  wh: Warehouse;
  outputDir: string;
}

export interface SchedulerOptions {
  /** Run overdue jobs once at start. Default true: a container that was down catches up. */
  catchUp?: boolean;
  /** Write `<output>/scheduler.heartbeat` this often (ms) after a warehouse ping, for the container HEALTHCHECK. Default 30 s; 0 turns it off. */
  heartbeatMs?: number;
}

export interface SchedulerEffects {
  /** The cron library; node-cron 4 by default. */
  cron?: CronLike;
  /** Clock for catch-up, records and the ledger. Default: the system clock. */
  now?: () => Date;
  /** One line per event. Default: nothing. */
  log?: (line: string) => void;
  /** Every decision, structured (tests). */
  onEvent?: (e: SchedulerEvent) => void;
  /** Passed to distribute() (tests replace targets). */
  distribute?: Pick<DistributeEffects, 'targets'>;
}

interface Job {
  name: string;
  kind: JobKind;
  id: string;
  schedule: string | null;
  busy: Promise<void> | null;
  /** Inputs changed while the brief rendered: render once more when it finishes. */
  again: boolean;
}

export class Scheduler {
  private readonly jobs = new Map<string, Job>();
  private readonly tasks: { stop(): unknown }[] = [];
  private readonly abort = new AbortController();
  private stopping = false;
  private heartbeat: NodeJS.Timeout | undefined;
  private readonly now: () => Date;
  private readonly log: (line: string) => void;
  private readonly timezone: string;

  constructor(
    private readonly ctx: SchedulerContext,
    private readonly options: SchedulerOptions = {},
    private readonly effects: SchedulerEffects = {},
  ) {
    this.now = effects.now ?? (() => new Date());
    this.log = effects.log ?? (() => undefined);
    const { config } = ctx.loaded;
    this.timezone = config.timezone;
    config.sources.forEach((s, i) => {
      if (!s.enabled || !s.schedule) return;
      checkCron(s.schedule, `${path.basename(ctx.loaded.file)}: sources[${i}].schedule`);
      this.jobs.set(`source:${s.id}`, { name: `source:${s.id}`, kind: 'source', id: s.id, schedule: s.schedule, busy: null, again: false });
    });
    config.briefs.forEach((b, i) => {
      if (b.schedule) checkCron(b.schedule, `${path.basename(ctx.loaded.file)}: briefs[${i}].schedule`);
      this.jobs.set(`brief:${b.id}`, { name: `brief:${b.id}`, kind: 'brief', id: b.id, schedule: b.schedule ?? null, busy: null, again: false });
    });
  }

  /** Jobs and their next tick, e.g. for `status` and the start line. */
  plan(): { name: string; schedule: string | null; next: string | null }[] {
    return [...this.jobs.values()].map((j) => ({ name: j.name, schedule: j.schedule, next: j.schedule ? (nextTick(j.schedule, this.timezone, this.now())?.toISOString() ?? null) : null }));
  }

  /** Starts the cron tasks, then runs overdue jobs once (sources first, FX before the rest, as `pull` orders them). */
  async start(): Promise<void> {
    const cron = this.effects.cron ?? nodeCron;
    await markAbandoned(this.ctx.wh, this.now, this.log);
    await markAbandonedBriefRuns(this.ctx.wh, this.now, this.log);
    if (this.stopping) return;
    for (const job of this.jobs.values()) {
      if (!job.schedule) continue;
      this.tasks.push(cron.schedule(job.schedule, (tick) => this.trigger(job.name, 'schedule', tick), { timezone: this.timezone, name: job.name, log: this.log }));
    }
    const plan = this.plan();
    this.emit({ type: 'started', jobs: plan });
    const scheduled = plan.filter((p) => p.schedule);
    this.log(`schedule: ${scheduled.length} scheduled job${scheduled.length === 1 ? '' : 's'} in ${this.timezone}${scheduled.map((p) => `; ${p.name} "${p.schedule}" next ${p.next ?? 'never'}`).join('')}`);
    if ((this.options.heartbeatMs ?? 30_000) > 0) {
      await this.beat();
    }
    if (this.stopping) return;
    // Also what keeps the process alive when no job has a schedule (a brief-only config).
    this.heartbeat = setInterval(() => void ((this.options.heartbeatMs ?? 30_000) > 0 && this.beat()), this.options.heartbeatMs || 30_000);
    if (this.options.catchUp ?? true) await this.catchUp();
  }

  /**
   * Runs a job now unless it is running (then a tick is skipped; a change of inputs is remembered),
   * the scheduler is stopping, or another process holds its lock. Resolves when the job finished.
   */
  async trigger(name: string, trigger: Trigger, tick: Date | null = null): Promise<void> {
    const job = this.jobs.get(name);
    if (!job) return;
    if (this.stopping) return this.skip(job, trigger, 'stopping');
    if (job.busy) {
      if (trigger === 'inputs changed') job.again = true;
      else this.skip(job, trigger, 'overlap', tick);
      return;
    }
    const p = this.runLocked(job, trigger, tick).finally(() => {
      job.busy = null;
    });
    job.busy = p;
    await p;
    if (job.again && !this.stopping) {
      job.again = false;
      await this.trigger(name, 'inputs changed');
    }
  }

  /**
   * Stops taking work and waits for running jobs up to `graceMs`; then aborts downloads in flight
   * and waits briefly for the pulls to roll back. Resolves `true` when every job finished within the grace period.
   */
  async stop(graceMs = 25_000): Promise<boolean> {
    this.stopping = true;
    for (const t of this.tasks) t.stop();
    clearInterval(this.heartbeat);
    const running = [...this.jobs.values()].filter((j) => j.busy);
    this.emit({ type: 'stopping', running: running.map((j) => j.name) });
    if (running.length > 0) this.log(`schedule: stopping; waiting up to ${Math.round(graceMs / 1000)}s for ${running.map((j) => j.name).join(', ')}`);
    const all = Promise.allSettled(running.map((j) => j.busy)).then(() => true);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), graceMs);
    });
    const clean = await Promise.race([all, timeout]);
    clearTimeout(timer);
    if (!clean) {
      this.log('schedule: grace period over; aborting downloads in flight (their transactions roll back)');
      this.abort.abort();
      // An aborted pull records itself as failed; give it a moment to, so nothing is left `running`.
      await Promise.race([all, new Promise<false>((resolve) => setTimeout(() => resolve(false), 2000).unref())]);
    }
    this.emit({ type: 'stopped', clean });
    return clean;
  }

  private async catchUp(): Promise<void> {
    const now = this.now();
    const order = this.ctx.loaded.config.sources.map((s) => s.id);
    const fxFirst = [...this.jobs.values()]
      .filter((j) => j.kind === 'source')
      .sort((a, b) => this.fxRank(a.id) - this.fxRank(b.id) || order.indexOf(a.id) - order.indexOf(b.id));
    for (const job of [...fxFirst, ...[...this.jobs.values()].filter((j) => j.kind === 'brief' && j.schedule)]) {
      if (this.stopping) return;
      if (await this.overdue(job, now)) await this.trigger(job.name, 'catch-up');
    }
  }

  private fxRank(sourceId: string): number {
    return this.ctx.loaded.config.sources.find((s) => s.id === sourceId)?.dataset === 'fx' ? 0 : 1;
  }

  /** A job is overdue when it never ran, or a tick of its schedule fell after its last attempt. */
  private async overdue(job: Job, now: Date): Promise<boolean> {
    if (!job.schedule) return false;
    const last =
      job.kind === 'source'
        ? await this.ctx.wh.db.selectFrom('ingest_run').select('started_at').where('source_id', '=', job.id).where('status', 'in', ['loaded', 'unchanged', 'failed']).orderBy('id', 'desc').limit(1).executeTakeFirst()
        : await this.ctx.wh.db.selectFrom('brief_run').select('started_at').where('brief_id', '=', job.id).where('status', 'in', ['rendered', 'failed']).orderBy('id', 'desc').limit(1).executeTakeFirst();
    return !last || missedTick(job.schedule, this.timezone, new Date(last.started_at), now);
  }

  private async runLocked(job: Job, trigger: Trigger, tick: Date | null): Promise<void> {
    let lock;
    try {
      lock = await this.ctx.wh.tryLock(job.name);
    } catch (e) {
      this.emit({ type: 'done', job: job.name, trigger, ok: false, summary: `cannot take the lock: ${(e as Error).message}` });
      this.log(`schedule ${job.name} ✗ cannot take the lock: ${(e as Error).message}`);
      return;
    }
    if (!lock) return this.skip(job, trigger, 'locked', tick);
    try {
      // Under the lock: a replica that fired for the same tick a moment later finds it taken;
      // a catch-up finds a job another replica just ran no longer overdue.
      if (tick && !(await this.claimTick(job.name, tick))) return this.skip(job, trigger, 'tick already run', tick);
      if (trigger === 'catch-up' && !(await this.overdue(job, this.now()))) return this.skip(job, trigger, 'up to date');
      this.emit({ type: 'run', job: job.name, trigger, tick: tick?.toISOString() ?? null });
      this.log(`schedule ${job.name} ▶ ${trigger}${tick ? ` (tick ${tick.toISOString()})` : ''}`);
      const { ok, summary } = job.kind === 'source' ? await this.runSource(job) : await this.runBrief(job, trigger);
      this.emit({ type: 'done', job: job.name, trigger, ok, summary });
      this.log(`schedule ${job.name} ${ok ? '✓' : '✗'} ${summary}`);
    } catch (e) {
      const summary = `unexpected error: ${e instanceof Error ? e.message : String(e)}`;
      this.emit({ type: 'done', job: job.name, trigger, ok: false, summary });
      this.log(`schedule ${job.name} ✗ ${summary}`);
    } finally {
      await lock.release().catch(() => undefined);
    }
  }

  /** Records `tick` as run for `name` unless it (or a later tick) already was. Called under the job's lock. */
  private async claimTick(name: string, tick: Date): Promise<boolean> {
    const iso = tick.toISOString();
    const row = await this.ctx.wh.db.selectFrom('job_lock').select('last_tick').where('name', '=', name).executeTakeFirst();
    if (row?.last_tick && row.last_tick >= iso) return false;
    await this.ctx.wh.db
      .insertInto('job_lock')
      .values({ name, holder: null, acquired_at: null, expires_at: null, last_tick: iso })
      .onConflict((oc) => oc.column('name').doUpdateSet({ last_tick: iso }))
      .execute();
    return true;
  }

  private async runSource(job: Job): Promise<{ ok: boolean; summary: string }> {
    const [r] = (await pull(this.ctx, { only: [job.id], trigger: 'schedule' }, { now: this.now, log: this.log, signal: this.abort.signal })) as UnitResult[];
    if (!r) return { ok: true, summary: 'nothing pulled (stopping)' };
    if (r.status === 'loaded' && !this.stopping) {
      // Briefs read every dataset, so new content in any source regenerates every brief. They run
      // as their own jobs (own lock, no overlap) but this job waits for them, so stop() does too.
      await Promise.all(this.ctx.loaded.config.briefs.map((b) => this.trigger(`brief:${b.id}`, 'inputs changed')));
    } else if (!this.stopping) {
      await this.retryDeliveries();
    }
    return { ok: r.status !== 'failed', summary: `pull ${r.status}${r.status === 'loaded' ? ` ${r.rowsLoaded} facts` : ''}${r.status === 'failed' ? `: ${r.message}` : ''}` };
  }

  private async runBrief(job: Job, trigger: Trigger): Promise<{ ok: boolean; summary: string }> {
    const [r] = (await renderRecorded(this.ctx, [job.id], { trigger: trigger === 'schedule' ? 'schedule' : trigger }, { now: this.now, log: this.log })) as RecordedBrief[];
    if (!r || r.status !== 'rendered') return { ok: false, summary: `render failed: ${r?.message ?? 'no result'}` };
    const sent = await this.distribute([job.id]);
    const failed = sent.filter((d) => d.outcome === 'failed').length;
    return { ok: failed === 0, summary: `rendered ${r.files.map((f) => f.name).join(', ')}; ${describeDeliveries(sent)}` };
  }

  private async retryDeliveries(): Promise<void> {
    await this.distribute([]);
  }

  private distribute(only: string[]): Promise<DeliveryResult[]> {
    return distribute(this.ctx, { only }, { now: this.now, log: this.log, ...this.effects.distribute });
  }

  private skip(job: Job, trigger: Trigger, reason: Extract<SchedulerEvent, { type: 'skipped' }>['reason'], tick: Date | null = null): void {
    this.emit({ type: 'skipped', job: job.name, trigger, reason });
    const why = {
      overlap: 'the previous run is still going',
      locked: 'another scheduler holds its lock',
      'tick already run': 'another scheduler ran this tick',
      'up to date': 'another scheduler caught it up',
      stopping: 'the scheduler is stopping',
    }[reason];
    this.log(`schedule ${job.name} skipped ${trigger}${tick ? ` (tick ${tick.toISOString()})` : ''}: ${why}`);
  }

  private emit(e: SchedulerEvent): void {
    this.effects.onEvent?.(e);
  }

  /** Writes the heartbeat file the container HEALTHCHECK reads, after a warehouse round trip succeeds. */
  private async beat(): Promise<void> {
    try {
      await ping(this.ctx.wh);
      const file = path.join(this.ctx.outputDir, 'scheduler.heartbeat');
      await mkdir(this.ctx.outputDir, { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      await writeFile(tmp, `${JSON.stringify({ pid: process.pid, at: this.now().toISOString(), jobs: this.plan() })}\n`);
      await rename(tmp, file);
    } catch (e) {
      this.log(`schedule: heartbeat failed: ${(e as Error).message}`);
    }
  }
}
