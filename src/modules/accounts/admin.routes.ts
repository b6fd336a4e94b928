import type { FastifyInstance } from 'fastify'
import {
  idParam,
  moduleDb,
  NotFoundError,
  recordAudit,
  ROLE_SCOPE,
  ROLES,
  type ModuleContext,
} from '../../platform/index.ts'
import { findPersonForm, grantRoleForm, reviewConsentForm } from './admin.schema.ts'
import { normaliseEmail } from './accounts.service.ts'
import { confirmReviewedConsent, listConsentsToReview, revokeConsent } from './consents.service.ts'
import { FORM_RATE_LIMIT, routeHelpers } from './route-helpers.ts'
import { grantRole, listHeldRoles, revokeRole, scopeTypesOf } from './roles.service.ts'
import type { AccountsTables } from './tables.ts'

const ADMIN = { access: { roles: ['admin'] as const } }
const ROLE_OPTIONS = { roles: ROLES, roleScope: ROLE_SCOPE }

/** Administrators find accounts, grant and remove roles, and review consent recorded offline; all audited. */
export async function adminRoutes(app: FastifyInstance, { db, config, now, modules }: ModuleContext): Promise<void> {
  const { context, invalid, problem } = routeHelpers({ config, now })
  const scopes = scopeTypesOf(modules)
  const people = moduleDb<AccountsTables>(db)

  /** Reading someone's account is a read of a personal record: audited. */
  async function personRecord(req: Parameters<typeof context>[0], personId: string) {
    const person = await people
      .selectFrom('accounts.people')
      .select(['id', 'email', 'email_verified_at', 'created_at'])
      .where('id', '=', personId)
      .where('erased_at', 'is', null)
      .executeTakeFirst()
    if (!person) throw new NotFoundError('account')
    await recordAudit(db, {
      action: 'record.read',
      outcome: 'success',
      actorId: req.identity!.personId,
      objectType: 'person',
      objectId: person.id,
      ...context(req),
    })
    return { person, roles: await listHeldRoles(db, scopes, person.id) }
  }

  app.get('/admin', { config: ADMIN }, async (_req, reply) =>
    reply.render('accounts/views/admin/find.njk', { values: {} }),
  )
  // A POST, so the address someone is looking for stays out of URLs, browser history and proxies' logs.
  app.post('/admin', { config: { ...ADMIN, rateLimit: FORM_RATE_LIMIT } }, async (req, reply) => {
    const form = findPersonForm.safeParse(req.body ?? {})
    if (!form.success) return invalid(reply, 'accounts/views/admin/find.njk', req.body, form.error)
    const found = await people
      .selectFrom('accounts.people')
      .select('id')
      .where('email_normalised', '=', normaliseEmail(form.data.email))
      .where('erased_at', 'is', null)
      .executeTakeFirst()
    if (!found) {
      return problem(reply, 'accounts/views/admin/find.njk', 'email', 'accounts.admin.noAccount', { values: req.body })
    }
    return reply.redirect(`/admin/people/${found.id}`, 303)
  })

  app.get('/admin/people/:personId', { config: ADMIN }, async (req, reply) => {
    const record = await personRecord(req, idParam(req.params, 'personId'))
    const q = req.query as { done?: unknown }
    return reply.render('accounts/views/admin/person.njk', { ...record, done: q.done, self: req.identity!.personId })
  })
  app.get('/admin/people/:personId/roles/new', { config: ADMIN }, async (req, reply) => {
    const record = await personRecord(req, idParam(req.params, 'personId'))
    return reply.render('accounts/views/admin/grant-role.njk', { ...record, values: {}, ...ROLE_OPTIONS })
  })
  app.post(
    '/admin/people/:personId/roles',
    { config: { ...ADMIN, rateLimit: FORM_RATE_LIMIT } },
    async (req, reply) => {
      const personId = idParam(req.params, 'personId')
      const view = 'accounts/views/admin/grant-role.njk'
      const body = (req.body ?? {}) as Record<string, unknown>
      const form = grantRoleForm.safeParse(body)
      const extra = async () => ({ ...(await personRecord(req, personId)), ...ROLE_OPTIONS })
      if (!form.success) return invalid(reply, view, body, form.error, await extra())
      const result = await grantRole(
        db,
        scopes,
        { adminId: req.identity!.personId, personId, role: form.data.role, scopeInput: form.data.scope },
        context(req),
      )
      if (!result.ok) {
        if (result.reason === 'no-person') throw new NotFoundError('account')
        const field = result.reason === 'scope-required' || result.reason === 'unknown-scope' ? 'scope' : 'role'
        const key = `accounts.admin.grantRefused.${result.reason}`
        return problem(reply, view, field, key, { values: body, ...(await extra()) })
      }
      return reply.redirect(`/admin/people/${personId}?done=granted`, 303)
    },
  )
  app.post('/admin/people/:personId/roles/:grantId/remove', { config: ADMIN }, async (req, reply) => {
    const personId = idParam(req.params, 'personId')
    const grantId = idParam(req.params, 'grantId')
    const removed = await revokeRole(db, { adminId: req.identity!.personId, personId, grantId }, context(req))
    if (!removed) throw new NotFoundError('role')
    return reply.redirect(`/admin/people/${personId}?done=removed`, 303)
  })

  // Consent a champion recorded as given offline, waiting for review
  app.get('/admin/consents', { config: ADMIN }, async (req, reply) => {
    const q = req.query as { done?: unknown }
    return reply.render('accounts/views/admin/consents.njk', {
      consents: await listConsentsToReview(db, now()),
      done: q.done,
    })
  })
  app.post('/admin/consents/:consentId', { config: ADMIN }, async (req, reply) => {
    const consentId = idParam(req.params, 'consentId')
    const form = reviewConsentForm.safeParse(req.body ?? {})
    if (!form.success) {
      return invalid(reply, 'accounts/views/admin/consents.njk', req.body, form.error, {
        consents: await listConsentsToReview(db, now()),
      })
    }
    const adminId = req.identity!.personId
    const done =
      form.data.decision === 'confirm'
        ? await confirmReviewedConsent(db, adminId, consentId, context(req))
        : await revokeConsent(db, { adminId }, consentId, context(req))
    if (!done) throw new NotFoundError('consent')
    return reply.redirect(`/admin/consents?done=${form.data.decision === 'confirm' ? 'confirmed' : 'revoked'}`, 303)
  })
}
