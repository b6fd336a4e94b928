import nunjucks from 'nunjucks'
import type { FastifyInstance, FastifyReply } from 'fastify'
import { paths } from './paths.ts'

declare module 'fastify' {
  interface FastifyReply {
    /** Values every page needs (language, strings, CSP nonce, CSRF token), set per request. */
    locals: Record<string, unknown>
    /** Renders a Nunjucks view with this request's locals and sends it as HTML. */
    render(view: string, data?: Record<string, unknown>): FastifyReply
  }
}

/**
 * One Nunjucks environment for the whole app. Views are named from the modules folder
 * (`directory/views/provider.njk`); the platform's own views and govuk-frontend's macros are also on the path.
 */
export function createViewEnvironment(production: boolean): nunjucks.Environment {
  const loader = new nunjucks.FileSystemLoader([paths.modules, paths.platformViews, paths.govukFrontend], {
    noCache: !production && process.env.OPENCHOICE_WATCH_VIEWS === '1',
  })
  const env = new nunjucks.Environment(loader, { autoescape: true, throwOnUndefined: false })
  env.addFilter('formatNumber', (n: number) => new Intl.NumberFormat('en-GB').format(n))
  env.addFilter('formatDate', (d: Date | string | null) => (d ? formatDate(d) : ''))
  return env
}

/** Dates as GOV.UK style writes them, in England: 23 November 2026. */
export function formatDate(d: Date | string): string {
  const date = typeof d === 'string' ? new Date(d) : d
  return new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'Europe/London',
  }).format(date)
}

export function registerViews(app: FastifyInstance, env: nunjucks.Environment): void {
  app.decorateReply('locals', null as unknown as Record<string, unknown>)
  app.addHook('onRequest', async (_req, reply) => {
    reply.locals = {}
  })
  app.decorateReply('render', function (this: FastifyReply, view: string, data: Record<string, unknown> = {}) {
    let html = env.render(view, { ...this.locals, ...data })
    // WCAG 3.1.2: a page whose Welsh is not all written yet is shown wholly in English, marked lang="en",
    // with a notice in both languages, rather than as English text labelled as Welsh.
    const untranslated = this.locals.untranslated as Set<string> | undefined
    if (this.locals.locale !== 'en' && untranslated?.size) {
      html = env.render(view, { ...this.locals, ...data, t: this.locals.inEnglish, locale: 'en', notTranslated: true })
    }
    return this.type('text/html; charset=utf-8').send(html)
  })
}
