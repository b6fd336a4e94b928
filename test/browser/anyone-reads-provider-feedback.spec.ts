import { randomUUID } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { beforeAll, describe, expect, it } from 'vitest'
import { listProviders } from '../../src/modules/directory/index.ts'
import { listPendingComments, moderateComment } from '../../src/modules/feedback/comments.service.ts'
import { addMonths, monthOf } from '../../src/modules/feedback/period.ts'
import { recordResponse } from '../../src/modules/feedback/responses.service.ts'
import { monthName } from '../../src/modules/feedback/chart.ts'
import type { FftAnswer } from '../../src/modules/feedback/statistics.ts'
import { ProviderFeedbackPage } from './pages/provider-feedback.page.ts'
import { browserLayerSkipped } from './support/browser.ts'
import { JAVASCRIPT_ON_AND_OFF, navigate, visit } from './support/navigation.ts'
import { useBrowserSession } from './support/session.ts'

const COMMENT = 'The nurse explained everything clearly and we were seen on time.'

describe.skipIf(browserLayerSkipped())('anyone reads a provider’s feedback', () => {
  const session = useBrowserSession()
  let serviceId: string
  const lastMonth = addMonths(monthOf(new Date()), -1) // the latest month the page and the open data show

  // Last month, 31 people answered about The Densham Surgery (in the demo data), one with a comment a moderator
  // published: 22 Very good, 6 Good, 1 Neither, 2 Poor.
  beforeAll(async () => {
    const db = session.db
    serviceId = (await listProviders(db, { name: 'Densham', page: 1, pageSize: 1 })).providers[0]!.id
    const answers: [FftAnswer, number][] = [
      ['very-good', 22],
      ['good', 6],
      ['neither', 1],
      ['poor', 2],
    ]
    let first = true
    for (const [answer, n] of answers) {
      for (let i = 0; i < n; i++) {
        await recordResponse(db, 'browser-test-secret', {
          serviceId,
          respondent: `person:${randomUUID()}`,
          answer,
          mode: 'online',
          comment: first ? COMMENT : undefined,
          at: new Date(`${lastMonth}-15T12:00:00Z`),
        })
        first = false
      }
    }
    const [pending] = await listPendingComments(db)
    const facts = { requestId: null, ipHash: null, now: new Date() }
    await moderateComment(db, randomUUID(), pending!.id, { publish: true }, facts)
  })

  it.each(JAVASCRIPT_ON_AND_OFF)(
    'a visitor reads the figures, the chart and its table, then downloads the open data (JavaScript %s)',
    async (_label, javaScript) => {
      const page = await session.newPage({ javaScript })
      await visit(page, `/providers/${serviceId}/feedback`)
      const figures = await ProviderFeedbackPage.verifyOnPage(page, /^Feedback about .*densham surgery$/i)
      expect(await figures.chart.isVisible()).toBe(true)
      // 31 → 30; positive 28 → 30 (100%); negative 2 suppressed.
      expect(await figures.monthRow(monthName(lastMonth))).toEqual([
        '30',
        '100% (95% confidence interval 88.6% to 100%)',
        'Not shown (fewer than 8 answers)',
      ])
      expect(await figures.main.getByText(COMMENT).isVisible()).toBe(true)

      await navigate(page, () => figures.link('Download these figures for every provider as open data').click())
      const openData = await ProviderFeedbackPage.verifyOnPage(page, 'Open data')
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        openData.link('Satisfaction figures, latest month (CSV)').click(),
      ])
      expect(download.suggestedFilename()).toBe(`openchoice-feedback-${lastMonth}.csv`)
      const csv = await readFile((await download.path())!, 'utf8')
      const [header, ...rows] = csv.trimEnd().split('\r\n')
      expect(header!.split(',').slice(0, 3)).toEqual(['service_id', 'provider_name', 'organisation_name'])
      expect(rows.filter((r) => r.startsWith(serviceId)).map((r) => r.split(',')[6])).toEqual([
        'month',
        'rolling-12-months',
      ])

      const href = await openData.link(/Description of the columns/).getAttribute('href')
      const metadata = await (await page.request.get(href!)).json()
      expect(metadata.licenses[0].title).toBe('Open Government Licence v3.0')
      expect(metadata.resources[0].schema.fields.map((f: { name: string }) => f.name)).toEqual(header!.split(','))
    },
  )
})
