// Frozen once landed. trade_flow_query_idx (reporter, partner, flow, period_kind) answered nothing
// the primary key (reporter, partner, flow, product, period, period_kind, source_id) does not: the
// brief's trade query filters reporter, partner, flow and product, a prefix of the key, and the key
// holds period_kind too. Every load paid for it: a first load of 1M rows into PostgreSQL spent
// 10.2 s in the server with it and 7.6 s without (issue 6), and SQLite's merge wrote it as a third
// B-tree.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX IF EXISTS trade_flow_query_idx`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX IF NOT EXISTS trade_flow_query_idx ON trade_flow (reporter, partner, flow, period_kind)`.execute(db);
}
