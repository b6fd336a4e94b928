import { z } from 'zod'
import type { AnyDb } from '../db.ts'
import type { EventHandler, JobContext, ModuleManifest, PublishedEvent, ScheduledJob } from '../module.ts'
import { describeError, retryDelaySeconds, startPeriodic, withDefaults } from '../work-queue.ts'
import {
  claimDueDeliveries,
  claimScheduledRun,
  dispatchEvents,
  failAbandonedDeliveries,
  insertEvent,
  markDeliveryDone,
  markDeliveryFailed,
  markDeliveryForRetry,
  recordScheduledRunEnd,
  registerHandlers,
  registerScheduledJobs,
  releaseDelivery,
  selectEventIdByKey,
  type ClaimedDelivery,
} from './jobs.queries.ts'

/** `<module>.<what>`, as event types, handler names and job names are written (`choice.not-given`). */
const dottedName = z
  .string()
  .max(100, 'is too long')
  .regex(/^[a-z][a-z0-9-]*(\.[a-z0-9-]+)+$/, 'must look like module.what')

const eventToPublish = z.object({
  type: dottedName,
  payload: z.record(z.string(), z.unknown()),
  key: z.string().min(1, 'is empty').max(200, 'is too long').optional(),
})

/** An event that cannot be published: a bug in the caller. Names the fields, never their values. */
export class InvalidEventError extends Error {
  constructor(type: string, problems: string) {
    super(`Cannot publish the "${type}" event: ${problems}`)
    this.name = 'InvalidEventError'
  }
}

/**
 * Publishes a domain event (`choice.not-given`) for other modules' handlers. Pass the transaction of the change the
 * event reports: the event then exists if and only if that change commits, and the jobs worker delivers it after.
 * The payload holds ids (of the request, the organisation, …), never personal data: events are kept after the records
 * they point at are erased, and handlers read what they need through the owning module's service functions.
 * With a `key` (such as `choice.not-given:<request id>`; keys are unique across all events) publishing is idempotent:
 * a second publish with the same key adds nothing and returns the first event's id with `duplicate: true`.
 */
export async function publishEvent(
  db: AnyDb,
  event: { type: string; payload: Record<string, unknown>; key?: string },
  now: Date,
): Promise<{ id: string; duplicate: boolean }> {
  const parsed = eventToPublish.safeParse(event)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'event'} ${i.message}`).join('; ')
    throw new InvalidEventError(String(event.type), problems)
  }
  const { type, payload, key } = parsed.data
  const id = await insertEvent(db, { type, payload, key: key ?? null, occurredAt: now })
  if (id) return { id, duplicate: false }
  return { id: await selectEventIdByKey(db, key!), duplicate: true }
}

export interface RunJobsOptions {
  /** How many events one statement fans out, and how many deliveries one claim takes. */
  batchSize?: number
  /** After this many attempts a delivery that still fails is marked failed. */
  maxAttempts?: number
  /** The first retry's delay; each further retry waits twice as long (capped at 6 hours). */
  backoffSeconds?: number
  /** How long a claimed delivery stays 'running' before another worker may take it over (its worker died). */
  leaseSeconds?: number
  /** When aborted, deliveries claimed but not yet run are given back and the run ends. */
  signal?: AbortSignal | undefined
}

/** What one run did: deliveries that succeeded, handler or job runs that threw, and scheduled jobs run. */
export interface JobsSummary {
  delivered: number
  failed: number
  scheduled: number
}

/** Ten attempts, 30 s apart at first and doubling: about four hours and a quarter before a delivery is given up. */
export const JOB_DEFAULTS = { batchSize: 50, maxAttempts: 10, backoffSeconds: 30, leaseSeconds: 600 }

/** Every module's handlers and scheduled jobs, checked: names unique and well formed, intervals positive. */
export function collectJobs(modules: readonly ModuleManifest[]): { handlers: EventHandler[]; jobs: ScheduledJob[] } {
  const handlers = modules.flatMap((m) => m.eventHandlers ?? [])
  const jobs = modules.flatMap((m) => m.scheduledJobs ?? [])
  const seen = new Set<string>()
  for (const { name, kind, eventType } of [
    ...handlers.map((h) => ({ name: h.name, kind: 'event handler', eventType: h.eventType })),
    ...jobs.map((j) => ({ name: j.name, kind: 'scheduled job', eventType: undefined })),
  ]) {
    if (!dottedName.safeParse(name).success) throw new Error(`The ${kind} name "${name}" must look like module.what`)
    if (eventType !== undefined && !dottedName.safeParse(eventType).success)
      throw new Error(`The event handler "${name}" takes "${eventType}", which is not an event type (module.what)`)
    if (seen.has(`${kind}:${name}`)) throw new Error(`Two ${kind}s are called "${name}"`)
    seen.add(`${kind}:${name}`)
  }
  for (const j of jobs)
    if (!(j.everySeconds > 0)) throw new Error(`The scheduled job "${j.name}" must run every 1 second or more`)
  return { handlers, jobs }
}

/**
 * One pass of the jobs worker: runs every scheduled job that is due, then delivers every due event to each of its
 * handlers (those it publishes included). Safe to run in several processes at once on PostgreSQL: scheduled runs
 * and deliveries are claimed in the database (FOR UPDATE SKIP LOCKED), so each is done by one process.
 */
export async function runJobsOnce(ctx: JobContext, options: RunJobsOptions = {}): Promise<JobsSummary> {
  const o = withDefaults(JOB_DEFAULTS, options)
  const { handlers, jobs } = collectJobs(ctx.modules)
  const summary: JobsSummary = { delivered: 0, failed: 0, scheduled: 0 }

  await registerScheduledJobs(
    ctx.db,
    jobs.map((j) => j.name),
  )
  for (const job of jobs) {
    if (o.signal?.aborted) return summary
    await runIfDue(ctx, job, summary)
  }

  await registerHandlers(ctx.db, handlers, ctx.now())
  while ((await dispatchEvents(ctx.db, handlers, ctx.now(), o.batchSize)) === o.batchSize);
  summary.failed += await failAbandonedDeliveries(ctx.db, ctx.now(), o.maxAttempts)
  if (!handlers.length) return summary

  const byName = new Map(handlers.map((h) => [h.name, h]))
  let claimed: ClaimedDelivery[]
  do {
    claimed = await claimDueDeliveries(ctx.db, [...byName.keys()], { ...o, now: ctx.now(), limit: o.batchSize })
    for (const d of claimed) {
      if (o.signal?.aborted) await releaseDelivery(ctx.db, d, ctx.now())
      else await deliver(ctx, byName.get(d.handler)!, d, o, summary)
    }
  } while (claimed.length === o.batchSize && !o.signal?.aborted)
  return summary
}

async function runIfDue(ctx: JobContext, job: ScheduledJob, summary: JobsSummary): Promise<void> {
  if (!(await claimScheduledRun(ctx.db, job.name, job.everySeconds, ctx.now()))) return
  summary.scheduled++
  let error: string | null = null
  try {
    await job.run(ctx)
  } catch (err) {
    error = describeError(err)
    summary.failed++
    ctx.log.error({ job: job.name, error }, 'scheduled job failed; it runs again at its next interval')
  }
  await recordScheduledRunEnd(ctx.db, job.name, ctx.now(), error)
}

/** Thrown inside a delivery's transaction when another worker has taken its claim over, to roll the work back. */
class ClaimLostError extends Error {}

/**
 * Runs one handler on one event in a transaction that also marks the delivery done, so the handler's writes and the
 * "done" mark commit together: a crash before the commit leaves neither, and the event comes again.
 */
async function deliver(
  ctx: JobContext,
  handler: EventHandler,
  d: ClaimedDelivery,
  o: typeof JOB_DEFAULTS,
  summary: JobsSummary,
): Promise<void> {
  const event: PublishedEvent = { id: d.event_id, type: d.type, payload: d.payload, occurredAt: d.occurred_at }
  const ids = { eventId: d.event_id, handler: d.handler, attempts: d.attempts }
  try {
    await ctx.db.transaction().execute(async (trx) => {
      await handler.handle({ ...ctx, db: trx }, event)
      if (!(await markDeliveryDone(trx, d, ctx.now()))) throw new ClaimLostError()
    })
    summary.delivered++
    ctx.log.debug(ids, 'event delivered')
  } catch (err) {
    if (err instanceof ClaimLostError) {
      ctx.log.warn(ids, 'event delivery taken over by another worker after its lease ran out; this run rolled back')
      return
    }
    // Logged and stored by id, handler and error class/message only: never the payload.
    const error = describeError(err)
    summary.failed++
    if (d.attempts >= o.maxAttempts) {
      await markDeliveryFailed(ctx.db, d, error)
      ctx.log.error({ ...ids, error }, 'event handler failed for the last time; delivery marked failed')
    } else {
      const retryInSeconds = retryDelaySeconds(d.attempts, o.backoffSeconds)
      await markDeliveryForRetry(ctx.db, d, error, new Date(ctx.now().getTime() + retryInSeconds * 1000))
      ctx.log.warn({ ...ids, error, retryInSeconds }, 'event handler failed; will retry')
    }
  }
}

/**
 * Runs `runJobsOnce` every `intervalSeconds` in the background (the server's worker). Checks the modules' handlers
 * and jobs first, so a misconfigured one stops the start rather than every run. Returns a stop function that waits
 * for the run in hand, giving back deliveries claimed but not started.
 */
export function startJobWorker(ctx: JobContext, intervalSeconds: number): () => Promise<void> {
  collectJobs(ctx.modules)
  return startPeriodic(
    async (signal) => {
      const summary = await runJobsOnce(ctx, { signal })
      if (summary.delivered || summary.failed || summary.scheduled) ctx.log.info(summary, 'jobs run')
      return false
    },
    intervalSeconds * 1000,
    (err) => ctx.log.error({ error: describeError(err) }, 'jobs worker failed; will try again'),
  )
}
