import { sql, type Kysely } from 'kysely'

// Frozen in time.
//
// Moderation of free-text comments (why one was rejected, when it was decided; who decided is in the audit log) and
// providers' public replies: one per published comment, by staff of the organisation that runs the service.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('feedback.responses')
    .addColumn('moderated_at', 'timestamptz')
    .addColumn('rejection_reason', 'text', (c) =>
      c.check(sql`rejection_reason in ('personal-data', 'abuse', 'not-about-the-service')`),
    )
    .execute()
  await db.schema
    .createTable('feedback.comment_replies')
    .addColumn('response_id', 'uuid', (c) => c.primaryKey().references('feedback.responses.id').onDelete('cascade'))
    .addColumn('organisation_id', 'uuid', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('replied_by', 'uuid', (c) => c.notNull())
    .addColumn('replied_at', 'timestamptz', (c) => c.notNull())
    .execute()
  // The moderation queue is read oldest first.
  await sql`create index responses_pending_comments on feedback.responses (submitted_at) where comment_state = 'pending'`.execute(
    db,
  )
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('feedback.comment_replies').execute()
  await sql`drop index feedback.responses_pending_comments`.execute(db)
  await db.schema.alterTable('feedback.responses').dropColumn('moderated_at').dropColumn('rejection_reason').execute()
}
