import type { FastifyInstance } from 'fastify'
import type { Migration } from 'kysely'
import type { ScopeType } from './roles.ts'
import type { ImportSource } from './import/index.ts'
import type { Config } from './config.ts'
import type { AnyDb } from './db.ts'
import type { Logger } from 'pino'

/** What every module's routes plugin receives. */
export interface ModuleContext {
  db: AnyDb
  config: Config
  /** The current time; tests pass a controllable clock (session expiry, deadlines). */
  now: () => Date
  /** Every module of the app, for work that loops over them (data-subject export and erasure, scope types). */
  modules: readonly ModuleManifest[]
}

/** A step that loads demo data; it must be idempotent, so re-running it changes nothing. */
export interface Seed {
  name: string
  /** True when the data this seed loads is already there (first-start check). */
  isDone(db: AnyDb): Promise<boolean>
  run(db: AnyDb, log: Logger): Promise<{ rows: number }>
}

/** A module's manifest (CONVENTIONS: module.ts; Decidim's engine manifest). The platform loops over these. */
export interface ModuleManifest {
  name: string
  /** Modules whose index.ts this module imports; a test checks it against the import graph. */
  dependsOn: string[]
  /** Migrations keyed by a globally time-ordered name: `YYYY_MM_DD_HHMM_<module>_<what>`. */
  migrations: Record<string, Migration>
  routes?: (app: FastifyInstance, ctx: ModuleContext) => Promise<void>
  /** Hooks on every request of the whole app (not just this module's routes), such as loading the session. */
  requestHooks?: (app: FastifyInstance, ctx: ModuleContext) => void
  /** Folder holding this module's views, added to the Nunjucks search path. */
  viewsDir?: string
  /** This module's English strings; Welsh strings sit in the same folder and fall back to English. */
  locales?: { en: Catalogue; cy?: Catalogue }
  seeds?: Seed[]
  /** Data-subject export: everything this module holds about one person, as JSON-ready data. */
  exportPersonalData?: (db: AnyDb, person: PersonRef) => Promise<unknown>
  /**
   * Data-subject erasure, inside the caller's transaction: delete what this module holds about the person, or
   * anonymise it in place where it must be kept (ledgers, complaints). Returns how many rows it touched.
   */
  erasePersonalData?: (trx: AnyDb, person: PersonRef) => Promise<number>
  /** Published data files this module can import (`openchoice import <source> <file>`). */
  importSources?: ImportSource<any>[] // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Kinds of scope this module can resolve for scoped roles (for example the directory's organisations). */
  scopeTypes?: ScopeType[]
  /** Handlers of events published by any module (`publishEvent`): the way a lower module's news reaches a higher one. */
  eventHandlers?: EventHandler[]
  /** Work run every so often by the jobs worker, such as finding requests past their deadline. */
  scheduledJobs?: ScheduledJob[]
}

/** What an event handler or a scheduled job receives from the jobs worker (`runJobsOnce`). */
export interface JobContext {
  /** For an event handler, a transaction that also marks the delivery done: its writes commit only if it succeeds. */
  db: AnyDb
  config: Config
  /** The current time; tests pass a controllable clock. */
  now: () => Date
  log: Logger
  modules: readonly ModuleManifest[]
}

/** An event as a handler receives it. */
export interface PublishedEvent {
  id: string
  /** `<module>.<what>`, such as `choice.not-given`. */
  type: string
  /** Ids, never personal data. */
  payload: Record<string, unknown>
  occurredAt: Date
}

/**
 * Handles every event of one type, at least once and in no set order: it must be idempotent (an event may come
 * again after a crash). A handler that throws is retried with backoff, then marked failed after the last attempt.
 */
export interface EventHandler {
  /**
   * Unique across modules, `<module>.<what>`. Deliveries are recorded under it: a renamed handler is a new one, and a
   * new handler is given every earlier event of its type too.
   */
  name: string
  eventType: string
  handle(ctx: JobContext, event: PublishedEvent): Promise<void>
}

/**
 * Work run at most once every `everySeconds` across all processes and restarts (and as soon after as the worker next
 * runs: every JOBS_INTERVAL_SECONDS). A run that throws is logged and recorded; the job runs again next interval.
 */
export interface ScheduledJob {
  /** Unique across modules, `<module>.<what>`. */
  name: string
  everySeconds: number
  run(ctx: JobContext): Promise<void>
}

/** The person a data-rights request is about: their id, and the email address other records may hold. */
export interface PersonRef {
  id: string
  email: string
}

export type Catalogue = { [key: string]: string | Catalogue }
