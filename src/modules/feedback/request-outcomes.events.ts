// How the choice module's news reaches the feedback module (which cannot import choice: choice depends on feedback).
import { z } from 'zod'
import type { EventHandler } from '../../platform/index.ts'
import { CHOICE_FRAMEWORKS } from '../directory/index.ts'
import { firstDayOf, monthOf } from './period.ts'
import { insertRequestOutcome } from './request-outcomes.queries.ts'

/** The event choice publishes once per request, at its first decision (choice/requests.service.ts). */
export const REQUEST_DECIDED = 'choice.request-decided'

const instant = z.iso.datetime({ offset: true }).transform((s) => new Date(s))

/** Its payload, as far as the figures need it (the other fields are choice's business). */
export const requestDecided = z
  .object({
    requestId: z.guid(),
    serviceId: z.guid(),
    framework: z.enum(CHOICE_FRAMEWORKS),
    dueAt: instant,
    answeredAt: instant.nullable(),
    onTime: z.boolean(),
  })
  .refine((p) => !p.onTime || p.answeredAt !== null, { message: 'an unanswered request cannot be on time' })

/**
 * Keeps one row per decided request. A malformed payload throws: the jobs worker retries, then marks the delivery
 * failed, rather than the figures silently losing a request. Counted in the month it was decided (answered, or its
 * deadline passed unanswered), from the payload rather than the delivery time, so a redelivery lands the same.
 */
export const recordRequestOutcome: EventHandler = {
  name: 'feedback.record-request-outcome',
  eventType: REQUEST_DECIDED,
  async handle(ctx, event) {
    const p = requestDecided.parse(event.payload)
    const decidedAt = p.answeredAt && p.answeredAt < p.dueAt ? p.answeredAt : p.dueAt
    await insertRequestOutcome(ctx.db, {
      request_id: p.requestId,
      service_id: p.serviceId,
      framework: p.framework,
      period: firstDayOf(monthOf(decidedAt)),
      on_time: p.onTime,
      due_at: p.dueAt,
      answered_at: p.answeredAt,
    })
  },
}
