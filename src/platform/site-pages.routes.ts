import { z } from 'zod'
import type { FastifyInstance } from 'fastify'
import type { ModuleContext } from './module.ts'
import { fieldErrors, type FormErrors } from './forms.ts'
import { insertServiceFeedback } from './service-feedback.queries.ts'

const SATISFACTION = ['very-satisfied', 'satisfied', 'neutral', 'dissatisfied', 'very-dissatisfied'] as const

export const feedbackForm = z.object({
  satisfaction: z.enum(SATISFACTION, { error: 'feedback.errors.satisfaction' }),
  comments: z.string().trim().max(1200, { error: 'feedback.errors.commentsTooLong' }).optional().default(''),
  page: z
    .string()
    .max(200)
    .regex(/^\/[\w\-/]*$/)
    .optional()
    .catch(undefined),
})

/** The service's own pages: accessibility statement, cookies, privacy notice, open data, feedback. */
export async function registerSitePages(app: FastifyInstance, ctx: ModuleContext): Promise<void> {
  const page = (url: string, view: string, titleKey: string) =>
    app.get(url, { config: { access: 'public' } }, async (_req, reply) =>
      reply.render(view, { pageTitle: (reply.locals.t as (k: string) => string)(titleKey) }),
    )
  page('/accessibility', 'pages/accessibility.njk', 'pages.accessibility.title')
  page('/cookies', 'pages/cookies.njk', 'pages.cookies.title')
  page('/privacy', 'pages/privacy.njk', 'pages.privacy.title')
  page('/open-data', 'pages/open-data.njk', 'pages.openData.title')

  app.get('/feedback', { config: { access: 'public' } }, async (req, reply) => {
    const from = (req.query as { from?: string }).from
    return reply.render('pages/feedback.njk', { values: { page: from } })
  })

  app.post(
    '/feedback',
    { config: { access: 'public', rateLimit: { max: 10, timeWindow: '1 minute' } } },
    async (req, reply) => {
      const form = feedbackForm.safeParse(req.body ?? {})
      if (!form.success) {
        const errors: FormErrors = fieldErrors(form.error, reply.locals.t as (k: string) => string)
        return reply.code(400).render('pages/feedback.njk', { values: req.body ?? {}, errors })
      }
      await insertServiceFeedback(ctx.db, form.data)
      return reply.redirect('/feedback/sent', 303)
    },
  )
  app.get('/feedback/sent', { config: { access: 'public' } }, async (_req, reply) =>
    reply.render('pages/feedback-sent.njk'),
  )
}
