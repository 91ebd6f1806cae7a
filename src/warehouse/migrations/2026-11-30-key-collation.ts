// Frozen once landed. PostgreSQL compares the fact tables' key columns byte by byte (COLLATE "C"),
// as SQLite's BINARY collation always has. The keys are codes (ISO partners, HS products, periods,
// source ids), so a locale's order means nothing for them, and it cost every load: each B-tree step
// of an insert went through the locale's strcoll. COPY of 1M trade rows in random key order into a
// table keyed like trade_flow took 9.8 / 10.5 s under the database's C.UTF-8 and 8.4 / 7.3 s under
// "C" (issue 6). Both warehouses now also sort keys alike. SQLite: nothing to do.
import { PostgresAdapter, sql, type Kysely } from 'kysely';

// The key columns as they stood when this landed (database.ts's FACT_KEYS may change; this may not).
const KEYS = {
  trade_flow: ['reporter', 'partner', 'flow', 'product', 'period', 'period_kind', 'source_id'],
  investment_flow: ['host', 'investor', 'measure', 'period', 'period_kind', 'source_id'],
  indicator: ['region', 'code', 'period', 'period_kind', 'source_id'],
  fx_rate: ['currency', 'period', 'source_id'],
};

async function collate(db: Kysely<any>, collation: 'C' | 'default'): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  for (const [table, keys] of Object.entries(KEYS)) {
    const columns = keys.map((k) => sql`ALTER COLUMN ${sql.id(k)} TYPE text COLLATE ${sql.id(collation)}`);
    await sql`ALTER TABLE ${sql.id(table)} ${sql.join(columns)}`.execute(db);
  }
}

export async function up(db: Kysely<any>): Promise<void> {
  await collate(db, 'C');
}

export async function down(db: Kysely<any>): Promise<void> {
  await collate(db, 'default');
}
