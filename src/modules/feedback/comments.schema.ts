import { z } from 'zod'
import { REJECTION_REASONS } from './collection.ts'

/**
 * A moderator's decision on one comment: publish, or reject for a reason from the fixed list. One set of radios, not
 * a reason revealed under "Reject": revealing radios put aria-expanded on a radio input, which axe rejects.
 */
export const moderationForm = z.object({
  decision: z.enum(['publish', ...REJECTION_REASONS], { error: 'feedback.moderation.errors.decision' }),
})

const R = 'feedback.figures.comments.errors'

/** A provider's public reply to a published comment. */
export const replyForm = z.object({
  body: z
    .string({ error: `${R}.body` })
    .trim()
    .min(1, `${R}.body`)
    .max(1000, `${R}.bodyTooLong`),
})
