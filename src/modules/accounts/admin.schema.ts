import { z } from 'zod'
import { ROLES } from '../../platform/index.ts'
import { email } from './accounts.schema.ts'

// Messages are i18n keys (platform/forms.ts translates them).
export const findPersonForm = z.object({ email })

/** A scoped role needs the scope it is held in; for other roles the field is ignored. */
export const grantRoleForm = z.object({
  role: z.enum(ROLES, { error: 'accounts.errors.roleMissing' }),
  scope: z.string().max(100, { error: 'accounts.errors.scopeUnknown' }).optional(),
})

export const reviewConsentForm = z.object({
  decision: z.enum(['confirm', 'revoke'], { error: 'accounts.errors.reviewMissing' }),
})

export const deleteAccountForm = z.object({
  password: z.string().max(256).optional(),
  confirm: z.literal('yes', { error: 'accounts.errors.confirmDelete' }),
})
