// Frozen once landed. What operations need to remember between runs and between replicas:
// - brief_run: every brief render (like ingest_run for sources), with the files and a content hash;
// - delivery: the distribution ledger, one row per brief content and target, so a brief is sent once
//   per distinct content and a failed send is retried with backoff;
// - job_lock: the scheduler's per-job lock row on SQLite (PostgreSQL uses advisory locks) and, on both
//   dialects, the last cron tick a job ran for, so two replicas never run one tick twice.
import { PostgresAdapter, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const isPg = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable('brief_run')
    .addColumn('id', isPg ? 'serial' : 'integer', (c) => (isPg ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('brief_id', 'text', (c) => c.notNull())
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('dir', 'text')
    .addColumn('files', 'text')
    .addColumn('content_sha256', 'text')
    .addColumn('message', 'text')
    .addColumn('pid', 'integer')
    .addColumn('host', 'text')
    .execute();
  await db.schema.createIndex('brief_run_brief_idx').on('brief_run').columns(['brief_id', 'id']).execute();

  await db.schema
    .createTable('delivery')
    .addColumn('brief_id', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addColumn('content_sha256', 'text', (c) => c.notNull())
    .addColumn('brief_run_id', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_attempt_at', 'text')
    .addColumn('next_attempt_at', 'text')
    .addColumn('delivered_at', 'text')
    .addColumn('message', 'text')
    .addPrimaryKeyConstraint('delivery_pk', ['brief_id', 'target_id', 'content_sha256'])
    .execute();

  await db.schema
    .createTable('job_lock')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('holder', 'text')
    .addColumn('acquired_at', 'text')
    .addColumn('expires_at', 'text')
    .addColumn('last_tick', 'text')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['job_lock', 'delivery', 'brief_run']) await db.schema.dropTable(t).ifExists().execute();
}
