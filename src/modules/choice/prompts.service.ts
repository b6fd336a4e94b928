import type { FastifyRequest } from 'fastify'
import { moduleDb, type AnyDb, type ChoiceFramework, type PersonRef } from '../../platform/index.ts'
import type { ChoiceTables } from './tables.ts'

/** Where in the journey a choice prompt is shown: the start page, find results, compare, the choose page. */
export const PROMPT_POINTS = ['start', 'find', 'compare', 'choose'] as const
export type PromptPoint = (typeof PROMPT_POINTS)[number]

export interface PromptShown {
  framework: ChoiceFramework
  point: PromptPoint
  /** Who saw it: the signed-in person (a champion, when one is acting); null when signed out. */
  personId: string | null
  /** The person a champion is acting for, if one is. */
  onBehalfOfId: string | null
}

function choice(db: AnyDb) {
  return moduleDb<ChoiceTables>(db)
}

/**
 * Records that a choice prompt (the reminder of the right to choose, with the offer of a champion's help) was shown,
 * so the fairness report can set who was prompted against who chose.
 */
export async function recordPromptShown(db: AnyDb, p: PromptShown, now: Date): Promise<void> {
  await choice(db)
    .insertInto('choice.prompts')
    .values({
      framework: p.framework,
      point: p.point,
      person_id: p.personId,
      on_behalf_of_id: p.onBehalfOfId,
      shown_at: now,
    })
    .execute()
}

/** Who a page is shown to, as recordPromptShown takes it. */
export function promptViewer(req: FastifyRequest): Pick<PromptShown, 'personId' | 'onBehalfOfId'> {
  return { personId: req.identity?.personId ?? null, onBehalfOfId: req.identity?.actingFor?.personId ?? null }
}

/** Data rights: the prompts a person saw, or a champion saw while acting for them. */
export async function exportPromptData(db: AnyDb, person: PersonRef) {
  return choice(db)
    .selectFrom('choice.prompts')
    .select(['framework', 'point', 'shown_at', 'person_id', 'on_behalf_of_id'])
    .where((eb) => eb.or([eb('person_id', '=', person.id), eb('on_behalf_of_id', '=', person.id)]))
    .orderBy('shown_at')
    .execute()
}

/** Erasure keeps each prompt for the fairness report's counts, with the person's id removed. */
export async function erasePromptData(trx: AnyDb, person: PersonRef): Promise<number> {
  const seen = await choice(trx)
    .updateTable('choice.prompts')
    .set({ person_id: null })
    .where('person_id', '=', person.id)
    .executeTakeFirst()
  const forThem = await choice(trx)
    .updateTable('choice.prompts')
    .set({ on_behalf_of_id: null })
    .where('on_behalf_of_id', '=', person.id)
    .executeTakeFirst()
  return Number(seen.numUpdatedRows) + Number(forThem.numUpdatedRows)
}
