import type { Catalogue, ModuleManifest } from './module.ts'
import { platformLocales } from './locales/index.ts'

export const LOCALES = ['en', 'cy'] as const
export type Locale = (typeof LOCALES)[number]

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value)
}

export type Translate = (key: string, params?: Record<string, string | number>) => string

export class MissingStringError extends Error {}

/** Flattens nested catalogues to dotted keys: { home: { title } } → 'home.title'. */
export function flatten(catalogue: Catalogue, prefix = '', into: Map<string, string> = new Map()): Map<string, string> {
  for (const [key, value] of Object.entries(catalogue)) {
    const path = prefix ? `${prefix}.${key}` : key
    if (typeof value === 'string') {
      if (into.has(path)) throw new Error(`The string "${path}" is defined twice`)
      into.set(path, value)
    } else flatten(value, path, into)
  }
  return into
}

/**
 * All user-facing strings, by language. English is complete by definition: a key missing from it is a bug and
 * throws. A Welsh string that is not yet written falls back to English, so a page is never half-blank.
 */
export class I18n {
  private readonly strings: Record<Locale, Map<string, string>>

  constructor(catalogues: { en: Catalogue; cy?: Catalogue }[]) {
    const en = new Map<string, string>()
    const cy = new Map<string, string>()
    for (const c of catalogues) {
      flatten(c.en, '', en)
      if (c.cy) flatten(c.cy, '', cy)
    }
    for (const key of cy.keys()) if (!en.has(key)) throw new Error(`Welsh string "${key}" has no English original`)
    this.strings = { en, cy }
  }

  has(key: string): boolean {
    return this.strings.en.has(key)
  }

  keys(): string[] {
    return [...this.strings.en.keys()]
  }

  /** A lookup function for one language; `onFallback` hears of each key the language lacks. */
  translator(locale: Locale, onFallback?: (key: string) => void): Translate {
    return (key, params) => {
      let template = this.strings[locale].get(key)
      if (template === undefined) {
        template = this.strings.en.get(key)
        if (template === undefined) throw new MissingStringError(`No English string for "${key}"`)
        if (locale !== 'en') onFallback?.(key)
      }
      return params ? interpolate(template, params) : template
    }
  }
}

/** Replaces {name} placeholders; an unknown placeholder is left visible so tests catch it. */
export function interpolate(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name]
    return value === undefined ? whole : String(value)
  })
}

/** The strings of the platform and every module: what pages are written in, and emails sent by background jobs. */
export function i18nOf(modules: readonly ModuleManifest[]): I18n {
  return new I18n([platformLocales, ...modules.flatMap((m) => (m.locales ? [m.locales] : []))])
}
