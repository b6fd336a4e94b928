import { moduleDb, recordAudit, type AnyDb } from '../../platform/index.ts'
import type { AccountsTables } from './tables.ts'
import { markEmailVerified, selectPersonByEmail } from './accounts.queries.ts'
import { normaliseEmail, type RequestContext } from './accounts.service.ts'
import {
  clearUnconfirmedPassword,
  insertExternalIdentity,
  insertPersonWithoutPassword,
  selectPersonIdByExternalIdentity,
} from './one-login.queries.ts'
import type { ExternalIdentityClaims } from './one-login.ts'
import { startSession } from './sessions.ts'

export type ExternalSignInResult =
  | { ok: true; personId: string; token: string; sessionId: string; account: 'existing' | 'linked' | 'created' }
  | { ok: false; reason: 'email-not-verified' }

function accounts(db: AnyDb) {
  return moduleDb<AccountsTables>(db)
}

/**
 * Signs in the person a provider vouched for, starting a brand-new session as password sign-in does.
 * The identity (issuer, subject) finds its person; a first sign-in links to the account with the same email
 * address, or creates one without a password, but only when the provider has confirmed the address: an
 * unconfirmed address could be anyone's, and linking on it would hand over their account. The caller audits a
 * refusal (with the provider's other failures).
 */
export async function signInWithExternalIdentity(
  db: AnyDb,
  claims: ExternalIdentityClaims,
  ctx: RequestContext,
): Promise<ExternalSignInResult> {
  const { issuer, subject } = claims
  return db.transaction().execute(async (trx): Promise<ExternalSignInResult> => {
    let personId = await selectPersonIdByExternalIdentity(accounts(trx), issuer, subject)
    let account: 'existing' | 'linked' | 'created' = 'existing'
    if (!personId) {
      if (!claims.email || !claims.emailVerified) return { ok: false, reason: 'email-not-verified' }
      const email = claims.email.trim()
      const emailNormalised = normaliseEmail(email)
      const created = await insertPersonWithoutPassword(accounts(trx), { email, emailNormalised, now: ctx.now })
      // Otherwise the address has an account (perhaps made a moment ago by a racing sign-in): link to it.
      const target = created?.id ?? (await selectPersonByEmail(accounts(trx), emailNormalised))!.id
      // A password set on an address nobody had confirmed may be a squatter's (account pre-hijacking): drop it.
      const passwordCleared = !created && (await clearUnconfirmedPassword(accounts(trx), target))
      await markEmailVerified(accounts(trx), target, ctx.now)
      await insertExternalIdentity(accounts(trx), { issuer, subject, personId: target, now: ctx.now })
      personId = (await selectPersonIdByExternalIdentity(accounts(trx), issuer, subject))!
      account = created ? 'created' : 'linked'
      await recordAudit(trx, {
        action: created ? 'auth.account.created' : 'auth.external-identity.linked',
        outcome: 'success',
        actorId: personId,
        objectType: 'person',
        objectId: personId,
        details: { method: 'one-login', passwordCleared },
        ...ctx,
      })
    }
    const session = await startSession(accounts(trx), personId, ctx.now)
    await recordAudit(trx, {
      action: 'auth.sign-in.succeeded',
      outcome: 'success',
      actorId: personId,
      objectType: 'session',
      objectId: session.sessionId,
      details: { method: 'one-login' },
      ...ctx,
    })
    return { ok: true, personId, account, ...session }
  })
}
