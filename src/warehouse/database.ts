// The warehouse's tables as kysely sees them (the contract in ../shared/DESIGN.md).
// Timestamps are ISO-8601 text on both dialects so they sort and compare the same everywhere;
// `illustrative` is 0/1 on both so analysts' queries port between SQLite and PostgreSQL.
import type { Generated } from 'kysely';

interface FactColumns {
  period: string;
  period_kind: string;
  source_id: string;
  value: number;
  unit: string;
  currency: string | null;
  value_usd: number | null;
  illustrative: number;
  run_id: number;
  cell: string;
}

export interface TradeFlowTable extends FactColumns {
  reporter: string;
  partner: string;
  flow: string;
  product: string;
}

export interface InvestmentFlowTable extends FactColumns {
  host: string;
  investor: string;
  measure: string;
}

export interface IndicatorTable extends FactColumns {
  region: string;
  code: string;
}

export interface FxRateTable {
  currency: string;
  period: string;
  source_id: string;
  per_usd: number;
  run_id: number;
  cell: string;
}

export interface SourceFileTable {
  source_id: string;
  sha256: string;
  url: string;
  bytes: number;
  media_type: string | null;
  etag: string | null;
  last_modified: string | null;
  fetched_at: string;
  archive_path: string;
  /** JSON array of the note lines under the file's tables (citations of the original publishers). */
  notes: string | null;
}

export type RunStatus = 'running' | 'loaded' | 'unchanged' | 'failed' | 'abandoned';

export interface IngestRunTable {
  id: Generated<number>;
  source_id: string;
  trigger: string;
  started_at: string;
  finished_at: string | null;
  status: RunStatus;
  sha256: string | null;
  rows_read: number;
  rows_loaded: number;
  rows_rejected: number;
  rows_revised: number;
  message: string | null;
  /** Process id of the run, so a later run can tell a live run from one left by a killed process. */
  pid: number | null;
  host: string | null;
}

export interface RejectTable {
  run_id: number;
  cell: string;
  reason: string;
  raw: string | null;
}

export interface RevisionTable {
  /** The fact table revised (`trade_flow`, …); named table_name because `table` is reserved in SQL. */
  table_name: string;
  /** The natural key, `|`-joined in the table's key-column order. */
  key: string;
  new_run_id: number;
  old_value: number | null;
  new_value: number | null;
  old_run_id: number | null;
  revised_at: string;
}

export type BriefRunStatus = 'running' | 'rendered' | 'failed' | 'abandoned';

/** One brief render (`run`, the scheduler), like ingest_run for sources. */
export interface BriefRunTable {
  id: Generated<number>;
  brief_id: string;
  /** `run`, `schedule`, `after pull`… */
  trigger: string;
  started_at: string;
  finished_at: string | null;
  status: BriefRunStatus;
  /** The dated folder holding the files. */
  dir: string | null;
  /** JSON array of `{ name, bytes, sha256 }`. */
  files: string | null;
  /** Hash of what the brief says (the documents without their generation time and run ids): equal content, equal hash. */
  content_sha256: string | null;
  message: string | null;
  pid: number | null;
  host: string | null;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'superseded';

/** The distribution ledger: one row per brief content and target. */
export interface DeliveryTable {
  brief_id: string;
  target_id: string;
  content_sha256: string;
  /** The render whose files were (or are to be) sent. */
  brief_run_id: number;
  status: DeliveryStatus;
  attempts: number;
  created_at: string;
  last_attempt_at: string | null;
  /** A failed delivery is not retried before this time (exponential backoff). */
  next_attempt_at: string | null;
  delivered_at: string | null;
  message: string | null;
}

/** The scheduler's lock row (SQLite) and last tick run per job (both dialects). */
export interface JobLockTable {
  name: string;
  holder: string | null;
  acquired_at: string | null;
  expires_at: string | null;
  /** ISO time of the last cron tick this job ran for, so a second replica does not run it again. */
  last_tick: string | null;
}

export interface Database {
  trade_flow: TradeFlowTable;
  investment_flow: InvestmentFlowTable;
  indicator: IndicatorTable;
  fx_rate: FxRateTable;
  source_file: SourceFileTable;
  ingest_run: IngestRunTable;
  reject: RejectTable;
  revision: RevisionTable;
  brief_run: BriefRunTable;
  delivery: DeliveryTable;
  job_lock: JobLockTable;
}

export type FactTableName = 'trade_flow' | 'investment_flow' | 'indicator' | 'fx_rate';

/** Natural-key columns of each fact table, in order (the `key` of a revision joins them with `|`). */
export const FACT_KEYS = {
  trade_flow: ['reporter', 'partner', 'flow', 'product', 'period', 'period_kind', 'source_id'],
  investment_flow: ['host', 'investor', 'measure', 'period', 'period_kind', 'source_id'],
  indicator: ['region', 'code', 'period', 'period_kind', 'source_id'],
  fx_rate: ['currency', 'period', 'source_id'],
} as const satisfies Record<FactTableName, readonly string[]>;

/** The column holding each fact table's value. */
export const FACT_VALUE_COLUMN = {
  trade_flow: 'value',
  investment_flow: 'value',
  indicator: 'value',
  fx_rate: 'per_usd',
} as const satisfies Record<FactTableName, string>;
