import { londonDate, recordAudit, scopesOfRole, type AnyDb, type Identity } from '../../platform/index.ts'
import { actingContext, findAccount } from '../accounts/index.ts'
import { findProviderById, type Provider } from '../directory/index.ts'
import {
  selectHistory,
  selectRequestsOfPerson,
  selectRequestsToOrganisations,
  type RequestRow,
} from './requests.queries.ts'
import { requestOfSubject, requestToStaff } from './requests.service.ts'
import type { RequestStatus } from './tables.ts'

/** A request as pages show it. */
export interface RequestView {
  id: string
  provider: Pick<Provider, 'id' | 'name' | 'town' | 'postcode'> | null
  framework: string
  kind: string
  message: string | null
  status: RequestStatus
  madeAt: Date
  /** The last day for an answer, in England (the deadline is the end of it). */
  dueDate: string
  answeredAt: Date | null
  declineReason: string | null
  answerNote: string | null
  /** Declined or not answered in time: the person may seek redress. */
  choiceNotGiven: boolean
}

export interface HistoryStep {
  status: RequestStatus
  changedAt: Date
  /** Who moved the request: the person, their champion, the provider's staff, or the deadline passing. */
  by: 'person' | 'champion' | 'provider' | 'deadline'
}

async function toViews(db: AnyDb, rows: RequestRow[]): Promise<RequestView[]> {
  const ids = [...new Set(rows.map((r) => r.service_id))]
  const providers = new Map(
    (await Promise.all(ids.map((id) => findProviderById(db, id)))).flatMap((p) => (p ? [[p.id, p]] : [])),
  )
  return rows.map((r) => {
    const p = providers.get(r.service_id)
    return {
      id: r.id,
      provider: p ? { id: p.id, name: p.name, town: p.town, postcode: p.postcode } : null,
      framework: r.framework,
      kind: r.kind,
      message: r.message,
      status: r.status,
      madeAt: r.made_at,
      dueDate: londonDate(r.due_at),
      answeredAt: r.answered_at,
      declineReason: r.decline_reason,
      answerNote: r.answer_note,
      choiceNotGiven: r.status === 'declined' || r.status === 'not-answered',
    }
  })
}

async function historyOf(db: AnyDb, request: RequestRow): Promise<HistoryStep[]> {
  return (await selectHistory(db, request.id)).map((h) => ({
    status: h.status,
    changedAt: h.changed_at,
    by:
      h.actor_id === null
        ? h.status === 'not-answered'
          ? 'deadline'
          : 'person' // an erased person's own steps
        : h.on_behalf_of_id
          ? 'champion'
          : h.actor_id === request.person_id
            ? 'person'
            : 'provider',
  }))
}

type Facts = { requestId: string; ipHash: string | null }

/** A champion opening someone's requests, or staff opening a person's request, is a read of their record. */
async function auditRead(db: AnyDb, identity: Identity, object: { type: string; id: string }, facts: Facts) {
  await recordAudit(db, {
    action: 'record.read',
    outcome: 'success',
    actorId: identity.personId,
    onBehalfOfId: identity.actingFor?.personId ?? null,
    objectType: object.type,
    objectId: object.id,
    ...facts,
  })
}

/** "My choices": every request of the person the signed-in person acts for, newest first. */
export async function listMyChoices(db: AnyDb, identity: Identity, facts: Facts): Promise<RequestView[]> {
  const acting = actingContext(identity)
  if (acting.onBehalfOfId) await auditRead(db, identity, { type: 'choice-requests', id: acting.subjectId }, facts)
  return toViews(db, await selectRequestsOfPerson(db, acting.subjectId))
}

export async function myChoice(db: AnyDb, identity: Identity, requestId: string, facts: Facts) {
  const { request, acting } = await requestOfSubject(db, identity, requestId)
  if (acting.onBehalfOfId) await auditRead(db, identity, { type: 'choice-request', id: requestId }, facts)
  const [view] = await toViews(db, [request])
  return { request: view!, history: await historyOf(db, request) }
}

/** Provider staff's inbox: requests to the organisations they work for, open ones or all. */
export async function listInbox(db: AnyDb, identity: Identity, show: 'open' | 'all'): Promise<RequestView[]> {
  const statuses: RequestStatus[] =
    show === 'open' ? ['sent', 'not-answered'] : ['sent', 'not-answered', 'accepted', 'declined', 'withdrawn']
  return toViews(db, await selectRequestsToOrganisations(db, scopesOfRole(identity.roles, 'provider-staff'), statuses))
}

/** One request to the staff member's organisation, with the person's contact address (an audited read). */
export async function inboxRequest(db: AnyDb, identity: Identity, requestId: string, facts: Facts) {
  const request = await requestToStaff(db, identity, requestId)
  await auditRead(db, identity, { type: 'choice-request', id: requestId }, facts)
  const person = request.person_id ? await findAccount(db, request.person_id) : undefined
  const [view] = await toViews(db, [request])
  return { request: view!, history: await historyOf(db, request), contact: person?.email ?? null }
}
