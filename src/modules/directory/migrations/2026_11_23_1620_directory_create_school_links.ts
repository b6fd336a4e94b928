import { sql, type Kysely } from 'kysely'

// Frozen in time.
//
// GIAS "links": a school's predecessors and successors (a school that closed and reopened as an academy, two that
// merged), one row per (school, linked school, link type) as DfE publishes them. No foreign key: most linked schools
// are closed and not in the directory, and the URN joins a school whenever it is. `linked_name` is the linked
// school's name as the links file gives it, so a page can name a school the directory does not hold.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create schema if not exists directory`.execute(db)
  await db.schema
    .createTable('directory.school_links')
    .addColumn('urn', 'integer', (c) => c.notNull())
    .addColumn('linked_urn', 'integer', (c) => c.notNull())
    .addColumn('link_type', 'text', (c) => c.notNull())
    .addColumn('link_established_on', 'date')
    .addColumn('linked_name', 'text', (c) => c.notNull())
    .addColumn('source_file', 'text', (c) => c.notNull())
    .addColumn('imported_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('school_links_pkey', ['urn', 'linked_urn', 'link_type'])
    .addCheckConstraint('school_links_not_to_itself', sql`urn <> linked_urn`)
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('directory.school_links').execute()
}
