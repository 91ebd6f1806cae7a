// Distribution: the latest rendered content of each brief goes to each of its targets once. The
// ledger (`delivery`, keyed by brief, target and content sha256) records what went where: delivered
// content is never sent again, a failed send is retried on a later run after a backoff, and a newer
// content supersedes an older one still waiting. Distribution only reads the brief's files.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { LoadedConfig } from '../config/load.js';
import type { DistributeTarget } from '../config/schema.js';
import { UserError, redactSecrets } from '../errors.js';
import type { BriefDocument, Lang } from '../reports/document.js';
import { latestRendered } from '../schedule/brief-runs.js';
import type { Warehouse } from '../warehouse/dialect.js';
import { deliverEmail } from './email.js';
import { deliverFolder } from './folder.js';
import type { Deliver, KeyFigureLine, Parcel } from './types.js';
import { deliverWebhook } from './webhook.js';

/** The targets, listed explicitly (STYLE.md habit 1); the key is the config's `type`. */
export const TARGETS: { [K in DistributeTarget['type']]: Deliver<Extract<DistributeTarget, { type: K }>> } = {
  folder: deliverFolder,
  email: deliverEmail,
  webhook: deliverWebhook,
};

export type DeliveryOutcome =
  /** Sent now. */
  | 'delivered'
  /** Tried now and failed; retried on a later run. */
  | 'failed'
  /** This content went to this target before. */
  | 'already delivered'
  /** Failed before; the backoff has not passed yet. */
  | 'waiting'
  /** --dry-run: would be sent. */
  | 'would deliver'
  /** Another process is distributing this brief right now. */
  | 'locked';

export interface DeliveryResult {
  briefId: string;
  targetId: string;
  contentSha256: string;
  outcome: DeliveryOutcome;
  /** One line, secrets removed. */
  message: string;
}

export interface DistributeOptions {
  /** Brief ids; default every brief in the config. */
  only?: readonly string[];
  /** Decide and report, send and write nothing. */
  dryRun?: boolean;
}

export interface DistributeEffects {
  /** Clock for the ledger and the backoff; frozen in tests. Default: the system clock. */
  now?: () => Date;
  /** One line per delivery. Default: nothing. */
  log?: (line: string) => void;
  /** Replaces targets by type (tests). Default: TARGETS. */
  targets?: Partial<typeof TARGETS>;
}

export interface DistributeContext {
  loaded: LoadedConfig;
  wh: Warehouse;
}

/** Wait after the n-th failed attempt: 5 min, 10, 20, … capped at 6 hours. */
export function backoffMs(attempts: number): number {
  return Math.min(5 * 60_000 * 2 ** Math.max(0, attempts - 1), 6 * 3600_000);
}

export async function distribute(ctx: DistributeContext, opts: DistributeOptions = {}, effects: DistributeEffects = {}): Promise<DeliveryResult[]> {
  const now = effects.now ?? (() => new Date());
  const log = effects.log ?? (() => undefined);
  const { config, secrets, baseDir } = ctx.loaded;
  const results: DeliveryResult[] = [];
  if (config.distribute.length === 0) return results;
  const briefs = config.briefs.filter((b) => !opts.only?.length || opts.only.includes(b.id));
  for (const brief of briefs) {
    const targets = config.distribute.filter((t) => !t.briefs || t.briefs.includes(brief.id));
    if (targets.length === 0) continue;
    const run = await latestRendered(ctx.wh, brief.id);
    if (!run) {
      log(`distribute ${brief.id}: not rendered yet; nothing to send`);
      continue;
    }
    const sha = run.content_sha256;
    // One distributor per brief at a time across processes (a scheduler replica and a manual `run`).
    const lock = opts.dryRun ? null : await ctx.wh.tryLock(`distribute:${brief.id}`);
    if (!opts.dryRun && !lock) {
      for (const t of targets) results.push(report({ briefId: brief.id, targetId: t.id, contentSha256: sha, outcome: 'locked', message: 'another process is distributing this brief' }, log));
      continue;
    }
    try {
      let parcel: Parcel | null = null;
      let parcelError: string | null = null;
      for (const target of targets) {
        const key = { briefId: brief.id, targetId: target.id, contentSha256: sha };
        const row = await ctx.wh.db
          .selectFrom('delivery')
          .selectAll()
          .where('brief_id', '=', brief.id)
          .where('target_id', '=', target.id)
          .where('content_sha256', '=', sha)
          .executeTakeFirst();
        if (row?.status === 'delivered') {
          results.push(report({ ...key, outcome: 'already delivered', message: `sent ${row.delivered_at ?? ''}`.trim() }, log));
          continue;
        }
        const t = now();
        if (row?.status === 'failed' && row.next_attempt_at && row.next_attempt_at > t.toISOString()) {
          results.push(report({ ...key, outcome: 'waiting', message: `attempt ${row.attempts} failed (${row.message ?? ''}); next attempt after ${row.next_attempt_at}` }, log));
          continue;
        }
        if (opts.dryRun) {
          results.push(report({ ...key, outcome: 'would deliver', message: `${target.type} ${row ? `(attempt ${row.attempts + 1})` : ''}`.trim() }, log));
          continue;
        }
        if (!row) {
          await ctx.wh.db
            .insertInto('delivery')
            .values({ brief_id: brief.id, target_id: target.id, content_sha256: sha, brief_run_id: run.id, status: 'pending', attempts: 0, created_at: t.toISOString() })
            .execute();
        }
        const attempts = (row?.attempts ?? 0) + 1;
        let outcome: DeliveryResult;
        try {
          if (!parcel && !parcelError) {
            try {
              parcel = await buildParcel(run, brief.languages[0] ?? 'en');
            } catch (e) {
              parcelError = e instanceof Error ? e.message : String(e);
            }
          }
          if (!parcel) throw new UserError(parcelError ?? 'no parcel');
          const deliver = (effects.targets?.[target.type] ?? TARGETS[target.type]) as Deliver<DistributeTarget>;
          const said = await deliver(target, parcel, { baseDir, secrets }, { now, log });
          outcome = { ...key, outcome: 'delivered', message: redactSecrets(said, secrets) };
          await ctx.wh.db
            .updateTable('delivery')
            .set({ status: 'delivered', attempts, last_attempt_at: t.toISOString(), next_attempt_at: null, delivered_at: now().toISOString(), message: outcome.message.slice(0, 2000) })
            .where('brief_id', '=', brief.id)
            .where('target_id', '=', target.id)
            .where('content_sha256', '=', sha)
            .execute();
          // Older content still waiting for this target will never be wanted now.
          await ctx.wh.db
            .updateTable('delivery')
            .set({ status: 'superseded', next_attempt_at: null })
            .where('brief_id', '=', brief.id)
            .where('target_id', '=', target.id)
            .where('content_sha256', '!=', sha)
            .where('status', 'in', ['pending', 'failed'])
            .execute();
        } catch (e) {
          const raw = e instanceof UserError ? e.message : `${target.type}: ${e instanceof Error ? e.message : String(e)}`;
          const message = redactSecrets(raw, secrets).slice(0, 2000);
          const next = new Date(t.getTime() + backoffMs(attempts)).toISOString();
          outcome = { ...key, outcome: 'failed', message: `${message}; attempt ${attempts}, next after ${next}` };
          await ctx.wh.db
            .updateTable('delivery')
            .set({ status: 'failed', attempts, last_attempt_at: t.toISOString(), next_attempt_at: next, message })
            .where('brief_id', '=', brief.id)
            .where('target_id', '=', target.id)
            .where('content_sha256', '=', sha)
            .execute();
        }
        results.push(report(outcome, log));
      }
    } finally {
      await lock?.release();
    }
  }
  return results;
}

function report(r: DeliveryResult, log: (line: string) => void): DeliveryResult {
  const mark = r.outcome === 'delivered' ? '→' : r.outcome === 'failed' ? '✗' : '=';
  log(`distribute ${r.briefId} ${mark} ${r.targetId} ${r.outcome}${r.message ? `: ${r.message}` : ''}`);
  return r;
}

/** The files of a render and the key figures from its brief.json (the first language's). */
async function buildParcel(run: NonNullable<Awaited<ReturnType<typeof latestRendered>>>, lang: Lang): Promise<Parcel> {
  const files = run.files.map((f) => ({ ...f, path: path.join(run.dir, f.name) }));
  const jsonFile = files.find((f) => f.name === `brief.${lang}.json`) ?? files.find((f) => f.name.endsWith('.json'));
  let doc: Partial<BriefDocument> = {};
  if (jsonFile) {
    try {
      doc = JSON.parse(await readFile(jsonFile.path, 'utf8')) as BriefDocument;
    } catch (e) {
      throw new UserError(`brief ${run.brief_id}: cannot read ${jsonFile.path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); render it again with \`tradebrief report\``);
    }
  }
  const keyFigures: KeyFigureLine[] = [];
  for (const s of doc.sections ?? []) for (const b of s.blocks) if (b.type === 'keyFigures') for (const k of b.items) keyFigures.push({ label: k.label, text: k.text, figureId: k.figureId, ...(k.note ? { note: k.note } : {}) });
  return {
    briefId: run.brief_id,
    briefRunId: run.id,
    date: path.basename(run.dir),
    contentSha256: run.content_sha256,
    dir: run.dir,
    files,
    title: doc.title ?? run.brief_id,
    lang: doc.lang ?? lang,
    generatedAt: doc.generatedAt ?? null,
    keyFigures,
  };
}

/** `2 delivered, 1 failed` — the run's one-line summary of the deliveries. */
export function describeDeliveries(sent: readonly DeliveryResult[]): string {
  if (sent.length === 0) return 'nothing to deliver';
  const by = new Map<string, number>();
  for (const d of sent) by.set(d.outcome, (by.get(d.outcome) ?? 0) + 1);
  return [...by].map(([k, n]) => `${n} ${k}`).join(', ');
}
