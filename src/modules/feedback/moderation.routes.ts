import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { auditContextFromRequest, fieldErrors, formError, idParam, type ModuleContext } from '../../platform/index.ts'
import { REJECTION_REASONS } from './collection.ts'
import { moderationForm } from './comments.schema.ts'
import { listPendingComments, moderateComment } from './comments.service.ts'

type T = (key: string, params?: Record<string, string | number>) => string
/**
 * Moderation is the service operator's job, not a regulator's (whose role is scoped to its own register and its
 * statutory powers): administrators moderate.
 */
const MODERATOR = { access: { roles: ['admin'] as const } }

/** The moderation queue: every comment is read before it is published. */
export async function moderationRoutes(app: FastifyInstance, { db, config, now }: ModuleContext): Promise<void> {
  async function render(req: FastifyRequest, reply: FastifyReply, extra: object = {}) {
    const done = (req.query as { done?: unknown }).done
    return reply.render('feedback/views/moderation.njk', {
      comments: await listPendingComments(db),
      reasons: REJECTION_REASONS,
      done: done === 'published' || done === 'rejected' ? done : null,
      ...extra,
    })
  }

  app.get('/moderation/comments', { config: MODERATOR }, async (req, reply) => render(req, reply))

  app.post(
    '/moderation/comments/:commentId',
    { config: { ...MODERATOR, rateLimit: { max: 120, timeWindow: '1 minute' } } },
    async (req, reply) => {
      const commentId = idParam(req.params, 'commentId')
      const t = reply.locals.t as T
      const form = moderationForm.safeParse(req.body ?? {})
      if (!form.success) {
        const errors = formError(`decision-${commentId}`, fieldErrors(form.error, t)[0]!.text)
        return render(req, reply.code(400), { errors })
      }
      const { decision: d } = form.data
      const decision = d === 'publish' ? ({ publish: true } as const) : ({ publish: false, reason: d } as const)
      const facts = { ...auditContextFromRequest(req, config), now: now() }
      const result = await moderateComment(db, req.identity!.personId, commentId, decision, facts)
      if (!result.ok) {
        const errors = formError(`decision-${commentId}`, t('feedback.moderation.errors.alreadyModerated'))
        return render(req, reply.code(409), { errors })
      }
      return reply.redirect(`/moderation/comments?done=${decision.publish ? 'published' : 'rejected'}`, 303)
    },
  )
}
