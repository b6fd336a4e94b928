import type { FastifyInstance } from 'fastify'
import { auditContextFromRequest, fieldErrors, idParam, type ModuleContext } from '../../platform/index.ts'
import { editableProvider, listStaffListings, updateListingDetails } from './listing.service.ts'
import { listingDetailsForm } from './providers.schema.ts'

const STAFF = { access: { roles: ['provider-staff'] as const } }
const FORM_RATE_LIMIT = { max: 20, timeWindow: '1 minute' }

/** Provider staff keep their listings' descriptive details up to date (issue #4 part 5); each change is audited. */
export async function listingRoutes(app: FastifyInstance, { db, config }: ModuleContext): Promise<void> {
  app.get('/listings', { config: STAFF }, async (req, reply) =>
    reply.render('directory/views/listings.njk', { listings: await listStaffListings(db, req.identity!) }),
  )

  app.get('/providers/:id/edit', { config: STAFF }, async (req, reply) => {
    const provider = await editableProvider(db, req.identity!, idParam(req.params, 'id'))
    return reply.render('directory/views/edit-listing.njk', { provider, values: provider.details })
  })

  app.post('/providers/:id/edit', { config: { ...STAFF, rateLimit: FORM_RATE_LIMIT } }, async (req, reply) => {
    const id = idParam(req.params, 'id')
    const provider = await editableProvider(db, req.identity!, id)
    const form = listingDetailsForm.safeParse(req.body ?? {})
    if (!form.success) {
      const t = reply.locals.t as (key: string) => string
      return reply.code(400).render('directory/views/edit-listing.njk', {
        provider,
        values: req.body ?? {},
        errors: fieldErrors(form.error, t),
      })
    }
    await updateListingDetails(db, req.identity!, id, form.data, auditContextFromRequest(req, config))
    return reply.redirect(`/providers/${id}?updated=1`, 303)
  })
}
