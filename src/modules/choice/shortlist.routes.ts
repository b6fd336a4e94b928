import type { FastifyInstance, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { auditContextFromRequest, NotFoundError, type ModuleContext } from '../../platform/index.ts'
import { addToShortlist, listShortlist, removeFromShortlist } from './shortlist.service.ts'

const SIGNED_IN = { access: 'signed-in' as const }
// `subject` is whose shortlist the page showed: a champion's action is refused if that is no longer who they act for.
const shortlistForm = z.object({ providerId: z.string().max(100), subject: z.string().max(100).optional() })

/** A person's shortlist of providers they are considering; a choice champion can keep it for them. */
export async function shortlistRoutes(app: FastifyInstance, { db, config, now }: ModuleContext): Promise<void> {
  const facts = (req: FastifyRequest) => auditContextFromRequest(req, config)
  const parse = (body: unknown) => {
    const form = shortlistForm.safeParse(body ?? {})
    if (!form.success) throw new NotFoundError('provider')
    return { providerId: form.data.providerId, pageSubjectId: form.data.subject }
  }

  app.get('/shortlist', { config: SIGNED_IN }, async (req, reply) => {
    const providers = await listShortlist(db, req.identity!, facts(req))
    return reply.render('choice/views/shortlist.njk', { providers, added: (req.query as { added?: unknown }).added })
  })
  app.post('/shortlist', { config: SIGNED_IN }, async (req, reply) => {
    await addToShortlist(db, req.identity!, parse(req.body), { ...facts(req), now: now() })
    return reply.redirect('/shortlist?added=1', 303)
  })
  app.post('/shortlist/remove', { config: SIGNED_IN }, async (req, reply) => {
    await removeFromShortlist(db, req.identity!, parse(req.body), facts(req))
    return reply.redirect('/shortlist', 303)
  })
}
