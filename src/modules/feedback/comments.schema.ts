import { z } from 'zod'
import { REJECTION_REASONS } from './collection.ts'

const M = 'feedback.moderation.errors'

/** A moderator's decision on one comment: publish, or reject for a reason from the fixed list. */
export const moderationForm = z
  .object({
    decision: z.enum(['publish', 'reject'], { error: `${M}.decision` }),
    reason: z.enum(REJECTION_REASONS, { error: `${M}.reason` }).optional(),
  })
  .refine((f) => f.decision === 'publish' || f.reason, { message: `${M}.reason`, path: ['reason'] })

const R = 'feedback.figures.comments.errors'

/** A provider's public reply to a published comment. */
export const replyForm = z.object({
  body: z
    .string({ error: `${R}.body` })
    .trim()
    .min(1, `${R}.body`)
    .max(1000, `${R}.bodyTooLong`),
})
