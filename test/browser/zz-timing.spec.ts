import { it } from 'vitest'
import { startServer } from './support/server.ts'
import { launchBrowser } from './support/browser.ts'
import { expectNoAxeViolations } from './support/axe.ts'
it('timing', async () => {
  let t = Date.now()
  const s = await startServer()
  console.log('server', Date.now() - t); t = Date.now()
  const b = await launchBrowser()
  console.log('browser', Date.now() - t); t = Date.now()
  const ctx = await b.newContext({ javaScriptEnabled: false })
  const p = await ctx.newPage()
  await p.goto(s.baseUrl + '/providers?framework=nhs-care')
  console.log('goto', Date.now() - t); t = Date.now()
  await expectNoAxeViolations(p).catch((e) => console.log(String(e)))
  console.log('axe', Date.now() - t); t = Date.now()
  await expectNoAxeViolations(p).catch((e) => console.log(String(e)))
  console.log('axe2', Date.now() - t); t = Date.now()
  await b.close(); await s.close()
}, 120000)
