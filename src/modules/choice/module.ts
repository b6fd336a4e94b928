import type { ModuleManifest } from '../../platform/index.ts'
import * as createShortlists from './migrations/2026_11_23_1500_choice_create_shortlists.ts'
import * as createPrompts from './migrations/2026_11_23_1910_choice_create_prompts.ts'
import { frameworkRoutes } from './frameworks.routes.ts'
import { shortlistRoutes } from './shortlist.routes.ts'
import { eraseChoiceData, exportChoiceData } from './shortlist.service.ts'
import { rightsFor } from './rights.ts'
import { erasePromptData, exportPromptData } from './prompts.service.ts'
import en from './locales/en.json' with { type: 'json' }
import cy from './locales/cy.json' with { type: 'json' }

/** Finding, comparing and choosing providers across the five Choice Frameworks. */
export const choiceModule: ModuleManifest = {
  name: 'choice',
  dependsOn: ['accounts', 'directory'],
  migrations: {
    '2026_11_23_1500_choice_create_shortlists': createShortlists,
    '2026_11_23_1910_choice_create_prompts': createPrompts,
  },
  routes: async (app, ctx) => {
    await frameworkRoutes(app, ctx)
    await shortlistRoutes(app, ctx)
  },
  // Any page can include the redress partial (views/partials/redress.njk), which reads the rights catalogue.
  requestHooks: (app) => {
    app.addHook('onRequest', async (_req, reply) => {
      reply.locals.rightsFor = rightsFor
    })
  },
  exportPersonalData: async (db, person) => ({
    ...(await exportChoiceData(db, person)),
    prompts: await exportPromptData(db, person),
  }),
  // Prompts are kept for the fairness report's counts, without the person (prompts.service.ts).
  erasePersonalData: async (trx, person) => (await eraseChoiceData(trx, person)) + (await erasePromptData(trx, person)),
  locales: { en, cy },
}
