import { sql } from 'kysely'
import type { Role } from '../../../platform/index.ts'
import { TestClient, type TestApp } from '../../../platform/testing/index.ts'
import { modules } from '../../registry.ts'
import { grantRoleByEmail } from '../index.ts'

export const PASSWORD = 'correct horse battery staple'

/** The newest email sent to an address (from the notifications outbox). */
export async function lastEmailTo(t: TestApp, to: string): Promise<{ subject: string; body: string } | undefined> {
  const { rows } = await sql<{ subject: string; body: string }>`
    select subject, body from platform.notifications where recipient = ${to} order by created_at desc limit 1`.execute(
    t.database.db,
  )
  return rows[0]
}

/** Creates an account through the real pages, confirms it, grants roles through the real service, signs in. */
export async function signedInAs(
  t: TestApp,
  email: string,
  roles: { role: Role; scope?: string }[] = [],
): Promise<{ client: TestClient; personId: string }> {
  const client = new TestClient(t.app)
  await client.submitForm('/create-account', { email, password: PASSWORD, confirm: PASSWORD })
  const mail = await lastEmailTo(t, email)
  const link = /\/verify-email\?token=[\w-]{43}/.exec(mail!.body)![0]
  await client.submitForm(link, {})
  for (const r of roles) {
    const result = await grantRoleByEmail(t.database.db, modules, { email, role: r.role, scope: r.scope })
    if (!result.ok) throw new Error(`Could not grant ${r.role}: ${result.reason}`)
  }
  const res = await client.submitForm('/sign-in', { email, password: PASSWORD })
  if (res.headers.location !== '/account') throw new Error(`Sign-in failed for ${email}`)
  const { rows } = await sql<{ id: string }>`
    select id from accounts.people where email_normalised = ${email.toLowerCase()}`.execute(t.database.db)
  return { client, personId: rows[0]!.id }
}

const SOURCES: Record<string, [string, string, string]> = {
  'nhs-care': ['ods-epraccur', 'ods', 'nhs-ods'],
  education: ['gias', 'urn', 'dfe'],
  'early-education': ['ofsted-childcare', 'ofsted', 'ofsted'],
}

/**
 * One registered provider for tests that need an organisation, with a real published name and reference, written
 * as the directory's importers write one (organisation, service, location, registration; file named as constructed).
 */
export async function insertProvider(t: TestApp, p: { ref: string; name: string; framework: string }): Promise<string> {
  const [source, scheme, regulator] = SOURCES[p.framework] ?? SOURCES.education!
  const { rows } = await sql<{ id: string }>`
    with org as (
      insert into directory.organisations (name) values (${p.name}) returning id
    ), ident as (
      insert into directory.organisation_identifiers (organisation_id, scheme, value)
      select id, ${scheme}, ${p.ref} from org
    ), loc as (
      insert into directory.locations (address, postcode, outcode) values ('1 High Street', 'TS18 1HU', 'TS18')
      returning id
    ), svc as (
      insert into directory.services (organisation_id, source, source_ref, name, framework, service_type, status,
        source_file)
      select id, ${source}, ${p.ref}, ${p.name}, ${p.framework}, 'Provider', 'active', 'constructed-for-test' from org
      returning id
    ), sal as (
      insert into directory.service_at_locations (service_id, location_id) select svc.id, loc.id from svc, loc
    ), reg as (
      insert into directory.registrations (service_id, regulator, regulator_ref, status, source_file)
      select id, ${regulator}, ${p.ref}, 'registered', 'constructed-for-test' from svc
    )
    select id from svc`.execute(t.database.db)
  return rows[0]!.id
}

/** The actions in the audit trail, oldest first. */
export async function auditActions(t: TestApp): Promise<string[]> {
  const { rows } = await sql<{ action: string }>`select action from platform.audit_log order by seq`.execute(
    t.database.db,
  )
  return rows.map((r) => r.action)
}

/** A CSRF token for this client's session, from a page that has a form (as a browser would hold one). */
export async function csrfOf(client: TestClient): Promise<string> {
  const page = await client.get('/account')
  return /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!
}

/** A champion asks a person for consent through the real pages, and the person grants it from their own account. */
export async function championWithConsent(
  t: TestApp,
  scope: { frameworks: string[]; actions: string[] },
  emails = { champion: 'chris.champion@example.org', person: 'pat.person@example.org' },
) {
  const champion = await signedInAs(t, emails.champion, [{ role: 'champion' }])
  const person = await signedInAs(t, emails.person)
  const asked = await champion.client.submitForm('/champion/ask', { email: emails.person, ...scope, months: '3' })
  if (asked.headers.location !== '/champion?done=requested') throw new Error('The champion could not ask for consent')
  const list = await person.client.get('/account/champions')
  const consentId = /href="\/account\/champions\/([\w-]{36})"/.exec(list.body)![1]!
  const answered = await person.client.submitForm(`/account/champions/${consentId}`, { decision: 'grant' })
  if (answered.headers.location !== '/account/champions?done=granted') throw new Error('The person could not grant it')
  return { champion, person, consentId }
}

/** The champion starts acting for the person their consent is from. */
export async function actFor(champion: { client: TestClient }, consentId: string): Promise<void> {
  const acted = await champion.client.submitForm('/champion', { consentId }, '/champion/act')
  if (acted.headers.location !== '/') throw new Error('The champion could not act for the person')
}
