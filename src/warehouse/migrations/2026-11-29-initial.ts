// Frozen once landed: a later change is a new dated migration.
import { PostgresAdapter, sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const factColumns = (t: any) =>
    t
      .addColumn('period', 'text', (c: any) => c.notNull())
      .addColumn('period_kind', 'text', (c: any) => c.notNull())
      .addColumn('source_id', 'text', (c: any) => c.notNull())
      .addColumn('value', 'double precision', (c: any) => c.notNull())
      .addColumn('unit', 'text', (c: any) => c.notNull())
      .addColumn('currency', 'text')
      .addColumn('value_usd', 'double precision')
      .addColumn('illustrative', 'integer', (c: any) => c.notNull().defaultTo(0))
      .addColumn('run_id', 'integer', (c: any) => c.notNull())
      .addColumn('cell', 'text', (c: any) => c.notNull());

  await factColumns(
    db.schema
      .createTable('trade_flow')
      .addColumn('reporter', 'text', (c) => c.notNull())
      .addColumn('partner', 'text', (c) => c.notNull())
      .addColumn('flow', 'text', (c) => c.notNull())
      .addColumn('product', 'text', (c) => c.notNull()),
  )
    .addPrimaryKeyConstraint('trade_flow_pk', ['reporter', 'partner', 'flow', 'product', 'period', 'period_kind', 'source_id'])
    .execute();

  await factColumns(
    db.schema
      .createTable('investment_flow')
      .addColumn('host', 'text', (c) => c.notNull())
      .addColumn('investor', 'text', (c) => c.notNull())
      .addColumn('measure', 'text', (c) => c.notNull()),
  )
    .addPrimaryKeyConstraint('investment_flow_pk', ['host', 'investor', 'measure', 'period', 'period_kind', 'source_id'])
    .execute();

  await factColumns(
    db.schema
      .createTable('indicator')
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('code', 'text', (c) => c.notNull()),
  )
    .addPrimaryKeyConstraint('indicator_pk', ['region', 'code', 'period', 'period_kind', 'source_id'])
    .execute();

  await db.schema
    .createTable('fx_rate')
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('source_id', 'text', (c) => c.notNull())
    .addColumn('per_usd', 'double precision', (c) => c.notNull())
    .addColumn('run_id', 'integer', (c) => c.notNull())
    .addColumn('cell', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('fx_rate_pk', ['currency', 'period', 'source_id'])
    .execute();

  await db.schema
    .createTable('source_file')
    .addColumn('source_id', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('bytes', 'bigint', (c) => c.notNull())
    .addColumn('media_type', 'text')
    .addColumn('etag', 'text')
    .addColumn('last_modified', 'text')
    .addColumn('fetched_at', 'text', (c) => c.notNull())
    .addColumn('archive_path', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('source_file_pk', ['source_id', 'sha256'])
    .execute();

  // `serial` on PostgreSQL, INTEGER PRIMARY KEY AUTOINCREMENT on SQLite: the one difference a
  // portable migration cannot avoid, decided by the adapter kysely was given.
  const isPg = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable('ingest_run')
    .addColumn('id', isPg ? 'serial' : 'integer', (c) => (isPg ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('source_id', 'text', (c) => c.notNull())
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text')
    .addColumn('rows_read', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rows_loaded', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rows_rejected', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rows_revised', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('message', 'text')
    .addColumn('pid', 'integer')
    .addColumn('host', 'text')
    .execute();
  await db.schema.createIndex('ingest_run_source_idx').on('ingest_run').columns(['source_id', 'id']).execute();

  await db.schema
    .createTable('reject')
    .addColumn('run_id', 'integer', (c) => c.notNull())
    .addColumn('cell', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('raw', 'text')
    .addPrimaryKeyConstraint('reject_pk', ['run_id', 'cell'])
    .execute();

  await db.schema
    .createTable('revision')
    .addColumn('table_name', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('new_run_id', 'integer', (c) => c.notNull())
    .addColumn('old_value', 'double precision')
    .addColumn('new_value', 'double precision')
    .addColumn('old_run_id', 'integer')
    .addColumn('revised_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('revision_pk', ['table_name', 'key', 'new_run_id'])
    .execute();

  await sql`CREATE INDEX trade_flow_query_idx ON trade_flow (reporter, partner, flow, period_kind)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['revision', 'reject', 'ingest_run', 'source_file', 'fx_rate', 'indicator', 'investment_flow', 'trade_flow']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
