import { resolveContext, withWarehouse, type GlobalOptions } from '../context.js';
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
}

export interface StatusReport {
  warehouse: string;
  sources: SourceStatus[];
  rejects: { run_id: number; source_id: string; cell: string; reason: string; raw: string | null }[];
}

export async function collectStatus(wh: Warehouse, sourceIds: { id: string; enabled: boolean; dataset: string }[], rejectLimit = 20): Promise<StatusReport> {
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
  return { warehouse: wh.url, sources, rejects };
}

export function formatStatus(report: StatusReport, showRejects: boolean): string {
  const head = ['source', 'status', 'run', 'finished', 'facts', 'rejected', 'revised', 'message'];
  const rows = report.sources.map((s) => [
    s.enabled ? s.id : `${s.id} (disabled)`,
    s.status,
    s.last_run === null ? '-' : String(s.last_run),
    s.finished_at ? s.finished_at.replace('T', ' ').slice(0, 16) : '-',
    String(s.facts),
    String(s.rows_rejected),
    String(s.rows_revised),
    (s.message ?? '').slice(0, 80),
  ]);
  const lines = [`warehouse: ${report.warehouse}`, '', ...table([head, ...rows])];
  if (showRejects) {
    lines.push('', report.rejects.length ? 'latest rejects:' : 'no rejects recorded');
    for (const r of report.rejects) lines.push(`  run ${r.run_id} ${r.source_id} ${r.cell}: ${r.reason}${r.raw !== null ? ` (raw: ${JSON.stringify(r.raw).slice(0, 60)})` : ''}`);
  }
  return lines.join('\n');
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

export async function statusCommand(opts: GlobalOptions & { rejects?: boolean | string }, out: (s: string) => void): Promise<number> {
  const ctx = resolveContext(opts);
  const limit = opts.rejects === undefined || opts.rejects === false ? 0 : opts.rejects === true ? 20 : Number.parseInt(String(opts.rejects), 10) || 20;
  const report = await withWarehouse(ctx, (wh) => collectStatus(wh, ctx.loaded.config.sources, opts.json ? Math.max(limit, 20) : limit));
  out(opts.json ? JSON.stringify(report, null, 2) : formatStatus(report, limit > 0));
  return 0;
}
