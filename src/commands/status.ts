import type { BriefConfig, DistributeTarget } from '../config/schema.js';
import { resolveContext, withWarehouse, type GlobalOptions } from '../context.js';
import { missedTick, nextTick } from '../schedule/cron.js';
import type { Warehouse } from '../warehouse/dialect.js';

export interface SourceStatus {
  id: string;
  enabled: boolean;
  dataset: string;
  last_run: number | null;
  status: string;
  started_at: string | null;
  finished_at: string | null;
  rows_loaded: number;
  rows_rejected: number;
  rows_revised: number;
  /** Facts this source holds in the warehouse now. */
  facts: number;
  /** The last successful load, so an operator sees how old the data is when the latest run failed. */
  last_loaded_at: string | null;
  message: string | null;
  /** The source's cron schedule, if any. */
  schedule: string | null;
  /** The next tick of the schedule (ISO), or null without one. */
  next_run: string | null;
  /**
   * True when a tick of the schedule passed since the last successful pull (loaded or unchanged), or
   * there never was one — dbt's source freshness, with the schedule as the expectation. False
   * without a schedule.
   */
  stale: boolean;
}

export interface BriefStatus {
  id: string;
  last_run: number | null;
  /** `rendered`, `failed`, `running`, `abandoned` or `never run`. */
  status: string;
  trigger: string | null;
  started_at: string | null;
  finished_at: string | null;
  /** The dated folder of the last successful render. */
  dir: string | null;
  files: string[];
  content_sha256: string | null;
  message: string | null;
  schedule: string | null;
  next_run: string | null;
  /** Briefs regenerate after their sources: stale when a source is stale, or a tick of the brief's own schedule passed since its last render. */
  stale: boolean;
}

export interface DeliveryStatus {
  brief_id: string;
  target_id: string;
  target_type: string | null;
  content_sha256: string;
  status: string;
  attempts: number;
  last_attempt_at: string | null;
  next_attempt_at: string | null;
  delivered_at: string | null;
  message: string | null;
}

export interface StatusReport {
  warehouse: string;
  timezone: string;
  sources: SourceStatus[];
  briefs: BriefStatus[];
  /** The latest delivery per brief and target, and every pending or failed one. */
  deliveries: DeliveryStatus[];
  rejects: { run_id: number; source_id: string; cell: string; reason: string; raw: string | null }[];
}

export interface StatusOptions {
  briefs?: readonly BriefConfig[];
  targets?: readonly DistributeTarget[];
  /** Time zone of the schedules. Default Asia/Shanghai, as the config's. */
  timezone?: string;
  /** "Now" for next run and staleness; frozen in tests. */
  now?: Date;
}

export async function collectStatus(
  wh: Warehouse,
  sourceIds: { id: string; enabled: boolean; dataset: string; schedule?: string | undefined }[],
  rejectLimit = 20,
  options: StatusOptions = {},
): Promise<StatusReport> {
  const timezone = options.timezone ?? 'Asia/Shanghai';
  const now = options.now ?? new Date();
  const sources: SourceStatus[] = [];
  for (const s of sourceIds) {
    const last = await wh.db.selectFrom('ingest_run').selectAll().where('source_id', '=', s.id).orderBy('id', 'desc').limit(1).executeTakeFirst();
    const lastLoaded = await wh.db
      .selectFrom('ingest_run')
      .select('finished_at')
      .where('source_id', '=', s.id)
      .where('status', '=', 'loaded')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    const lastGood = await wh.db
      .selectFrom('ingest_run')
      .select('started_at')
      .where('source_id', '=', s.id)
      .where('status', 'in', ['loaded', 'unchanged'])
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    let facts = 0;
    for (const t of ['trade_flow', 'investment_flow', 'indicator', 'fx_rate'] as const) {
      const r = await wh.db.selectFrom(t).select((eb) => eb.fn.countAll<number>().as('n')).where('source_id', '=', s.id).executeTakeFirst();
      facts += Number(r?.n ?? 0);
    }
    sources.push({
      id: s.id,
      enabled: s.enabled,
      dataset: s.dataset,
      last_run: last?.id ?? null,
      status: last?.status ?? 'never run',
      started_at: last?.started_at ?? null,
      finished_at: last?.finished_at ?? null,
      rows_loaded: last?.rows_loaded ?? 0,
      rows_rejected: last?.rows_rejected ?? 0,
      rows_revised: last?.rows_revised ?? 0,
      facts,
      last_loaded_at: lastLoaded?.finished_at ?? null,
      message: last?.message ?? null,
      schedule: s.schedule ?? null,
      next_run: s.schedule && s.enabled ? (nextTick(s.schedule, timezone, now)?.toISOString() ?? null) : null,
      stale: Boolean(s.schedule && s.enabled && (!lastGood || missedTick(s.schedule, timezone, new Date(lastGood.started_at), now))),
    });
  }
  const anySourceStale = sources.some((s) => s.stale);
  const briefs: BriefStatus[] = [];
  for (const b of options.briefs ?? []) {
    const last = await wh.db.selectFrom('brief_run').selectAll().where('brief_id', '=', b.id).orderBy('id', 'desc').limit(1).executeTakeFirst();
    const good = await wh.db.selectFrom('brief_run').selectAll().where('brief_id', '=', b.id).where('status', '=', 'rendered').orderBy('id', 'desc').limit(1).executeTakeFirst();
    const files = good?.files ? (JSON.parse(good.files) as { name: string }[]).map((f) => f.name) : [];
    briefs.push({
      id: b.id,
      last_run: last?.id ?? null,
      status: last?.status ?? 'never run',
      trigger: last?.trigger ?? null,
      started_at: last?.started_at ?? null,
      finished_at: last?.finished_at ?? null,
      dir: good?.dir ?? null,
      files,
      content_sha256: good?.content_sha256 ?? null,
      message: last?.message ?? null,
      schedule: b.schedule ?? null,
      next_run: b.schedule ? (nextTick(b.schedule, timezone, now)?.toISOString() ?? null) : null,
      stale: anySourceStale || (b.schedule ? !good || missedTick(b.schedule, timezone, new Date(good.started_at), now) : false),
    });
  }
  const types = new Map((options.targets ?? []).map((t) => [t.id, t.type]));
  const rows = await wh.db.selectFrom('delivery').selectAll().orderBy('created_at', 'desc').execute();
  const seen = new Set<string>();
  const deliveries: DeliveryStatus[] = [];
  for (const d of rows) {
    const key = `${d.brief_id}|${d.target_id}`;
    const latest = !seen.has(key);
    seen.add(key);
    if (!latest && d.status !== 'pending' && d.status !== 'failed') continue;
    deliveries.push({
      brief_id: d.brief_id,
      target_id: d.target_id,
      target_type: types.get(d.target_id) ?? null,
      content_sha256: d.content_sha256,
      status: d.status,
      attempts: d.attempts,
      last_attempt_at: d.last_attempt_at,
      next_attempt_at: d.next_attempt_at,
      delivered_at: d.delivered_at,
      message: d.message,
    });
  }
  const rejects =
    rejectLimit > 0
      ? await wh.db
          .selectFrom('reject as j')
          .innerJoin('ingest_run as r', 'r.id', 'j.run_id')
          .select(['j.run_id', 'r.source_id', 'j.cell', 'j.reason', 'j.raw'])
          .orderBy('j.run_id', 'desc')
          .orderBy('j.cell')
          .limit(rejectLimit)
          .execute()
      : [];
  return { warehouse: wh.url, timezone, sources, briefs, deliveries, rejects };
}

export function formatStatus(report: StatusReport, showRejects: boolean): string {
  const head = ['source', 'status', 'run', 'finished', 'facts', 'rejected', 'revised', 'next run', 'fresh', 'message'];
  const rows = report.sources.map((s) => [
    s.enabled ? s.id : `${s.id} (disabled)`,
    s.status,
    s.last_run === null ? '-' : String(s.last_run),
    when(s.finished_at),
    String(s.facts),
    String(s.rows_rejected),
    String(s.rows_revised),
    when(s.next_run),
    s.schedule ? (s.stale ? 'STALE' : 'ok') : '-',
    (s.message ?? '').slice(0, 80),
  ]);
  const lines = [`warehouse: ${report.warehouse}`, '', ...table([head, ...rows])];
  if (report.briefs.length > 0) {
    lines.push('');
    lines.push(
      ...table([
        ['brief', 'status', 'run', 'finished', 'files', 'next run', 'fresh', 'message'],
        ...report.briefs.map((b) => [b.id, b.status, b.last_run === null ? '-' : String(b.last_run), when(b.finished_at), b.files.join(', ') || '-', when(b.next_run), b.stale ? 'STALE' : 'ok', (b.message ?? '').slice(0, 80)]),
      ]),
    );
  }
  if (report.deliveries.length > 0) {
    lines.push('');
    lines.push(
      ...table([
        ['delivery', 'status', 'attempts', 'content', 'last attempt', 'next attempt', 'message'],
        ...report.deliveries.map((d) => [
          `${d.brief_id} → ${d.target_id}`,
          d.status,
          String(d.attempts),
          d.content_sha256.slice(0, 12),
          when(d.last_attempt_at),
          d.status === 'failed' ? when(d.next_attempt_at) : '-',
          (d.message ?? '').slice(0, 80),
        ]),
      ]),
    );
    const waiting = report.deliveries.filter((d) => d.status === 'pending' || d.status === 'failed').length;
    if (waiting > 0) lines.push(`${waiting} deliver${waiting === 1 ? 'y' : 'ies'} pending or failed; the next \`tradebrief run\` (or scheduled pull) retries them after their backoff`);
  }
  if (showRejects) {
    lines.push('', report.rejects.length ? 'latest rejects:' : 'no rejects recorded');
    for (const r of report.rejects) lines.push(`  run ${r.run_id} ${r.source_id} ${r.cell}: ${r.reason}${r.raw !== null ? ` (raw: ${JSON.stringify(r.raw).slice(0, 60)})` : ''}`);
  }
  return lines.join('\n');
}

/** `2026-11-29 06:00` (UTC) or `-`. */
function when(iso: string | null): string {
  return iso ? `${iso.replace('T', ' ').slice(0, 16)}` : '-';
}

/** Left-aligned columns padded to the widest cell (East Asian wide characters count double). */
export function table(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, displayWidth(c))));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat((widths[i] ?? 0) - displayWidth(c)))).join('  ').trimEnd());
}

export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? 2 : 1;
  return w;
}

export async function statusCommand(
  opts: GlobalOptions & { rejects?: boolean | string },
  out: (s: string) => void,
  effects: { now?: () => Date; env?: NodeJS.ProcessEnv } = {},
): Promise<number> {
  const ctx = await resolveContext(opts, effects.env);
  const now = effects.now;
  const limit = opts.rejects === undefined || opts.rejects === false ? 0 : opts.rejects === true ? 20 : Number.parseInt(String(opts.rejects), 10) || 20;
  const { config } = ctx.loaded;
  const report = await withWarehouse(ctx, (wh) =>
    collectStatus(wh, config.sources, opts.json ? Math.max(limit, 20) : limit, { briefs: config.briefs, targets: config.distribute, timezone: config.timezone, now: now?.() }),
  );
  out(opts.json ? JSON.stringify(report, null, 2) : formatStatus(report, limit > 0));
  return 0;
}
