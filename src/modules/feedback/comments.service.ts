// Free text is published only after a moderator has read it; a provider may answer a published comment once, in
// public. Both decisions are audited. Comments carry no respondent: only the service, the month and the answer.
import { sql } from 'kysely'
import {
  AccessDeniedError,
  moduleDb,
  NotFoundError,
  recordAudit,
  scopesOfRole,
  type AnyDb,
  type Identity,
} from '../../platform/index.ts'
import { findProviderById } from '../directory/index.ts'
import type { RejectionReason } from './collection.ts'
import type { Month } from './period.ts'
import type { FftAnswer } from './statistics.ts'
import type { FeedbackTables } from './tables.ts'

/** How a request's audit facts arrive (auditContextFromRequest) with the time of the decision. */
export type Facts = { requestId: string | null; ipHash: string | null; now: Date }

export interface Comment {
  id: string
  serviceId: string
  month: Month
  answer: FftAnswer
  text: string
  reply: { body: string; repliedAt: Date } | null
}

export interface PendingComment extends Comment {
  providerName: string | null
  submittedAt: Date
}

const fb = (db: AnyDb) => moduleDb<FeedbackTables>(db)

function commentsQuery(db: AnyDb) {
  return fb(db)
    .selectFrom('feedback.responses as r')
    .leftJoin('feedback.comment_replies as c', 'c.response_id', 'r.id')
    .select(['r.id', 'r.service_id', 'r.answer', 'r.comment', 'r.submitted_at', 'c.body', 'c.replied_at'])
    .select(sql<Month>`to_char(r.period, 'YYYY-MM')`.as('month'))
}
type CommentRow = Awaited<ReturnType<ReturnType<typeof commentsQuery>['execute']>>[number]

const toComment = (r: CommentRow): Comment => ({
  id: r.id,
  serviceId: r.service_id,
  month: r.month,
  answer: r.answer,
  text: r.comment ?? '',
  reply: r.body && r.replied_at ? { body: r.body, repliedAt: r.replied_at } : null,
})

/** The oldest comments waiting for a moderator, with the provider each is about. */
export async function listPendingComments(db: AnyDb, limit = 50): Promise<PendingComment[]> {
  const rows = await commentsQuery(db)
    .where('r.comment_state', '=', 'pending')
    .orderBy('r.submitted_at')
    .orderBy('r.id')
    .limit(limit)
    .execute()
  return Promise.all(
    rows.map(async (r) => ({
      ...toComment(r),
      submittedAt: r.submitted_at,
      providerName: (await findProviderById(db, r.service_id))?.name ?? null,
    })),
  )
}

/** A service's published comments, newest decision first, each with the provider's reply if it has one. */
export async function listPublishedComments(db: AnyDb, serviceId: string, limit = 50): Promise<Comment[]> {
  const rows = await commentsQuery(db)
    .where('r.service_id', '=', serviceId)
    .where('r.comment_state', '=', 'published')
    .orderBy('r.moderated_at', 'desc')
    .orderBy('r.id')
    .limit(limit)
    .execute()
  return rows.map(toComment)
}

export type Decision = { publish: true } | { publish: false; reason: RejectionReason }

/** A moderator publishes or rejects a pending comment; a comment already decided is left as it is. */
export async function moderateComment(
  db: AnyDb,
  moderatorId: string,
  commentId: string,
  decision: Decision,
  facts: Facts,
): Promise<{ ok: true } | { ok: false; reason: 'already-moderated' }> {
  return db.transaction().execute(async (trx) => {
    const decided = await fb(trx)
      .updateTable('feedback.responses')
      .set({
        comment_state: decision.publish ? 'published' : 'rejected',
        rejection_reason: decision.publish ? null : decision.reason,
        moderated_at: facts.now,
        // A rejected comment is never shown and may hold personal data: its text is not kept (the state and reason are).
        ...(decision.publish ? {} : { comment: '' }),
      })
      .where('id', '=', commentId)
      .where('comment_state', '=', 'pending')
      .returning(['id', 'service_id'])
      .executeTakeFirst()
    if (!decided) {
      const exists = await fb(trx)
        .selectFrom('feedback.responses')
        .select('id')
        .where('id', '=', commentId)
        .where('comment_state', 'is not', null)
        .executeTakeFirst()
      if (!exists) throw new NotFoundError('comment')
      return { ok: false, reason: 'already-moderated' } as const
    }
    await recordAudit(trx, {
      action: decision.publish ? 'feedback.comment.published' : 'feedback.comment.rejected',
      outcome: 'success',
      actorId: moderatorId,
      objectType: 'feedback-comment',
      objectId: commentId,
      details: { serviceId: decided.service_id, ...(decision.publish ? {} : { reason: decision.reason }) },
      requestId: facts.requestId,
      ipHash: facts.ipHash,
    })
    return { ok: true } as const
  })
}

/**
 * Staff of the organisation that runs the service reply in public to one of its published comments, once. Staff of
 * another organisation are refused (403); a comment that is not published, or not this service's, is not found.
 */
export async function replyToComment(
  db: AnyDb,
  identity: Identity,
  serviceId: string,
  commentId: string,
  body: string,
  facts: Facts,
): Promise<{ ok: true } | { ok: false; reason: 'already-replied' }> {
  const provider = await findProviderById(db, serviceId)
  if (!provider) throw new NotFoundError('provider')
  if (!scopesOfRole(identity.roles, 'provider-staff').includes(provider.organisation.id)) {
    throw new AccessDeniedError('service', serviceId)
  }
  return db.transaction().execute(async (trx) => {
    const comment = await fb(trx)
      .selectFrom('feedback.responses')
      .select('id')
      .where('id', '=', commentId)
      .where('service_id', '=', provider.id)
      .where('comment_state', '=', 'published')
      .executeTakeFirst()
    if (!comment) throw new NotFoundError('comment')
    const inserted = await fb(trx)
      .insertInto('feedback.comment_replies')
      .values({
        response_id: commentId,
        organisation_id: provider.organisation.id,
        body,
        replied_by: identity.personId,
        replied_at: facts.now,
      })
      .onConflict((oc) => oc.column('response_id').doNothing())
      .returning('response_id')
      .executeTakeFirst()
    if (!inserted) return { ok: false, reason: 'already-replied' } as const
    await recordAudit(trx, {
      action: 'feedback.comment.replied',
      outcome: 'success',
      actorId: identity.personId,
      objectType: 'feedback-comment',
      objectId: commentId,
      details: { serviceId: provider.id, organisationId: provider.organisation.id },
      requestId: facts.requestId,
      ipHash: facts.ipHash,
    })
    return { ok: true } as const
  })
}
