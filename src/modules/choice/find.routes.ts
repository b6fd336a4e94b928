import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { formError, NotFoundError, type ChoiceFramework, type ModuleContext } from '../../platform/index.ts'
import {
  distanceKmBetween,
  findProviderById,
  isChoiceFramework,
  KM_PER_MILE,
  listProviders,
  listServiceTypes,
  mayBeChosen,
  RATINGS,
  SEARCH_RADII_MILES,
  searchOrigin,
  type Provider,
} from '../directory/index.ts'
import { satisfactionFor } from '../feedback/index.ts'
import { COMPARE_MAX, COMPARE_MIN, compareQuery, findQuery, SORTS, type FindQuery } from './find.schema.ts'
import { promptViewer, recordPromptShown } from './prompts.service.ts'
import { responseStandardMetFor } from './provider-figures.ts'
import { rightsFor } from './rights.ts'

const PUBLIC = { config: { access: 'public' as const } }
const PAGE_SIZE = 20

type T = (key: string, params?: Record<string, string | number>) => string

function frameworkOf(params: unknown): ChoiceFramework {
  const framework = (params as { framework?: unknown }).framework
  if (!isChoiceFramework(framework)) throw new NotFoundError('Choice Framework')
  return framework
}

/** The find page's address for a search (one of its pages), so paging, the back link and compare keep the search. */
function findHref(framework: ChoiceFramework, q: FindQuery, page = q.page): string {
  const params = new URLSearchParams({ postcode: q.postcode ?? '', radius: String(q.radius), sort: q.sort })
  if (q.need) params.set('need', q.need)
  if (q.rating) params.set('rating', q.rating)
  if (page > 1) params.set('page', String(page))
  return `/choose/${framework}/find?${params}`
}

/** Finding providers near a postcode in one Choice Framework, and comparing two to four of them. */
export async function findRoutes(app: FastifyInstance, { db, now }: ModuleContext): Promise<void> {
  /**
   * The find page: the search form, then (once a postcode is sent) the results with a choice prompt. Compare's
   * errors come back here, to the results they were ticked on, with `selected` still ticked.
   */
  async function renderFind(
    req: FastifyRequest,
    reply: FastifyReply,
    framework: ChoiceFramework,
    query: FindQuery,
    compare?: { error: string; selected: string[] },
  ) {
    const t = reply.locals.t as T
    const needs = await listServiceTypes(db, framework)
    // A need the framework does not have (an old link, say) is no filter rather than an error.
    const q = { ...query, need: query.need && needs.includes(query.need) ? query.need : undefined }
    const view = {
      framework,
      rights: rightsFor(framework),
      query: q,
      needs,
      radii: SEARCH_RADII_MILES,
      ratings: RATINGS,
      sorts: SORTS,
      selected: compare?.selected ?? [],
    }
    const invalid = (field: string, text: string) =>
      reply.code(400).render('choice/views/find.njk', { ...view, errors: formError(field, text) })

    // Not searched yet (no postcode sent): the form alone.
    if (q.postcode === undefined) {
      if (compare) return invalid('postcode', t('choice.compare.errors.noSearch'))
      return reply.render('choice/views/find.njk', view)
    }
    if (!q.postcode) return invalid('postcode', t('choice.find.errors.postcodeMissing'))
    const origin = await searchOrigin(db, q.postcode)
    if (!origin.ok) return invalid('postcode', t(`directory.list.errors.${origin.reason}`))
    const result = await listProviders(db, {
      framework,
      serviceType: q.need,
      rating: q.rating,
      near: { ...origin, radiusKm: q.radius * KM_PER_MILE },
      sort: q.sort,
      page: q.page,
      pageSize: PAGE_SIZE,
    })
    if (q.page > result.pageCount) throw new NotFoundError('results page')
    // Satisfaction as the feedback module publishes it (none where too few people answered).
    const satisfaction = await satisfactionFor(
      db,
      result.providers.map((p) => p.id),
      now(),
    )
    await recordPromptShown(db, { framework, point: 'find', ...promptViewer(req) }, now())
    const found = {
      ...view,
      result,
      near: origin,
      satisfaction,
      pageHref: (page: number) => findHref(framework, q, page),
    }
    if (!compare) return reply.render('choice/views/find.njk', found)
    // The error points at the first box to tick, or at the postcode when there was nothing to tick.
    const field = result.providers.length ? 'provider' : 'postcode'
    return reply.code(400).render('choice/views/find.njk', { ...found, errors: formError(field, compare.error) })
  }

  app.get('/choose/:framework/find', PUBLIC, async (req, reply) =>
    renderFind(req, reply, frameworkOf(req.params), findQuery.parse(req.query ?? {})),
  )

  app.get('/choose/:framework/compare', PUBLIC, async (req, reply) => {
    const framework = frameworkOf(req.params)
    const { provider: ids, ...query } = compareQuery.parse(req.query ?? {})
    if (ids.length < COMPARE_MIN || ids.length > COMPARE_MAX) {
      const t = reply.locals.t as T
      const problem = ids.length === 0 ? 'none' : ids.length === 1 ? 'one' : 'tooMany'
      const error = t(`choice.compare.errors.${problem}`, { max: COMPARE_MAX, count: ids.length })
      return renderFind(req, reply, framework, query, { error, selected: ids })
    }
    const found = await Promise.all(ids.map((id) => findProviderById(db, id)))
    const providers = found.filter((p): p is Provider => p?.framework === framework)
    if (providers.length !== ids.length) throw new NotFoundError('provider')
    // Distances only from a postcode that is known; compare is still useful without them.
    const origin = query.postcode ? await searchOrigin(db, query.postcode) : undefined
    const from = origin?.ok ? origin : undefined
    const [satisfaction, standardMet] = await Promise.all([
      satisfactionFor(db, ids, now()),
      responseStandardMetFor(db, ids, now()),
    ])
    const columns = providers.map((p) => ({
      provider: p,
      distanceKm: from && p.location ? distanceKmBetween(from, p.location) : null,
      satisfaction: satisfaction.get(p.id) ?? null,
      standardMet: standardMet.get(p.id) ?? null,
      mayBeChosen: mayBeChosen(p).ok,
    }))
    await recordPromptShown(db, { framework, point: 'compare', ...promptViewer(req) }, now())
    return reply.render('choice/views/compare.njk', {
      framework,
      rights: rightsFor(framework),
      columns,
      from,
      backHref: query.postcode === undefined ? `/choose/${framework}/find` : findHref(framework, query),
    })
  })
}
