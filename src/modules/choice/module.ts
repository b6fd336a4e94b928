import type { ModuleManifest } from '../../platform/index.ts'
import * as createShortlists from './migrations/2026_11_23_1500_choice_create_shortlists.ts'
import { frameworkRoutes } from './frameworks.routes.ts'
import { shortlistRoutes } from './shortlist.routes.ts'
import { eraseChoiceData, exportChoiceData } from './shortlist.service.ts'
import { rightsFor } from './rights.ts'
import en from './locales/en.json' with { type: 'json' }
import cy from './locales/cy.json' with { type: 'json' }

/** Finding, comparing and choosing providers across the five Choice Frameworks. */
export const choiceModule: ModuleManifest = {
  name: 'choice',
  dependsOn: ['accounts', 'directory'],
  migrations: {
    '2026_11_23_1500_choice_create_shortlists': createShortlists,
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
  exportPersonalData: exportChoiceData,
  erasePersonalData: eraseChoiceData,
  locales: { en, cy },
}
