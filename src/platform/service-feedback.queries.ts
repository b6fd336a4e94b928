import type { AnyDb } from './db.ts'

export interface ServiceFeedback {
  satisfaction: string
  comments: string
  page?: string | undefined
}

export async function insertServiceFeedback(db: AnyDb, f: ServiceFeedback): Promise<void> {
  await db
    .insertInto('platform.service_feedback')
    .values({ satisfaction: f.satisfaction, comments: f.comments || null, page: f.page ?? null })
    .execute()
}
