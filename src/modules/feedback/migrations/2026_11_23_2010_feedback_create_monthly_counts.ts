import { sql, type Kysely } from 'kysely'

// Frozen in time.
//
// Monthly counts per FFT answer that provider staff upload (paper, kiosk and other results collected outside
// OpenChoice), one row per service, month and collection mode, each pointing at the upload it came from.
export async function up(db: Kysely<any>): Promise<void> {
  const mode = sql`mode in ('online', 'paper', 'kiosk', 'sms', 'staff-assisted')`
  await db.schema
    .createTable('feedback.uploads')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('service_id', 'uuid', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull().check(mode))
    .addColumn('uploaded_by', 'uuid', (c) => c.notNull())
    .addColumn('uploaded_at', 'timestamptz', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('file_sha256', 'text', (c) => c.notNull())
    .execute()

  let counts = db.schema
    .createTable('feedback.monthly_counts')
    .addColumn('service_id', 'uuid', (c) => c.notNull())
    .addColumn('period', 'date', (c) => c.notNull().check(sql`extract(day from period) = 1`))
    .addColumn('mode', 'text', (c) => c.notNull().check(mode))
  for (const answer of ['very_good', 'good', 'neither', 'poor', 'very_poor', 'dont_know'])
    counts = counts.addColumn(answer, 'integer', (c) => c.notNull().check(sql`${sql.ref(answer)} >= 0`))
  await counts
    .addColumn('upload_id', 'uuid', (c) => c.notNull().references('feedback.uploads.id'))
    .addPrimaryKeyConstraint('monthly_counts_pkey', ['service_id', 'period', 'mode'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('feedback.monthly_counts').execute()
  await db.schema.dropTable('feedback.uploads').execute()
}
