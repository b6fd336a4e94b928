import { z } from 'zod'
import { MAX_PASSWORD_LENGTH, passwordProblem } from './passwords.ts'
import { isTokenShaped } from './sessions.ts'

// Messages are i18n keys (platform/forms.ts translates them).
export const email = z
  .string({ error: 'accounts.errors.emailMissing' })
  .trim()
  .min(1, { error: 'accounts.errors.emailMissing' })
  .max(254, { error: 'accounts.errors.emailInvalid' })
  .pipe(z.email({ error: 'accounts.errors.emailInvalid' }))

const anyPassword = z
  .string({ error: 'accounts.errors.passwordMissing' })
  .min(1, { error: 'accounts.errors.passwordMissing' })
  .max(MAX_PASSWORD_LENGTH, { error: 'accounts.errors.passwordTooLong' })

const token = z
  .string({ error: 'accounts.errors.linkInvalid' })
  .refine(isTokenShaped, { error: 'accounts.errors.linkInvalid' })

const passwordPair = { password: anyPassword, confirm: z.string({ error: 'accounts.errors.confirmMissing' }) }

/** A new password: long enough, not on the deny-list, not the email, and typed the same twice. */
function checkNewPassword(v: { password: string; confirm: string; email?: string }, ctx: z.RefinementCtx) {
  const problem = passwordProblem(v.password, v.email ?? '')
  if (problem) ctx.addIssue({ code: 'custom', path: ['password'], message: `accounts.errors.password.${problem}` })
  else if (v.confirm !== v.password)
    ctx.addIssue({ code: 'custom', path: ['confirm'], message: 'accounts.errors.confirmDifferent' })
}

// Forms that do not ask for an email get the account's (or none) so the password can be checked against it.
const knownEmail = z.string().optional().default('')

export const signUpForm = z.object({ email, ...passwordPair }).superRefine(checkNewPassword)
export const signInForm = z.object({ email, password: anyPassword, next: z.string().optional().catch(undefined) })
export const resetRequestForm = z.object({ email })
export const resetPasswordForm = z.object({ token, email: knownEmail, ...passwordPair }).superRefine(checkNewPassword)
export const tokenForm = z.object({ token })
export const changePasswordForm = z
  .object({ current: anyPassword, email: knownEmail, ...passwordPair })
  .superRefine(checkNewPassword)
