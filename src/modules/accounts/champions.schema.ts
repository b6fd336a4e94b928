import { z } from 'zod'
import { CHOICE_FRAMEWORKS } from '../../platform/index.ts'
import { CONSENT_ACTIONS, CONSENT_DURATIONS } from './consents.service.ts'
import { email } from './accounts.schema.ts'

// Messages are i18n keys (platform/forms.ts translates them). Checkboxes send one value or several.
const checkboxes = <T extends string>(values: readonly [T, ...T[]], missing: string) =>
  z
    .union([z.string(), z.array(z.string())], { error: missing })
    .transform((v) => [v].flat())
    .pipe(
      z
        .array(z.enum(values, { error: missing }))
        .min(1, { error: missing })
        .max(values.length),
    )
    .transform((v) => [...new Set(v)])

const consentScope = {
  email,
  frameworks: checkboxes(CHOICE_FRAMEWORKS, 'accounts.errors.frameworksMissing'),
  actions: checkboxes(CONSENT_ACTIONS, 'accounts.errors.actionsMissing'),
  months: z
    .string({ error: 'accounts.errors.durationMissing' })
    .transform(Number)
    .pipe(
      z.union(
        CONSENT_DURATIONS.map((d) => z.literal(d)),
        { error: 'accounts.errors.durationMissing' },
      ),
    ),
}

export const consentRequestForm = z.object(consentScope)
export const offlineConsentForm = z.object({
  ...consentScope,
  note: z
    .string({ error: 'accounts.errors.noteMissing' })
    .trim()
    .min(1, { error: 'accounts.errors.noteMissing' })
    .max(1000, { error: 'accounts.errors.noteTooLong' }),
  confirm: z.literal('yes', { error: 'accounts.errors.confirmConsent' }),
})
export const consentAnswerForm = z.object({
  decision: z.enum(['grant', 'refuse'], { error: 'accounts.errors.decisionMissing' }),
})
export const consentIdForm = z.object({ consentId: z.guid({ error: 'accounts.errors.invalidConsent' }) })
