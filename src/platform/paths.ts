import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createRequire } from 'node:module'

const here = dirname(fileURLToPath(import.meta.url))

/** Absolute paths the platform needs, independent of the working directory. */
export const paths = {
  root: resolve(here, '../..'),
  modules: resolve(here, '../modules'),
  platformViews: resolve(here, 'views'),
  platformAssets: resolve(here, 'assets'),
  data: resolve(here, '../../data'),
  // govuk-frontend's main entry is dist/govuk/all.bundle.js; its templates and assets live under dist/
  govukFrontend: dirname(dirname(createRequire(import.meta.url).resolve('govuk-frontend'))),
}
