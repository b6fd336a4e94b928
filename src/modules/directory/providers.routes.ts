import type { FastifyInstance } from 'fastify'
import { NotFoundError, type ModuleContext } from '../../platform/index.ts'
import { CHOICE_FRAMEWORKS } from './frameworks.ts'
import { providerListQuery } from './providers.schema.ts'
import { findProviderById, listProviders } from './providers.service.ts'

const PAGE_SIZE = 20

/** Pages for browsing the provider directory. */
export async function providerRoutes(app: FastifyInstance, { db }: ModuleContext): Promise<void> {
  app.get('/providers', { config: { access: 'public' } }, async (req, reply) => {
    const query = providerListQuery.parse(req.query ?? {})
    const result = await listProviders(db, {
      framework: query.framework,
      name: query.name,
      page: query.page,
      pageSize: PAGE_SIZE,
    })
    if (query.page > result.pageCount) throw new NotFoundError('results page')
    return reply.render('directory/views/providers.njk', { query, result, frameworks: CHOICE_FRAMEWORKS })
  })

  app.get<{ Params: { id: string } }>('/providers/:id', { config: { access: 'public' } }, async (req, reply) => {
    const provider = await findProviderById(db, req.params.id)
    if (!provider) throw new NotFoundError('provider')
    return reply.render('directory/views/provider.njk', { provider })
  })
}
