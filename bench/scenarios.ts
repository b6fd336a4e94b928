import { signedInCookie } from './session.ts'

/** One measured request pattern: GET `path` on the target, expecting every response to be `expectStatus`. */
export interface Scenario {
  name: string
  /** A fixed path, or a function that looks one up on the running app (e.g. the id of a seeded row). */
  path: string | ((baseUrl: string) => Promise<string>)
  expectStatus: number
  /** Request headers looked up once on the running app, such as a signed-in session's cookie. */
  headers?: (baseUrl: string) => Promise<Record<string, string>>
}

/** The bare Fastify hello-world every other scenario is compared with. */
export const ceilingScenario: Scenario = { name: 'ceiling', path: '/', expectStatus: 200 }

/** Scenarios run against the OpenChoice app, in order. Later issues append to this list. */
export const scenarios: Scenario[] = [
  { name: 'home page', path: '/', expectStatus: 200 },
  { name: 'provider list', path: '/providers?framework=nhs-care', expectStatus: 200 },
  { name: 'provider page', path: firstProviderPath, expectStatus: 200 },
  { name: 'health', path: '/health/ready', expectStatus: 200 },
  // Search at national size: the directory is grown to 100,000 locations before these run (targets.ts).
  {
    name: 'search near a postcode',
    path: '/providers?framework=nhs-care&postcode=TS18+1HU&radius=5',
    expectStatus: 200,
  },
  // The choice journey's results page (issue #5): the same search with satisfaction and the Charter standard.
  {
    name: 'choice results near a postcode',
    path: '/choose/nhs-care/find?postcode=TS18+1HU&radius=5',
    expectStatus: 200,
  },
  // The directory's search API (Open Referral UK), the same place and distance (8,000 metres is about 5 miles).
  {
    name: 'search API near a postcode',
    path: '/api/oruk/service_at_locations?postcode=TS18+1HU&proximity=8000',
    expectStatus: 200,
  },
  // Every signed-in request loads its session, roles and any champion's consent in one query (issue #3).
  {
    name: 'your account (signed in)',
    path: '/account',
    expectStatus: 200,
    headers: async (baseUrl) => ({ cookie: await signedInCookie(baseUrl) }),
  },
]

/** The page of the first provider the NHS care list links to (a real seeded provider). */
async function firstProviderPath(baseUrl: string): Promise<string> {
  const res = await fetch(new URL('/providers?framework=nhs-care', baseUrl))
  if (res.status !== 200) throw new Error(`GET /providers?framework=nhs-care answered ${res.status}`)
  const match = /href="(\/providers\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"/.exec(
    await res.text(),
  )
  if (!match?.[1]) throw new Error('no /providers/<uuid> link on the NHS care provider list (is the seed data there?)')
  return match[1]
}

export async function resolvePath(scenario: Scenario, baseUrl: string): Promise<string> {
  return typeof scenario.path === 'string' ? scenario.path : scenario.path(baseUrl)
}
