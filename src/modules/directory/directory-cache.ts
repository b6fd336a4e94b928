import type { AnyDb } from '../../platform/index.ts'

/**
 * The directory changes only when data is imported, yet every page and API call counts and lists from it: counts,
 * taxonomy terms and the like are kept per database for a minute. An import clears them in its own process at
 * once (forgetDirectoryCaches); other processes catch up within the minute, so a total can lag an import by that.
 */
const TTL_MS = 60_000
/** Distinct keys kept per database: searches by place make many, so the oldest go first. */
const MAX_ENTRIES = 2_000

const caches = new WeakMap<AnyDb, Map<string, { at: number; value: Promise<unknown> }>>()

/** The value kept for `key` (any JSON-serialisable description of the question), else `load`'s, kept a minute. */
export function cachedForDirectory<T>(db: AnyDb, key: unknown, load: () => Promise<T>): Promise<T> {
  let cache = caches.get(db)
  if (!cache) caches.set(db, (cache = new Map()))
  const k = JSON.stringify(key)
  const hit = cache.get(k)
  if (hit && Date.now() - hit.at < TTL_MS) return hit.value as Promise<T>
  if (hit) cache.delete(k)
  if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!)
  const value = load()
  const entry = { at: Date.now(), value }
  cache.set(k, entry)
  // A failed load is not kept, so the next request asks the database again.
  value.catch(() => {
    if (cache.get(k) === entry) cache.delete(k)
  })
  return value
}

/** Forgets everything kept for this database, after its directory data changed (imports, seeds, tests). */
export function forgetDirectoryCaches(db: AnyDb): void {
  caches.delete(db)
}
