import { z } from 'zod'
import { providerListQuery } from '../directory/index.ts'

export const SORTS = ['distance', 'rating', 'name'] as const
/** Comparing takes two to four providers: fewer is no comparison, more is too many to read side by side. */
export const COMPARE_MIN = 2
export const COMPARE_MAX = 4

/**
 * The find page's query: the directory's distance, rating and page fields (odd values fall back to defaults), a
 * postcode (checked by searchOrigin, so a bad one gets an error rather than a default), the need and the order.
 */
export const findQuery = providerListQuery.pick({ radius: true, rating: true, page: true }).extend({
  postcode: z.string().trim().max(100).optional().catch(''),
  need: z.string().trim().max(200).optional().catch(undefined),
  sort: z.enum(SORTS).default('distance').catch('distance'),
})

export type FindQuery = z.infer<typeof findQuery>

/** Compare: the search it came from, and the providers ticked (`provider` once per provider; repeats count once). */
export const compareQuery = findQuery.extend({
  provider: z
    .preprocess((v) => (v === undefined ? [] : [v].flat()), z.array(z.string().max(100)).max(100))
    .catch([])
    .transform((ids) => [...new Set(ids.map((id) => id.toLowerCase()))]),
})
