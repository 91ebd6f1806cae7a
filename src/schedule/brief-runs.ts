// Brief renders recorded in `brief_run`, as ingest_run records source pulls: `run` and the scheduler
// render through here so `status` can show each brief's last render and distribution knows which
// files and which content to send.
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import type { LoadedConfig } from '../config/load.js';
import { redactSecrets } from '../errors.js';
import type { BriefDocument } from '../reports/document.js';
import type { BriefResult, ReportEffects, ReportOptions } from '../reports/report.js';
import type { Warehouse } from '../warehouse/dialect.js';
import { markAbandonedRuns } from '../warehouse/abandoned.js';

export interface RecordedBrief extends BriefResult {
  /** brief_run.id of this render. */
  runId: number;
  /** Hash of what the brief says; null when the render failed. */
  contentSha256: string | null;
}

export interface BriefRunContext {
  loaded: LoadedConfig;
  wh: Warehouse;
  outputDir: string;
}

/** Renders the briefs one by one, each recorded in brief_run (`running` first, so a killed render is visible). */
export async function renderRecorded(
  ctx: BriefRunContext,
  ids: readonly string[],
  opts: ReportOptions & { trigger: string },
  effects: ReportEffects = {},
): Promise<RecordedBrief[]> {
  const now = effects.now ?? (() => new Date());
  const out: RecordedBrief[] = [];
  for (const id of ids) {
    const row = await ctx.wh.db
      .insertInto('brief_run')
      .values({ brief_id: id, trigger: opts.trigger, started_at: now().toISOString(), status: 'running', pid: process.pid, host: hostname() })
      .returning('id')
      .executeTakeFirstOrThrow();
    let result: BriefResult;
    try {
      // Imported here: pdfmake, vega and exceljs are heavy, and a run that renders nothing never needs them.
      const { renderBriefs } = await import('../reports/report.js');
      [result] = (await renderBriefs(ctx, [id], opts, effects)) as [BriefResult];
    } catch (e) {
      await ctx.wh.db
        .updateTable('brief_run')
        .set({ status: 'failed', finished_at: now().toISOString(), message: redactSecrets(e instanceof Error ? e.message : String(e), ctx.loaded.secrets).slice(0, 2000) })
        .where('id', '=', row.id)
        .execute();
      throw e;
    }
    const contentSha256 = result.status === 'rendered' ? contentHash(result.documents) : null;
    await ctx.wh.db
      .updateTable('brief_run')
      .set({
        status: result.status,
        finished_at: now().toISOString(),
        dir: result.dir,
        files: JSON.stringify(result.files),
        content_sha256: contentSha256,
        message: result.status === 'rendered' ? null : redactSecrets(result.message, ctx.loaded.secrets).slice(0, 2000),
      })
      .where('id', '=', row.id)
      .execute();
    out.push({ ...result, runId: row.id, contentSha256 });
  }
  return out;
}

/**
 * Keys that change with every render or reload but not with what the brief says: the generation
 * time, and the run ids and fetch times in the provenance (and in the Data and methods table).
 */
const VOLATILE = new Set(['generatedAt', 'run_id', 'fetched_at', 'fetchedAt', 'run']);

/**
 * sha256 of the documents without their generation time and the run ids in their provenance: two
 * renders that say the same thing hash the same (the PDF and workbook bytes carry timestamps and
 * do not), so an unchanged brief is not sent again.
 */
export function contentHash(documents: readonly BriefDocument[]): string {
  return createHash('sha256').update(canonical(documents)).digest('hex');
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const keys = Object.keys(value)
      .filter((k) => !VOLATILE.has(k) && (value as Record<string, unknown>)[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** The newest successful render of a brief, with its files. */
export async function latestRendered(wh: Warehouse, briefId: string) {
  const row = await wh.db
    .selectFrom('brief_run')
    .selectAll()
    .where('brief_id', '=', briefId)
    .where('status', '=', 'rendered')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row || !row.dir || !row.content_sha256) return null;
  return { ...row, dir: row.dir, content_sha256: row.content_sha256, files: JSON.parse(row.files ?? '[]') as BriefResult['files'] };
}

/** Renders left `running` by a stopped process are marked `abandoned`; their temp folder never replaced the brief. */
export function markAbandonedBriefRuns(wh: Warehouse, now: () => Date, log: (line: string) => void): Promise<number> {
  return markAbandonedRuns(
    wh,
    {
      table: 'brief_run',
      unit: 'brief_id',
      message: 'the process rendering this brief stopped before it finished; the previous brief stayed in place',
      describe: (id, run) => `report ${id}: render ${run} was left running by a stopped process; marked abandoned`,
    },
    now,
    log,
  );
}
