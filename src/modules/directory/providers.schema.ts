import { z } from 'zod'
import { CHOICE_FRAMEWORKS } from './frameworks.ts'

/** Query string of the provider list. Anything odd falls back to a safe default rather than an error page. */
export const providerListQuery = z.object({
  framework: z.enum(CHOICE_FRAMEWORKS).optional().catch(undefined),
  name: z.string().trim().max(100).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).default(1).catch(1),
})
