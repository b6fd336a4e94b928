import type { FastifyInstance } from 'fastify'
import { NotFoundError, type ModuleContext } from '../../platform/index.ts'
import { CHOICE_FRAMEWORKS } from './frameworks.ts'
import { KM_PER_MILE, providerListQuery, RATINGS, SEARCH_RADII_MILES } from './providers.schema.ts'
import { searchOrigin } from './search-origin.ts'
import type { Around } from './providers.queries.ts'
import { findProviderById, listProviderChanges, listProviders, type ProviderChange } from './providers.service.ts'
import { formatDate, formError, scopesOfRole, type AnyDb } from '../../platform/index.ts'
import { schoolPerformance } from './performance/performance.service.ts'
import { schoolLinks } from './school-links.queries.ts'

type T = (key: string, params?: Record<string, string>) => string

/** A change in words: "Rating changed from Good to Outstanding". */
function describeChange(c: ProviderChange, t: T): string {
  if (c.change !== 'updated' || !c.field) return t(`directory.provider.changes.${c.change}`)
  const value = (v: string | null) => {
    if (v === null || v === '') return t('directory.provider.changes.none')
    if (c.field === 'status') return t(`directory.provider.statuses.${v}`)
    if (c.field === 'registration') return t(`directory.provider.registrationWords.${v}`)
    if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return formatDate(v)
    return v
  }
  return t('directory.provider.changes.updated', {
    field: t(`directory.provider.changes.fields.${c.field}`),
    old: value(c.oldValue),
    new: value(c.newValue),
  })
}

/** A school's DfE results, census figures and linked schools, by its URN (the GIAS reference); null for others. */
async function schoolFigures(db: AnyDb, provider: { source: { name: string; ref: string } }) {
  if (provider.source.name !== 'gias') return null
  const urn = Number(provider.source.ref)
  const [performance, links] = await Promise.all([schoolPerformance(db, urn), schoolLinks(db, urn)])
  return { performance, links }
}

const PAGE_SIZE = 20

/** Pages for browsing the provider directory. */
export async function providerRoutes(app: FastifyInstance, { db }: ModuleContext): Promise<void> {
  app.get('/providers', { config: { access: 'public' } }, async (req, reply) => {
    const query = providerListQuery.parse(req.query ?? {})
    const view = { query, frameworks: CHOICE_FRAMEWORKS, radii: SEARCH_RADII_MILES, ratings: RATINGS }
    let near: (Around & { precision: string; label: string }) | undefined
    if (query.postcode) {
      const origin = await searchOrigin(db, query.postcode)
      if (!origin.ok) {
        const t = reply.locals.t as (key: string) => string
        const empty = { providers: [], total: 0, page: 1, pageCount: 1 }
        return reply.code(400).render('directory/views/providers.njk', {
          ...view,
          result: empty,
          errors: formError('postcode', t(`directory.list.errors.${origin.reason}`)),
        })
      }
      near = { ...origin, radiusKm: query.radius * KM_PER_MILE }
    }
    const result = await listProviders(db, {
      framework: query.framework,
      name: query.name,
      rating: query.rating,
      near,
      page: query.page,
      pageSize: PAGE_SIZE,
    })
    if (query.page > result.pageCount) throw new NotFoundError('results page')
    return reply.render('directory/views/providers.njk', { ...view, result, near })
  })

  app.get<{ Params: { id: string } }>('/providers/:id', { config: { access: 'public' } }, async (req, reply) => {
    const provider = await findProviderById(db, req.params.id)
    if (!provider) throw new NotFoundError('provider')
    const t = reply.locals.t as (key: string, params?: Record<string, string>) => string
    const [history, school] = await Promise.all([listProviderChanges(db, provider.id), schoolFigures(db, provider)])
    const changes = history.map((c) => ({ when: c.changedAt, what: describeChange(c, t) }))
    const canEdit = scopesOfRole(req.identity?.roles ?? [], 'provider-staff').includes(provider.organisation.id)
    const updated = (req.query as { updated?: unknown }).updated === '1'
    return reply.render('directory/views/provider.njk', { provider, changes, canEdit, updated, school })
  })
}
