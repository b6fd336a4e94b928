import type { FastifyInstance } from 'fastify'
import { NotFoundError, type ModuleContext } from '../../platform/index.ts'
import { CHOICE_FRAMEWORKS, countProvidersByFramework, isChoiceFramework } from '../directory/index.ts'
import { promptViewer, recordPromptShown } from './prompts.service.ts'
import { rightsFor } from './rights.ts'

/** The home page and one start page per Choice Framework. */
export async function frameworkRoutes(app: FastifyInstance, { db, now }: ModuleContext): Promise<void> {
  app.get('/', { config: { access: 'public' } }, async (_req, reply) => {
    const counts = await countProvidersByFramework(db)
    return reply.render('choice/views/home.njk', { frameworks: CHOICE_FRAMEWORKS, counts })
  })

  app.get<{ Params: { framework: string } }>(
    '/choose/:framework',
    { config: { access: 'public' } },
    async (req, reply) => {
      const framework = req.params.framework
      if (!isChoiceFramework(framework)) throw new NotFoundError('Choice Framework')
      const counts = await countProvidersByFramework(db)
      await recordPromptShown(db, { framework, point: 'start', ...promptViewer(req) }, now())
      return reply.render('choice/views/framework.njk', {
        framework,
        count: counts[framework] ?? 0,
        rights: rightsFor(framework),
      })
    },
  )
}
