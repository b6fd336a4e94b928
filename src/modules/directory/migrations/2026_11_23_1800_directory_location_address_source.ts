import { sql, type Kysely } from 'kysely'

// Frozen in time. A location records which source gave its address, so that a file never blanks an address another
// file gave: DfE's 16-18 (KS5) performance tables fill in the address of a school that GIAS lists without one, and
// the next GIAS file must leave it. Until now every location was written by the register of its one service.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('directory.locations').addColumn('address_source', 'text').execute()
  await sql`
    update directory.locations l set address_source = s.source
      from directory.service_at_locations sal
      join directory.services s on s.id = sal.service_id
     where sal.location_id = l.id
  `.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('directory.locations').dropColumn('address_source').execute()
}
