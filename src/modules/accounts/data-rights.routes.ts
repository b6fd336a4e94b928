import type { FastifyInstance } from 'fastify'
import type { ModuleContext } from '../../platform/index.ts'
import { deleteAccountForm } from './admin.schema.ts'
import { erasePerson, exportPersonalData, isAccountHolder } from './data-rights.service.ts'
import { FORM_RATE_LIMIT, routeHelpers } from './route-helpers.ts'
import { clearSessionCookie } from './session.hooks.ts'

const SIGNED_IN = { access: 'signed-in' as const }

/** A person's rights over their data (UK GDPR articles 15, 17 and 20): download it all, or have it erased. */
export async function dataRightsRoutes(app: FastifyInstance, ctx: ModuleContext): Promise<void> {
  const { db, config, now, modules } = ctx
  const { context, invalid, problem } = routeHelpers({ config, now })

  app.get('/account/data', { config: SIGNED_IN }, async (_req, reply) =>
    reply.render('accounts/views/data/download.njk'),
  )
  app.get('/account/data/download', { config: { ...SIGNED_IN, rateLimit: FORM_RATE_LIMIT } }, async (req, reply) => {
    const data = await exportPersonalData(db, modules, req.identity!.personId, context(req))
    const day = now().toISOString().slice(0, 10)
    return reply
      .header('content-disposition', `attachment; filename="openchoice-your-data-${day}.json"`)
      .header('cache-control', 'no-store')
      .type('application/json; charset=utf-8')
      .send(JSON.stringify(data, null, 2))
  })

  app.get('/account/delete', { config: SIGNED_IN }, async (_req, reply) =>
    reply.render('accounts/views/data/delete.njk', { values: {} }),
  )
  app.post('/account/delete', { config: { ...SIGNED_IN, rateLimit: FORM_RATE_LIMIT } }, async (req, reply) => {
    const view = 'accounts/views/data/delete.njk'
    const form = deleteAccountForm.safeParse(req.body ?? {})
    if (!form.success) return invalid(reply, view, req.body, form.error)
    // Erasure cannot be undone: whoever asks must prove again that they are the account holder.
    if (!(await isAccountHolder(db, req.identity!.personId, form.data.password))) {
      return problem(reply, view, 'password', 'accounts.errors.wrongCurrent', { values: { confirm: 'yes' } })
    }
    // Erasure deletes every session of the account, this one included.
    await erasePerson(db, modules, req.identity!.personId, context(req))
    clearSessionCookie(reply, config.secureCookies)
    return reply.redirect('/account-deleted', 303)
  })
  app.get('/account-deleted', { config: { access: 'public' } }, async (_req, reply) =>
    reply.render('accounts/views/data/deleted.njk'),
  )
}
