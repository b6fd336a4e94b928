import { AccessDeniedError, type Identity } from '../../platform/index.ts'
import type { ConsentAction } from './consents.service.ts'

/**
 * Whose account an action is for, and who does it: the signed-in person for themselves, or a choice champion
 * for the person whose consent they act under. Audit entries take both (actorId, onBehalfOfId).
 */
export interface ActingContext {
  /** The person whose choices, feedback or complaints these are. */
  subjectId: string
  /** Who is at the keyboard. */
  actorId: string
  /** Set only when a champion acts for someone else. */
  onBehalfOfId: string | null
}

export function actingContext(identity: Identity): ActingContext {
  const subjectId = identity.actingFor?.personId ?? identity.personId
  return { subjectId, actorId: identity.personId, onBehalfOfId: identity.actingFor?.personId ?? null }
}

/**
 * Checks that the signed-in person may do `action` in `framework` for the person their page was for.
 *
 * `pageSubjectId` is the subject the form was rendered for (a hidden field): if the champion's consent ended in
 * between, or they switched person in another tab, the action is refused rather than done for the wrong person.
 * People acting for themselves may always act; a champion only within the frameworks and actions consented to.
 */
export function requireActingPermission(
  identity: Identity,
  need: { framework: string; action: ConsentAction; pageSubjectId?: string | undefined },
): ActingContext {
  const acting = actingContext(identity)
  if (need.pageSubjectId !== undefined && need.pageSubjectId !== acting.subjectId) {
    throw new AccessDeniedError('person', need.pageSubjectId, false, 'accounts.acting.ended')
  }
  const consent = identity.actingFor
  if (consent && !(consent.frameworks.includes(need.framework) && consent.actions.includes(need.action))) {
    throw new AccessDeniedError('consent', consent.consentId, false, 'accounts.acting.notCovered')
  }
  return acting
}
