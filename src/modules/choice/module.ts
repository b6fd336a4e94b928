import type { ModuleManifest } from '../../platform/index.ts'
import * as createShortlists from './migrations/2026_11_23_1500_choice_create_shortlists.ts'
import * as createPrompts from './migrations/2026_11_23_1910_choice_create_prompts.ts'
import * as createRequests from './migrations/2026_11_23_1920_choice_create_requests.ts'
import { frameworkRoutes } from './frameworks.routes.ts'
import { findRoutes } from './find.routes.ts'
import { shortlistRoutes } from './shortlist.routes.ts'
import { requestRoutes } from './requests.routes.ts'
import { requestFeedbackRoutes } from './request-feedback.routes.ts'
import { overdueRequestsJob } from './requests.jobs.ts'
import { anonymiseRequestsOf, selectRequestsForExport } from './requests.queries.ts'
import { eraseChoiceData, exportChoiceData } from './shortlist.service.ts'
import { rightsFor } from './rights.ts'
import { erasePromptData, exportPromptData } from './prompts.service.ts'
import en from './locales/en.json' with { type: 'json' }
import cy from './locales/cy.json' with { type: 'json' }

/** Finding, comparing and choosing providers across the five Choice Frameworks. */
export const choiceModule: ModuleManifest = {
  name: 'choice',
  dependsOn: ['accounts', 'directory', 'feedback'],
  migrations: {
    '2026_11_23_1500_choice_create_shortlists': createShortlists,
    '2026_11_23_1910_choice_create_prompts': createPrompts,
    '2026_11_23_1920_choice_create_requests': createRequests,
  },
  routes: async (app, ctx) => {
    await frameworkRoutes(app, ctx)
    await findRoutes(app, ctx)
    await shortlistRoutes(app, ctx)
    await requestRoutes(app, ctx)
    await requestFeedbackRoutes(app, ctx)
  },
  scheduledJobs: [overdueRequestsJob],
  // Any page can include the redress partial (views/partials/redress.njk), which reads the rights catalogue.
  requestHooks: (app) => {
    app.addHook('onRequest', async (_req, reply) => {
      reply.locals.rightsFor = rightsFor
    })
  },
  exportPersonalData: async (db, person) => ({
    ...(await exportChoiceData(db, person)),
    prompts: await exportPromptData(db, person),
    requests: await selectRequestsForExport(db, person.id),
  }),
  // Prompts are kept for the fairness report's counts, without the person (prompts.service.ts).
  // Requests are kept without who made them or what they wrote: providers' response times are published.
  erasePersonalData: async (trx, person) =>
    (await eraseChoiceData(trx, person)) +
    (await erasePromptData(trx, person)) +
    (await anonymiseRequestsOf(trx, person.id, new Date())),
  locales: { en, cy },
}
