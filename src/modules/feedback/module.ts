import type { ModuleManifest } from '../../platform/index.ts'
import * as createResponses from './migrations/2026_11_23_2000_feedback_create_responses.ts'
import * as createMonthlyCounts from './migrations/2026_11_23_2010_feedback_create_monthly_counts.ts'
import * as createCommentReplies from './migrations/2026_11_23_2120_feedback_create_comment_replies.ts'
import * as createRequestOutcomes from './migrations/2026_11_23_2200_feedback_create_request_outcomes.ts'
import { openDataRoutes } from './open-data.routes.ts'
import { providerFeedbackRoutes } from './provider-feedback.routes.ts'
import { moderationRoutes } from './moderation.routes.ts'
import { linkRoutes } from './links.routes.ts'
import { uploadRoutes } from './upload.routes.ts'
import { recordRequestOutcome } from './request-outcomes.events.ts'
import en from './locales/en.json' with { type: 'json' }

/** One standard satisfaction measure for every provider (the NHS Friends and Family Test question), published with honest statistics. */
export const feedbackModule: ModuleManifest = {
  name: 'feedback',
  dependsOn: ['directory'],
  migrations: {
    '2026_11_23_2000_feedback_create_responses': createResponses,
    '2026_11_23_2010_feedback_create_monthly_counts': createMonthlyCounts,
    '2026_11_23_2120_feedback_create_comment_replies': createCommentReplies,
    '2026_11_23_2200_feedback_create_request_outcomes': createRequestOutcomes,
  },
  routes: async (app, ctx) => {
    await linkRoutes(app, ctx)
    await uploadRoutes(app, ctx)
    await openDataRoutes(app, ctx)
    await providerFeedbackRoutes(app, ctx)
    await moderationRoutes(app, ctx)
  },
  // Providers' response times to choice requests, from the choice module's events.
  eventHandlers: [recordRequestOutcome],
  locales: { en },
}
