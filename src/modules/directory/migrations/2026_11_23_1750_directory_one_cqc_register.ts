import { sql, type Kysely } from 'kysely'

// Frozen in time. CQC's two files used to list the same locations twice, as services of the sources
// `cqc-locations` and `cqc-directory`; they now list each location once, in the register `cqc`, by its CQC
// location ID. The HSCA file's services become the register's, and the directory's join them where HSCA did not
// list the location. The directory's copies of HSCA's locations are unlisted rather than deleted (other modules
// may hold their ids), with the change in their history; the next directory import brings its telephone numbers
// to the register's services.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`update directory.services set source = 'cqc' where source = 'cqc-locations'`.execute(db)
  await sql`
    update directory.services d set source = 'cqc'
     where d.source = 'cqc-directory'
       and not exists (select 1 from directory.services c where c.source = 'cqc' and c.source_ref = d.source_ref)
  `.execute(db)
  await sql`
    with copies as (
      update directory.services set unlisted_at = now()
       where source = 'cqc-directory' and unlisted_at is null
      returning id
    )
    insert into directory.service_changes (service_id, changed_at, change)
    select id, now(), 'unlisted' from copies
  `.execute(db)
}

export async function down(): Promise<void> {
  throw new Error('The CQC register cannot be split into its two files again: restore from a backup instead')
}
