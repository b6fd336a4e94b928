import { z, type ZodError } from 'zod'
import { NotFoundError } from './errors.ts'

/** One entry of the GOV.UK error summary: the message and the field it links to. */
export interface FormError {
  text: string
  href: string
}

export type FormErrors = FormError[] & { byField?: Record<string, string> }

/**
 * Turns a zod error into the error summary list and per-field messages. Schemas carry i18n keys as their
 * messages, so the text is in the reader's language; the first problem per field wins.
 */
export function fieldErrors(error: ZodError, t: (key: string) => string): FormErrors {
  const list: FormErrors = []
  const byField: Record<string, string> = {}
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? 'form')
    if (byField[field]) continue
    const text = translateOr(t, issue.message, 'common.errors.invalid')
    byField[field] = text
    list.push({ text, href: `#${field}` })
  }
  list.byField = byField
  return list
}

/** One problem the service found after the form itself was valid (a wrong password, say), shown like a field error. */
export function formError(field: string, text: string): FormErrors {
  return Object.assign([{ text, href: `#${field}` }], { byField: { [field]: text } })
}

/** Schema messages are catalogue keys; zod's own messages (a field sent twice, say) get a generic one. */
function translateOr(t: (key: string) => string, key: string, fallback: string): string {
  try {
    return t(key)
  } catch {
    return t(fallback)
  }
}

const uuid = z.guid()

/** A uuid from the address (`/admin/people/:personId`); anything else is a page that does not exist, not a 500. */
export function idParam(params: unknown, name: string): string {
  const value = (params as Record<string, unknown> | undefined)?.[name]
  if (!uuid.safeParse(value).success) throw new NotFoundError()
  return (value as string).toLowerCase()
}
