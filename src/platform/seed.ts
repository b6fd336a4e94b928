import type { Logger } from 'pino'
import type { AnyDb } from './db.ts'
import type { ModuleManifest } from './module.ts'

/**
 * Runs modules' seeds in module order. With `onlyIfEmpty` (first start) a seed whose data is already there
 * is skipped; otherwise every seed runs again, which changes nothing because seeds are idempotent.
 */
export async function runSeeds(
  db: AnyDb,
  modules: ModuleManifest[],
  log: Logger,
  opts: { onlyIfEmpty: boolean },
): Promise<number> {
  let total = 0
  for (const m of modules) {
    for (const seed of m.seeds ?? []) {
      if (opts.onlyIfEmpty && (await seed.isDone(db))) continue
      const started = Date.now()
      const { rows } = await seed.run(db, log)
      log.info({ seed: seed.name, rows, ms: Date.now() - started }, 'seed finished')
      total += rows
    }
  }
  return total
}
