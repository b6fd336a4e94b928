import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { FastifyInstance, FastifyReply } from 'fastify'
import fastifyStatic from '@fastify/static'
import { paths } from './paths.ts'
import { markScopeStatic } from './security.ts'

export interface CompiledAssets {
  css: string
  cssHash: string
}

const CACHE_DIR = resolve(paths.root, 'node_modules/.cache/openchoice')

/**
 * Compiles the service's Sass (govuk-frontend with the Arial font stack: this is a public service, not GOV.UK).
 * The result is cached on disk by a hash of the sources, so only the first start after a change pays for it.
 */
export async function compileStyles(): Promise<CompiledAssets> {
  const entry = join(paths.platformAssets, 'application.scss')
  const govukVersion = JSON.parse(readFileSync(resolve(paths.govukFrontend, '../package.json'), 'utf8')).version
  const key = createHash('sha256').update(readFileSync(entry)).update(govukVersion).digest('hex').slice(0, 16)
  const cached = join(CACHE_DIR, `application-${key}.css`)
  if (existsSync(cached)) return { css: readFileSync(cached, 'utf8'), cssHash: key }
  const sass = await import('sass')
  const { css } = sass.compile(entry, {
    loadPaths: [resolve(paths.root, 'node_modules')],
    style: 'compressed',
    quietDeps: true,
    silenceDeprecations: ['import'],
  })
  mkdirSync(CACHE_DIR, { recursive: true })
  writeFileSync(cached, css)
  return { css, cssHash: key }
}

const ONE_YEAR = 'public, max-age=31536000, immutable'

/** Serves govuk-frontend's images and script, and our compiled stylesheet, from this app (no CDN). */
export async function registerAssets(app: FastifyInstance, assets: CompiledAssets): Promise<void> {
  const js = readFileSync(join(paths.govukFrontend, 'govuk/govuk-frontend.min.js'))
  const appJs = readFileSync(join(paths.platformAssets, 'application.js'))
  const send = (type: string, body: string | Buffer) => async (_req: unknown, reply: FastifyReply) =>
    reply.header('content-type', type).header('cache-control', ONE_YEAR).send(body)
  await app.register(async (scope) => {
    markScopeStatic(scope)
    await scope.register(fastifyStatic, {
      root: join(paths.govukFrontend, 'govuk/assets'),
      prefix: '/assets/',
      maxAge: '1d',
      index: false,
    })
    scope.get('/assets/application.css', send('text/css; charset=utf-8', assets.css))
    scope.get('/assets/govuk-frontend.min.js', send('text/javascript; charset=utf-8', js))
    scope.get('/assets/application.js', send('text/javascript; charset=utf-8', appJs))
  })
}
