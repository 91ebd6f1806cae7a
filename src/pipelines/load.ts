// Generic over the four fact tables, whose row types differ: kysely is used as Kysely<any> here and
// the rows are checked by the FACT_KEYS contract instead.
/* eslint-disable @typescript-eslint/no-explicit-any */
// Facts → warehouse, inside the caller's transaction: the warehouse holds either the old or the new
// state of a source, never a mix. Idempotent on the natural key: a row identical to what is stored is
// not written again; a changed value updates the row and records the old one in `revision`.
// Facts a new file no longer carries are kept (merge, not replace): a monthly release that only
// repeats the latest months must not erase the earlier ones.
import type { Kysely, Transaction } from 'kysely';
import { FACT_KEYS, FACT_VALUE_COLUMN, type Database, type FactTableName } from '../warehouse/database.js';
import { parseUnit } from './lexicon/index.js';
import type { Fact, Reject } from './types.js';

export interface LoadInput {
  sourceId: string;
  runId: number;
  sha256: string;
  facts: readonly Fact[];
  rejects: readonly Reject[];
  /** ISO timestamp for revisions. */
  now: string;
}

export interface LoadCounts {
  /** Rows written: new plus changed. */
  written: number;
  inserted: number;
  /** Rows whose value changed (each has a revision row). */
  revised: number;
  /** Rows identical to what was stored. */
  unchanged: number;
  /** Currencies whose rates this load changed (for refreshUsd). */
  fxChanged: string[];
}

type Row = Record<string, string | number | null>;

const NON_KEY: Record<FactTableName, readonly string[]> = {
  trade_flow: ['value', 'unit', 'currency', 'value_usd', 'illustrative', 'run_id', 'cell'],
  investment_flow: ['value', 'unit', 'currency', 'value_usd', 'illustrative', 'run_id', 'cell'],
  indicator: ['value', 'unit', 'currency', 'value_usd', 'illustrative', 'run_id', 'cell'],
  fx_rate: ['per_usd', 'run_id', 'cell'],
};

/** Columns compared to decide whether a stored row changed (run_id is lineage, not content). */
const CONTENT: Record<FactTableName, readonly string[]> = {
  trade_flow: ['value', 'unit', 'currency', 'value_usd', 'illustrative', 'cell'],
  investment_flow: ['value', 'unit', 'currency', 'value_usd', 'illustrative', 'cell'],
  indicator: ['value', 'unit', 'currency', 'value_usd', 'illustrative', 'cell'],
  fx_rate: ['per_usd', 'cell'],
};

export function keyOf(table: FactTableName, row: Row): string {
  return FACT_KEYS[table].map((k) => String(row[k])).join('|');
}

function toRow(f: Fact, input: LoadInput): Row {
  const cell = `${input.sha256}#${f.cell}`;
  if (f.table === 'fx_rate') {
    return { currency: f.currency, period: f.period, source_id: input.sourceId, per_usd: f.per_usd, run_id: input.runId, cell };
  }
  const { table: _t, illustrative, cell: _c, ...rest } = f;
  return { ...rest, source_id: input.sourceId, illustrative: illustrative ? 1 : 0, run_id: input.runId, cell } as Row;
}

function sameNumber(a: unknown, b: unknown): boolean {
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
  const x = Number(a);
  const y = Number(b);
  return x === y || Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(x), Math.abs(y));
}

function differs(table: FactTableName, old: Row, row: Row): boolean {
  return CONTENT[table].some((c) => (typeof row[c] === 'number' || typeof old[c] === 'number' ? !sameNumber(old[c], row[c]) : (old[c] ?? null) !== (row[c] ?? null)));
}

export async function loadFacts(trx: Transaction<Database> | Kysely<Database>, input: LoadInput): Promise<LoadCounts> {
  const counts: LoadCounts = { written: 0, inserted: 0, revised: 0, unchanged: 0, fxChanged: [] };
  const byTable = new Map<FactTableName, Row[]>();
  for (const f of input.facts) {
    const rows = byTable.get(f.table) ?? [];
    rows.push(toRow(f, input));
    byTable.set(f.table, rows);
  }
  const db = trx as unknown as Kysely<any>;
  const revisions: Row[] = [];
  const fxChanged = new Set<string>();

  for (const [table, rows] of byTable) {
    const existing = new Map<string, Row>();
    const stored = (await db.selectFrom(table).selectAll().where('source_id', '=', input.sourceId).execute()) as Row[];
    for (const s of stored) existing.set(keyOf(table, s), s);
    const write: Row[] = [];
    const valueCol = FACT_VALUE_COLUMN[table];
    for (const row of rows) {
      const key = keyOf(table, row);
      const old = existing.get(key);
      if (!old) {
        write.push(row);
        counts.inserted++;
        if (table === 'fx_rate') fxChanged.add(String(row.currency));
      } else if (differs(table, old, row)) {
        write.push(row);
        if (!sameNumber(old[valueCol], row[valueCol])) {
          counts.revised++;
          revisions.push({
            table_name: table,
            key,
            new_run_id: input.runId,
            old_value: old[valueCol] as number,
            new_value: row[valueCol] as number,
            old_run_id: old.run_id as number,
            revised_at: input.now,
          });
          if (table === 'fx_rate') fxChanged.add(String(row.currency));
        }
      } else {
        counts.unchanged++;
      }
    }
    await upsert(db, table, FACT_KEYS[table], NON_KEY[table], write);
    counts.written += write.length;
  }
  await insertChunked(db, 'revision', revisions);
  await insertChunked(
    db,
    'reject',
    input.rejects.map((r) => ({ run_id: input.runId, cell: `${input.sha256}#${r.cell}`, reason: r.reason.slice(0, 500), raw: r.raw === null ? null : r.raw.slice(0, 500) })),
  );
  counts.fxChanged = [...fxChanged];
  return counts;
}

/** Largest multi-row statement: both SQLite (32,766) and PostgreSQL (65,535) bind limits hold. */
const MAX_PARAMS = 30_000;

async function upsert(db: Kysely<any>, table: string, keys: readonly string[], cols: readonly string[], rows: Row[]): Promise<void> {
  if (rows.length === 0) return;
  const per = Math.max(1, Math.floor(MAX_PARAMS / (keys.length + cols.length)));
  for (let i = 0; i < rows.length; i += per) {
    const chunk = rows.slice(i, i + per);
    await db
      .insertInto(table)
      .values(chunk)
      .onConflict((oc) => oc.columns(keys as string[]).doUpdateSet(Object.fromEntries(cols.map((c) => [c, (eb: any) => eb.ref(`excluded.${c}`)]))))
      .execute();
  }
}

async function insertChunked(db: Kysely<any>, table: string, rows: Row[]): Promise<void> {
  if (rows.length === 0) return;
  const per = Math.max(1, Math.floor(MAX_PARAMS / Object.keys(rows[0]!).length));
  for (let i = 0; i < rows.length; i += per) {
    await db.insertInto(table).values(rows.slice(i, i + per)).onConflict((oc) => oc.doNothing()).execute();
  }
}

/**
 * Recomputes value_usd of every money fact in `currencies` after their FX rates changed, so a fact
 * loaded before its rate (or under an old rate) carries the current conversion. NULL where a rate is
 * still missing.
 */
export async function refreshUsd(
  trx: Transaction<Database> | Kysely<Database>,
  currencies: readonly string[],
  fx: (currency: string, year: number) => number | null,
): Promise<number> {
  if (currencies.length === 0) return 0;
  const db = trx as unknown as Kysely<any>;
  let updated = 0;
  for (const table of ['trade_flow', 'investment_flow', 'indicator'] as const) {
    const rows = (await db.selectFrom(table).selectAll().where('currency', 'in', currencies as string[]).execute()) as Row[];
    for (const row of rows) {
      const unit = parseUnit(String(row.unit));
      if (!unit || unit.kind !== 'money') continue;
      const perUsd = fx(String(row.currency), Number.parseInt(String(row.period).slice(0, 4), 10));
      const usd = perUsd ? (Number(row.value) * unit.scale) / perUsd : null;
      if (sameNumber(usd, row.value_usd)) continue;
      let q = db.updateTable(table).set({ value_usd: usd });
      for (const k of FACT_KEYS[table]) q = q.where(k, '=', row[k]);
      await q.execute();
      updated++;
    }
  }
  return updated;
}
