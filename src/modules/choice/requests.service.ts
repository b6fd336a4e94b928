import {
  AccessDeniedError,
  publishEvent,
  queueEmail,
  recordAudit,
  scopesOfRole,
  workingDayDeadline,
  type AnyDb,
  type Identity,
} from '../../platform/index.ts'
import {
  actingContext,
  findAccount,
  requireActingPermission,
  type ActingContext,
  type Mailer,
  type RequestContext,
} from '../accounts/index.ts'
import { permittedChoice } from './shortlist.service.ts'
import { findProviderById, mayBeChosen, type Provider } from '../directory/index.ts'
import { requestKindFor, responseStandardDays } from './rights.ts'
import {
  insertHistory,
  insertRequest,
  selectOpenRequest,
  selectRequest,
  selectRequestBySubmission,
  updateRequestStatus,
  type RequestRow,
} from './requests.queries.ts'
import type { RequestStatus } from './tables.ts'

/** Request facts every audited change carries. */
export type ChangeContext = RequestContext
export type { Mailer }

/** Why a provider may turn a request down: a fixed list, so refusals can be counted and challenged. */
export const DECLINE_REASONS = [
  'no-capacity',
  'outside-area',
  'not-eligible',
  'needs-not-met',
  'already-served',
] as const
export type DeclineReason = (typeof DECLINE_REASONS)[number]

/** The event the redress module consumes: a person asked for a choice and was refused or not answered in time. */
export const CHOICE_NOT_GIVEN = 'choice.not-given'
/** The event providers' published response times are built from: a request answered, or its deadline passed. */
export const CHOICE_REQUEST_DECIDED = 'choice.request-decided'

export type MakeRequestResult =
  | { ok: true; request: RequestRow; duplicate: boolean }
  | { ok: false; reason: 'not-choosable'; provider: Provider }
  | { ok: false; reason: 'already-open'; existing: RequestRow }

/**
 * Sends a person's choice request to a provider the directory says may be chosen. A champion needs live consent
 * covering the framework and choosing; both are recorded. The same form sent twice makes one request, and a person
 * has at most one open request per provider. The deadline is the framework's response standard in working days.
 */
export async function makeChoiceRequest(
  db: AnyDb,
  identity: Identity,
  input: { providerId: string; message: string | null; submissionKey: string; pageSubjectId: string | undefined },
  ctx: ChangeContext & { mailer: Mailer },
): Promise<MakeRequestResult> {
  const { provider, acting } = await permittedChoice(db, identity, input)
  if (!mayBeChosen(provider).ok) return { ok: false, reason: 'not-choosable', provider }
  const due = workingDayDeadline(ctx.now, responseStandardDays(provider.framework))
  return db.transaction().execute(async (trx): Promise<MakeRequestResult> => {
    const request = await insertRequest(trx, {
      person_id: acting.subjectId,
      made_by: acting.actorId,
      service_id: provider.id,
      organisation_id: provider.organisation.id,
      framework: provider.framework,
      kind: requestKindFor(provider.framework),
      message: input.message,
      status: 'sent',
      made_at: ctx.now,
      due_at: due.dueAt,
      submission_key: input.submissionKey,
    })
    if (!request) {
      const again = await selectRequestBySubmission(trx, acting.subjectId, input.submissionKey)
      if (again) return { ok: true, request: again, duplicate: true }
      const existing = await selectOpenRequest(trx, acting.subjectId, provider.id)
      if (existing) return { ok: false, reason: 'already-open', existing }
      throw new Error('A choice request was neither stored nor found') // unreachable: the two keys are the only ones
    }
    await recordChange(trx, request, 'sent', { ...acting, ...ctx })
    await emailPerson(trx, request, provider, ctx.mailer)
    return { ok: true, request, duplicate: false }
  })
}

/** A request of the person whoever is signed in acts for; anyone else's is not found (and the attempt audited). */
export async function requestOfSubject(db: AnyDb, identity: Identity, requestId: string) {
  const acting = actingContext(identity)
  const request = await selectRequest(db, requestId)
  if (!request || request.person_id !== acting.subjectId) throw new AccessDeniedError('choice-request', requestId, true)
  return { request, acting }
}

/** A request to one of the organisations this person works for; others' requests are not found (and audited). */
export async function requestToStaff(db: AnyDb, identity: Identity, requestId: string, forUpdate = false) {
  const request = await selectRequest(db, requestId, forUpdate)
  if (!request || !scopesOfRole(identity.roles, 'provider-staff').includes(request.organisation_id)) {
    throw new AccessDeniedError('choice-request', requestId, true)
  }
  return request
}

export type Answer = { outcome: 'accept' } | { outcome: 'decline'; reason: DeclineReason; note: string | null }
export type AnswerResult =
  { ok: true; duplicate: boolean } | { ok: false; reason: 'already-answered'; status: RequestStatus }

/**
 * Provider staff accept or decline a request, at most once. A request the deadline passed may still be answered
 * late (the person still wants to know), but it stays counted as not answered in time. A decline is a choice not
 * given: it is published for the redress module, and the person is told how to seek redress.
 */
export async function answerChoiceRequest(
  db: AnyDb,
  identity: Identity,
  requestId: string,
  answer: Answer,
  ctx: ChangeContext & { mailer: Mailer },
): Promise<AnswerResult> {
  return db.transaction().execute(async (trx): Promise<AnswerResult> => {
    const request = await requestToStaff(trx, identity, requestId, true)
    const status: RequestStatus = answer.outcome === 'accept' ? 'accepted' : 'declined'
    if (request.status === status) return { ok: true, duplicate: true } // the same answer sent twice
    if (request.status !== 'sent' && request.status !== 'not-answered') {
      return { ok: false, reason: 'already-answered', status: request.status }
    }
    const declined = answer.outcome === 'decline'
    const changed: RequestRow = {
      ...request,
      status,
      answered_at: ctx.now,
      decline_reason: declined ? answer.reason : null,
      answer_note: declined ? answer.note : null,
    }
    await updateRequest(trx, changed)
    const actor = { actorId: identity.personId, onBehalfOfId: null }
    await recordChange(trx, changed, status, { ...actor, ...ctx }, { late: request.status === 'not-answered' })
    await publishDecided(trx, changed, ctx.now)
    if (declined) await publishNotGiven(trx, changed, 'declined', ctx.now)
    const provider = await findProviderById(trx, request.service_id)
    if (provider) await emailPerson(trx, changed, provider, ctx.mailer)
    return { ok: true, duplicate: false }
  })
}

/** The person (or their champion) withdraws a request that has not been answered. */
export async function withdrawChoiceRequest(
  db: AnyDb,
  identity: Identity,
  input: { requestId: string; pageSubjectId: string | undefined },
  ctx: ChangeContext & { mailer: Mailer },
): Promise<{ ok: boolean }> {
  return db.transaction().execute(async (trx) => {
    const found = await requestOfSubject(trx, identity, input.requestId)
    const acting = requireActingPermission(identity, {
      framework: found.request.framework,
      action: 'choose',
      pageSubjectId: input.pageSubjectId,
    })
    const request = await selectRequest(trx, input.requestId, true)
    if (request?.status !== 'sent') return { ok: request?.status === 'withdrawn' }
    const changed: RequestRow = { ...request, status: 'withdrawn' }
    await updateRequest(trx, changed)
    await recordChange(trx, changed, 'withdrawn', { ...acting, ...ctx })
    const provider = await findProviderById(trx, request.service_id)
    if (provider) await emailPerson(trx, changed, provider, ctx.mailer)
    return { ok: true }
  })
}

/**
 * Marks one overdue request as not answered, in the caller's transaction (the deadline job locks the rows it
 * passes here): a choice not given, published for redress, and the person is told.
 */
export async function markNotAnswered(trx: AnyDb, request: RequestRow, now: Date, mailer: Mailer): Promise<void> {
  const changed: RequestRow = { ...request, status: 'not-answered' }
  await updateRequest(trx, changed)
  await recordChange(trx, changed, 'not-answered', {
    actorId: null,
    onBehalfOfId: null,
    requestId: null,
    ipHash: null,
    now,
  })
  await publishDecided(trx, changed, now)
  await publishNotGiven(trx, changed, 'no-answer', now)
  const provider = await findProviderById(trx, request.service_id)
  if (provider) await emailPerson(trx, changed, provider, mailer)
}

async function updateRequest(trx: AnyDb, r: RequestRow) {
  await updateRequestStatus(trx, r.id, {
    status: r.status,
    ...(r.answered_at ? { answered_at: r.answered_at } : {}),
    decline_reason: r.decline_reason,
    answer_note: r.answer_note,
  })
}

type Actor = Pick<ActingContext, 'onBehalfOfId'> & { actorId: string | null }

/** The history row and the audit entry of one state change: who did it, for whom, and when. */
async function recordChange(
  trx: AnyDb,
  request: RequestRow,
  status: RequestStatus,
  by: Actor & { requestId: string | null; ipHash: string | null; now: Date },
  extra: Record<string, string | boolean> = {},
) {
  await insertHistory(trx, {
    request_id: request.id,
    status,
    changed_at: by.now,
    actor_id: by.actorId,
    on_behalf_of_id: by.onBehalfOfId,
  })
  await recordAudit(trx, {
    action: `choice.request.${status}`,
    outcome: 'success',
    actorId: by.actorId,
    onBehalfOfId: by.onBehalfOfId,
    objectType: 'choice-request',
    objectId: request.id,
    details: {
      framework: request.framework,
      serviceId: request.service_id,
      ...(request.decline_reason ? { reason: request.decline_reason } : {}),
      ...extra,
    },
    requestId: by.requestId,
    ipHash: by.ipHash,
  })
}

/**
 * Once per request, at its first decision: whether the provider answered within the standard. A late answer after
 * the deadline passed changes nothing (the key makes it a duplicate): it was not answered in time.
 */
async function publishDecided(trx: AnyDb, r: RequestRow, now: Date) {
  await publishEvent(
    trx,
    {
      type: CHOICE_REQUEST_DECIDED,
      payload: {
        requestId: r.id,
        serviceId: r.service_id,
        framework: r.framework,
        madeAt: r.made_at.toISOString(),
        dueAt: r.due_at.toISOString(),
        answeredAt: r.answered_at?.toISOString() ?? null,
        onTime: r.answered_at !== null && r.answered_at <= r.due_at,
      },
      key: `${CHOICE_REQUEST_DECIDED}:${r.id}`,
    },
    now,
  )
}

async function publishNotGiven(trx: AnyDb, r: RequestRow, cause: 'declined' | 'no-answer', now: Date) {
  await publishEvent(
    trx,
    {
      type: CHOICE_NOT_GIVEN,
      // Ids only: the redress module looks up what it needs through the choice module's public functions.
      payload: {
        requestId: r.id,
        personId: r.person_id,
        serviceId: r.service_id,
        organisationId: r.organisation_id,
        framework: r.framework,
        cause,
        declineReason: r.decline_reason,
      },
      key: `${CHOICE_NOT_GIVEN}:${r.id}`,
    },
    now,
  )
}

/** Tells the person, through the outbox, what happened to their request (in words, with a link to it). */
async function emailPerson(trx: AnyDb, r: RequestRow, provider: Provider, mailer: Mailer) {
  const person = r.person_id ? await findAccount(trx, r.person_id) : undefined
  if (!person) return
  const key = `choice.requests.emails.${r.status}`
  const params = { provider: provider.name, link: `${mailer.publicUrl}/my-choices/${r.id}` }
  await queueEmail(trx, {
    to: person.email,
    template: `choice.request-${r.status}`,
    subject: mailer.t(`${key}.subject`, params),
    body: mailer.t(`${key}.body`, params),
    reference: `choice-request-${r.id}-${r.status}`,
  })
}
