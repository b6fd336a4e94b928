// The monthly publication: each provider's disclosed FFT figures for a month and the rolling year to it, beside the
// figures of its local authority and of England for the same type of service.
import type { AnyDb } from '../../platform/index.ts'
import { findProviderById, type ChoiceFramework } from '../directory/index.ts'
import { COLLECTION_MODES, type CollectionMode } from './collection.ts'
import { disclose, type DisclosedFigures, type DisclosedMeasure, type GeographicLevel } from './disclosure.ts'
import { selectCountsByServiceMonthAndMode } from './publication.queries.ts'
import { addMonths, type Month } from './period.ts'
import {
  compareWithReference,
  sumCounts,
  totalResponses,
  zeroCounts,
  type AnswerCounts,
  type Comparison,
} from './statistics.ts'
import { fromAnswerColumns } from './tables.ts'

/** What the publication says about the provider a row is for, from the directory. */
export interface PublishedProvider {
  id: string
  name: string
  organisation: string
  organisationId: string
  framework: ChoiceFramework
  serviceType: string
  /** The directory's local authority name (it exposes no ONS code); null where its source gives none. */
  localAuthority: string | null
}

/** Every publication is for a month and for the 12 months to it. */
export const PERIOD_KINDS = ['month', 'rolling-12-months'] as const
export type PeriodKind = (typeof PERIOD_KINDS)[number]

/** A reference's figures and how the provider compares with them; each comparison null where either is suppressed. */
export interface Reference {
  figures: DisclosedFigures
  positive: Comparison | null
  negative: Comparison | null
}

/** One published row: a provider and period with at least 10 responses. Every figure in it comes from `disclose`. */
export interface PublishedFigures {
  provider: PublishedProvider
  period: { kind: PeriodKind; from: Month; to: Month }
  /** The collection modes with any responses in the period: figures from different modes are not comparable. */
  modes: CollectionMode[]
  figures: DisclosedFigures
  localAuthority: Reference | null
  england: Reference | null
}

type ByMode = Map<CollectionMode, AnswerCounts>
const LOOKUPS_AT_ONCE = 8

/** The months of a period ending at `month`. */
export const periodOf = (kind: PeriodKind, month: Month) => ({
  kind,
  from: kind === 'month' ? month : addMonths(month, -11),
  to: month,
})

function add(into: Map<string, AnswerCounts[]>, key: string, counts: AnswerCounts) {
  const list = into.get(key)
  if (list) list.push(counts)
  else into.set(key, [counts])
}

function comparing(provider: DisclosedMeasure, reference: DisclosedMeasure, higherIs: 'better' | 'worse') {
  // The intervals published (from rounded counts), so anyone can check a comparison against the file itself.
  if (!provider.percentage || !reference.percentage) return null
  return compareWithReference(provider.percentage, reference.percentage, higherIs)
}

function referenceFor(figures: DisclosedFigures, counts: AnswerCounts[] | undefined, level: GeographicLevel) {
  const reference = counts && disclose(sumCounts(counts), level)
  if (!reference) return null
  return {
    figures: reference,
    positive: comparing(figures.positive, reference.positive, 'better'),
    negative: comparing(figures.negative, reference.negative, 'worse'),
  }
}

const toPublished = (p: NonNullable<Awaited<ReturnType<typeof findProviderById>>>): PublishedProvider => ({
  id: p.id,
  name: p.name,
  organisation: p.organisation.name,
  organisationId: p.organisation.id,
  framework: p.framework,
  serviceType: p.providerType,
  localAuthority: p.localAuthority,
})

/** What the directory says about each of these services, by id; services it does not know are left out. */
export async function publishedProviders(
  db: AnyDb,
  serviceIds: Iterable<string>,
): Promise<Map<string, PublishedProvider>> {
  const providers = new Map<string, PublishedProvider>()
  // The directory offers lookups one at a time: a few at once keep the pool busy (PGlite queues them).
  const ids = [...serviceIds]
  for (let i = 0; i < ids.length; i += LOOKUPS_AT_ONCE) {
    const found = await Promise.all(ids.slice(i, i + LOOKUPS_AT_ONCE).map((id) => findProviderById(db, id)))
    for (const p of found) if (p) providers.set(p.id, toPublished(p))
  }
  return providers
}

/** Publication order: by provider name (then id), the month before the rolling year. */
export const byProviderAndPeriod = (
  a: { provider: PublishedProvider; period: { kind: PeriodKind } },
  b: { provider: PublishedProvider; period: { kind: PeriodKind } },
): number =>
  a.provider.name.localeCompare(b.provider.name) ||
  a.provider.id.localeCompare(b.provider.id) ||
  PERIOD_KINDS.indexOf(a.period.kind) - PERIOD_KINDS.indexOf(b.period.kind)

/**
 * The publication for `month`: for every provider with feedback, its figures for that month and for the 12 months
 * to it (each only with 10 or more responses), each compared with its local authority's and England's figures for
 * the same framework and type of service (all providers' responses, the provider's own included, in every mode).
 * Services the directory does not know are left out.
 */
export async function monthlyPublication(db: AnyDb, month: Month): Promise<PublishedFigures[]> {
  const rows = await selectCountsByServiceMonthAndMode(db, addMonths(month, -11), month)
  const services = new Map<string, { month: ByMode; year: ByMode }>()
  for (const row of rows) {
    let s = services.get(row.service_id)
    if (!s) services.set(row.service_id, (s = { month: new Map(), year: new Map() }))
    const counts = fromAnswerColumns(row)
    const before = s.year.get(row.mode)
    s.year.set(row.mode, before ? sumCounts([before, counts]) : counts)
    if (row.month === month) s.month.set(row.mode, counts)
  }
  const providers = await publishedProviders(db, services.keys())

  const kinds = PERIOD_KINDS
  const pick = (s: { month: ByMode; year: ByMode }, kind: PeriodKind) => (kind === 'month' ? s.month : s.year)
  const typeKey = (p: PublishedProvider) => `${p.framework}\u0000${p.serviceType}`
  const laKey = (p: PublishedProvider) => `${typeKey(p)}\u0000${p.localAuthority}`
  const totals = Object.fromEntries(
    kinds.map((kind) => {
      const [la, england] = [new Map<string, AnswerCounts[]>(), new Map<string, AnswerCounts[]>()]
      for (const [id, p] of providers) {
        const counts = sumCounts(pick(services.get(id)!, kind).values())
        add(england, typeKey(p), counts)
        if (p.localAuthority) add(la, laKey(p), counts)
      }
      return [kind, { la, england }]
    }),
  ) as Record<PeriodKind, { la: Map<string, AnswerCounts[]>; england: Map<string, AnswerCounts[]> }>

  const published: PublishedFigures[] = []
  for (const [id, provider] of providers) {
    for (const kind of kinds) {
      const byMode = pick(services.get(id)!, kind)
      const figures = disclose(sumCounts(byMode.values()), 'provider')
      if (!figures) continue
      published.push({
        provider,
        period: periodOf(kind, month),
        modes: COLLECTION_MODES.filter((m) => totalResponses(byMode.get(m) ?? zeroCounts()) > 0),
        figures,
        localAuthority: provider.localAuthority
          ? referenceFor(figures, totals[kind].la.get(laKey(provider)), 'local-authority')
          : null,
        england: referenceFor(figures, totals[kind].england.get(typeKey(provider)), 'national'),
      })
    }
  }
  return published.sort(byProviderAndPeriod)
}

/**
 * The publication is one scan of a year's responses (about 20 s at 10 million on a busy 2-core machine), so the open
 * data and the provider pages share each month's for 5 minutes (per database; the downloads say max-age=300), and
 * requests that arrive while it is being made wait for the same scan. Figures lag new responses by that much.
 */
const KEEP_MS = 5 * 60_000
const KEEP_FILES = 48 // 24 months of each publication: a crawler walking old months cannot fill the memory
const kept = new WeakMap<AnyDb, Map<string, { at: number; rows: Promise<unknown[]> }>>()

/** A publication's rows for a month, made by `make` at most once every 5 minutes per database (see above). */
export function keptFor<R>(db: AnyDb, key: string, make: () => Promise<R[]>): Promise<R[]> {
  let byKey = kept.get(db)
  if (!byKey) kept.set(db, (byKey = new Map()))
  const hit = byKey.get(key)
  if (hit && Date.now() - hit.at < KEEP_MS) return hit.rows as Promise<R[]>
  byKey.delete(key)
  if (byKey.size >= KEEP_FILES) byKey.delete(byKey.keys().next().value!)
  const rows = make()
  byKey.set(key, { at: Date.now(), rows })
  rows.catch(() => byKey.delete(key)) // a failed scan is not kept
  return rows
}

export const cachedPublication = (db: AnyDb, month: Month): Promise<PublishedFigures[]> =>
  keptFor(db, `satisfaction:${month}`, () => monthlyPublication(db, month))

/** Forgets the kept publications of a database (tests that change the figures it was made from). */
export const forgetPublications = (db: AnyDb): void => void kept.delete(db)

/** One month of a provider's own figures: null where fewer than 10 responses (`responses` says whether any). */
export interface ProviderMonth {
  month: Month
  figures: DisclosedFigures | null
  hasResponses: boolean
  modes: CollectionMode[]
}

/** A provider's disclosed figures for each of the 12 months to `month`, oldest first (its page's chart and table). */
export async function providerMonths(db: AnyDb, serviceId: string, month: Month): Promise<ProviderMonth[]> {
  const rows = await selectCountsByServiceMonthAndMode(db, addMonths(month, -11), month, serviceId)
  return Array.from({ length: 12 }, (_, i) => {
    const m = addMonths(month, i - 11)
    const mine = rows.filter((r) => r.month === m)
    const counts = sumCounts(mine.map(fromAnswerColumns))
    return {
      month: m,
      figures: disclose(counts, 'provider'),
      hasResponses: totalResponses(counts) > 0,
      modes: COLLECTION_MODES.filter((mode) =>
        mine.some((r) => r.mode === mode && totalResponses(fromAnswerColumns(r)) > 0),
      ),
    }
  })
}
