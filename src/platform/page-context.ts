import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Config } from './config.ts'
import { isLocale, type I18n, type Locale } from './i18n.ts'

const LANG_COOKIE = 'openchoice-lang'

/** The language for this request: `?lang=` (remembered in a cookie), then the cookie, then English. */
function chooseLocale(req: FastifyRequest, reply: FastifyReply, secure: boolean): Locale {
  const asked = (req.query as Record<string, unknown> | undefined)?.lang
  if (isLocale(asked)) {
    reply.setCookie(LANG_COOKIE, asked, { path: '/', sameSite: 'lax', httpOnly: true, secure, maxAge: 365 * 24 * 3600 })
    return asked
  }
  const remembered = req.cookies[LANG_COOKIE]
  return isLocale(remembered) ? remembered : 'en'
}

/** The current page's address in another language, for the language navigation. */
function urlInLocale(req: FastifyRequest, locale: Locale): string {
  const url = new URL(req.url, 'http://x')
  url.searchParams.set('lang', locale)
  return url.pathname + url.search
}

/** Sets what every page template needs: strings, language, CSP nonce, CSRF field, service settings. */
export function registerPageContext(app: FastifyInstance, opts: { config: Config; i18n: I18n; cssHash: string }): void {
  const { config, i18n, cssHash } = opts
  app.addHook('onRequest', async (req, reply) => {
    const locale = chooseLocale(req, reply, config.secureCookies)
    const untranslated = new Set<string>()
    Object.assign(reply.locals, {
      t: i18n.translator(locale, (key) => untranslated.add(key)),
      locale,
      untranslated,
      inEnglish: i18n.translator('en'),
      welshNotice: i18n.translator('cy')('common.notYetInWelsh'),
      cspNonce: reply.cspNonce?.script,
      cssHash,
      currentPath: new URL(req.url, 'http://x').pathname,
      operator: config.operator,
      feedbackUrl: config.feedbackUrl,
      csrfToken: () => reply.generateCsrf(),
      languages: [
        { text: 'English', lang: 'en', href: urlInLocale(req, 'en'), current: locale === 'en' },
        { text: 'Cymraeg', lang: 'cy', href: urlInLocale(req, 'cy'), current: locale === 'cy' },
      ],
    })
  })
}
