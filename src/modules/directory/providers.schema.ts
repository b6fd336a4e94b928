import { z } from 'zod'
import { CHOICE_FRAMEWORKS } from './frameworks.ts'

/** Query string of the provider list. Anything odd falls back to a safe default rather than an error page. */
export const SEARCH_RADII_MILES = [1, 2, 5, 10, 25] as const
export const KM_PER_MILE = 1.609344
export const RATINGS = ['Outstanding', 'Good', 'Requires improvement', 'Inadequate'] as const

export const providerListQuery = z.object({
  framework: z.enum(CHOICE_FRAMEWORKS).optional().catch(undefined),
  postcode: z.string().trim().max(20).optional().catch(undefined),
  radius: z.coerce
    .number()
    .refine((n) => (SEARCH_RADII_MILES as readonly number[]).includes(n))
    .default(5)
    .catch(5),
  rating: z.enum(RATINGS).optional().catch(undefined),
  name: z.string().trim().max(100).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).default(1).catch(1),
})

// Messages are i18n keys (platform/forms.ts translates them). An empty answer clears the field.
const optionalText = (max: number, tooLong: string) =>
  z
    .string()
    .trim()
    .max(max, { error: tooLong })
    .optional()
    .transform((v) => v || null)

/** The fields provider staff keep up to date on their listing. */
export const listingDetailsForm = z.object({
  description: optionalText(2000, 'directory.listing.errors.descriptionTooLong'),
  openingTimes: optionalText(1000, 'directory.listing.errors.openingTimesTooLong'),
  accessibility: optionalText(2000, 'directory.listing.errors.accessibilityTooLong'),
  email: z
    .string()
    .trim()
    .max(254, { error: 'directory.listing.errors.email' })
    .optional()
    .transform((v) => v || null)
    .pipe(z.email({ error: 'directory.listing.errors.email' }).nullable()),
  url: z
    .string()
    .trim()
    .max(500, { error: 'directory.listing.errors.url' })
    .optional()
    .transform((v) => v || null)
    .pipe(z.url({ protocol: /^https?$/, error: 'directory.listing.errors.url' }).nullable()),
})
