import type { Catalogue } from '../module.ts'
import en from './en.json' with { type: 'json' }
import cy from './cy.json' with { type: 'json' }

export const platformLocales: { en: Catalogue; cy: Catalogue } = { en, cy }
