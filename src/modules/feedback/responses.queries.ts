import type { Insertable, Kysely } from 'kysely'
import type { FeedbackTables } from './tables.ts'

export type FeedbackDb = Kysely<FeedbackTables>
export type ResponseInsert = Insertable<FeedbackTables['feedback.responses']>

/** Inserts a response unless its once-key is taken; true when it was inserted. */
export async function insertResponseOnce(db: FeedbackDb, row: ResponseInsert): Promise<boolean> {
  const inserted = await db
    .insertInto('feedback.responses')
    .values(row)
    .onConflict((oc) => oc.column('once_key').doNothing())
    .returning('id')
    .executeTakeFirst()
  return inserted !== undefined
}
