import { i18nOf, type JobContext, type ScheduledJob } from '../../platform/index.ts'
import { selectOverdueRequests } from './requests.queries.ts'
import { markNotAnswered } from './requests.service.ts'

const BATCH = 100

/**
 * Every few minutes: requests whose deadline passed with no answer become "not answered", a choice not given.
 * Batches are small transactions, so a crash loses at most one batch's work, which the next run does again.
 */
export const overdueRequestsJob: ScheduledJob = {
  name: 'choice.overdue-requests',
  everySeconds: 300,
  async run(ctx: JobContext): Promise<void> {
    // Emails from a job have no reader's language to hand: English, as the person's language is not yet stored.
    const mailer = { t: i18nOf(ctx.modules).translator('en'), publicUrl: ctx.config.publicUrl }
    for (;;) {
      const now = ctx.now()
      const done = await ctx.db.transaction().execute(async (trx) => {
        const overdue = await selectOverdueRequests(trx, now, BATCH)
        for (const request of overdue) await markNotAnswered(trx, request, now, mailer)
        return overdue.length
      })
      if (done > 0)
        ctx.log.info({ job: 'choice.overdue-requests', marked: done }, 'choice requests not answered in time')
      if (done < BATCH) return
    }
  },
}
