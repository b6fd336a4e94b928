import { describe, expect, it } from 'vitest'
import { ComparePage } from './pages/compare.page.ts'
import { FindPage } from './pages/find.page.ts'
import { FrameworkPage } from './pages/framework.page.ts'
import { browserLayerSkipped } from './support/browser.ts'
import { JAVASCRIPT_ON_AND_OFF, navigate, pathOf, visit } from './support/navigation.ts'
import { useBrowserSession } from './support/session.ts'

describe.skipIf(browserLayerSkipped())('finding and comparing providers', () => {
  const session = useBrowserSession()

  it.each(JAVASCRIPT_ON_AND_OFF)(
    'resident opens the early education start page, finds nurseries near their postcode and compares two (JavaScript %s)',
    async (_label, javaScript) => {
      const page = await session.newPage({ javaScript })

      await visit(page, '/choose/early-education')
      const start = await FrameworkPage.verifyOnPage(page, 'Funded early education and childcare')
      expect(await page.getByText('You have a right to choose').isVisible()).toBe(true)
      expect(await page.getByRole('heading', { name: 'If you are not given a choice' }).isVisible()).toBe(true)

      await navigate(page, () => start.findProviders.click())
      expect(pathOf(page)).toBe('/choose/early-education/find')
      const find = await FindPage.verifyOnPage(page)

      // A postcode that is not one: the error summary links to the field.
      await find.postcode.fill('not a postcode')
      await navigate(page, () => find.findButton.click(), { status: 400 })
      const wrong = await FindPage.verifyOnPage(page)
      expect(await wrong.errorSummary.innerText()).toContain('Enter a real postcode')
      await wrong.postcode.fill('SE15')
      await wrong.distance.selectOption('2')
      await navigate(page, () => wrong.findButton.click())

      const results = await FindPage.verifyOnPage(page)
      const names = await results.resultNames()
      expect(names.length).toBeGreaterThan(2)
      expect(
        await page
          .getByText(/miles from SE15/)
          .first()
          .isVisible(),
      ).toBe(true)

      // Ticking one is not enough to compare.
      await results.addToCompare(names[0]!).check()
      await navigate(page, () => results.compareButton.click(), { status: 400 })
      const one = await FindPage.verifyOnPage(page)
      expect(await one.errorSummary.innerText()).toContain('Select at least one more provider to compare')
      expect(await one.addToCompare(names[0]!).isChecked()).toBe(true)

      await one.addToCompare(names[1]!).check()
      await navigate(page, () => one.compareButton.click())
      const compare = await ComparePage.verifyOnPage(page)
      expect(await compare.providerNames()).toEqual([names[0], names[1]])
      expect(await compare.row('What people who use it say')).toEqual(['No data yet', 'No data yet'])
      expect(await compare.row('Waiting time')).toEqual(['Not known', 'Not known'])
      expect(await compare.row('Distance')).toHaveLength(2)
      expect(await compare.chooseLink(names[1]!).getAttribute('href')).toMatch(
        /^\/choose\/request\/new\?provider=[0-9a-f-]{36}$/,
      )

      // Back to the same results.
      await navigate(page, () => page.getByRole('link', { name: 'Back to your search results' }).first().click())
      const again = await FindPage.verifyOnPage(page)
      expect(await again.resultNames()).toEqual(names)
    },
  )
})
