// Frozen once landed. The notes a file carries under its tables (`注：…`, `资料来源：…`, `Source: …`)
// — where the bundled compilations and yearbook tables cite their publishers — so a brief can cite
// the original publications, not only the file it read.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('source_file').addColumn('notes', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('source_file').dropColumn('notes').execute();
}
