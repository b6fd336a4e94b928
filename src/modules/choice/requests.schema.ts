import { z } from 'zod'
import { DECLINE_REASONS } from './requests.service.ts'

// Messages are i18n keys (platform/forms.ts translates them).

/** The choice request form: which provider, anything the person wants them to know, and the form's one-time key. */
export const requestForm = z.object({
  providerId: z.guid({ error: 'choice.requests.errors.provider' }),
  message: z
    .string()
    .trim()
    .max(1000, { error: 'choice.requests.errors.messageTooLong' })
    .optional()
    .transform((v) => v || null),
  // A fresh one is written into each form; a form without one (or a forged one) is shown again with a new one.
  submission: z.guid({ error: 'choice.requests.errors.submission' }),
  subject: z.string().max(100).optional(),
})

/** Provider staff's answer: accept, or decline with a reason from the fixed list and an optional note. */
export const answerForm = z
  .object({
    outcome: z.enum(['accept', 'decline'], { error: 'choice.requests.errors.outcomeMissing' }),
    reason: z.enum(DECLINE_REASONS, { error: 'choice.requests.errors.reasonMissing' }).optional(),
    note: z
      .string()
      .trim()
      .max(500, { error: 'choice.requests.errors.noteTooLong' })
      .optional()
      .transform((v) => v || null),
  })
  .superRefine((form, ctx) => {
    if (form.outcome === 'decline' && !form.reason) {
      ctx.addIssue({ code: 'custom', path: ['reason'], message: 'choice.requests.errors.reasonMissing' })
    }
  })

export const subjectForm = z.object({ subject: z.string().max(100).optional() })

export const inboxQuery = z.object({ show: z.enum(['open', 'all']).default('open').catch('open') })
