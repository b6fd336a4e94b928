import { createPrivateKey, webcrypto } from 'node:crypto'
import * as oidc from 'openid-client'
import type { Config } from '../../platform/index.ts'

/** ONE_LOGIN_* as config.ts parsed it. */
export type OneLoginSettings = NonNullable<Config['oneLogin']>

/** What the browser carries between the redirect to the provider and the callback (in a signed cookie). */
export interface OneLoginFlow {
  state: string
  nonce: string
  codeVerifier: string
}

/** Who the provider says signed in. `email` is only trusted for linking when `emailVerified`. */
export interface ExternalIdentityClaims {
  issuer: string
  subject: string
  email: string | undefined
  emailVerified: boolean
}

/**
 * Why a callback was refused: the person cancelled at the provider ('cancelled'), the response was not one we
 * can accept (error from the provider, wrong state, nonce or PKCE, a code used twice: 'refused'), or the
 * provider could not be reached ('unavailable'). `detail` is a short code for the audit trail.
 */
export type OneLoginResult =
  | { ok: true; claims: ExternalIdentityClaims }
  | { ok: false; failure: 'cancelled' | 'refused' | 'unavailable'; detail: string }

// GOV.UK One Login gives the email address (and whether it has confirmed it) for the `email` scope.
const SCOPE = 'openid email'

// Discovery once per process and client (the provider's metadata and keys change rarely; openid-client refreshes
// the keys itself when an unknown key id appears). A failed discovery is forgotten, so the next sign-in retries.
const configurations = new Map<string, Promise<oidc.Configuration>>()

function configurationFor(settings: OneLoginSettings): Promise<oidc.Configuration> {
  const key = JSON.stringify([settings.issuer, settings.clientId, settings.clientAuth.method])
  let found = configurations.get(key)
  if (!found) {
    found = discover(settings)
    found.catch(() => configurations.delete(key))
    configurations.set(key, found)
  }
  return found
}

async function discover(settings: OneLoginSettings): Promise<oidc.Configuration> {
  const endpoints: { token?: string } = {} // known once discovery has answered, before any assertion is made
  const clientAuth =
    settings.clientAuth.method === 'client_secret_basic'
      ? oidc.ClientSecretBasic(settings.clientAuth.secret)
      : oidc.PrivateKeyJwt(await importSigningKey(settings.clientAuth.privateKeyPem), {
          // GOV.UK One Login wants the token endpoint as the client assertion's audience, not the issuer.
          [oidc.modifyAssertion]: (_header, payload) => {
            if (endpoints.token) payload.aud = endpoints.token
          },
        })
  const configuration = await oidc.discovery(
    new URL(settings.issuer),
    settings.clientId,
    undefined,
    clientAuth,
    settings.allowInsecureRequests ? { execute: [oidc.allowInsecureRequests] } : undefined,
  )
  endpoints.token = configuration.serverMetadata().token_endpoint
  return configuration
}

/** A PKCS8 PEM as a WebCrypto signing key: RSA for RS256, EC P-256 for ES256 (config.ts allows only these). */
async function importSigningKey(pem: string): Promise<webcrypto.CryptoKey> {
  const key = createPrivateKey(pem)
  const algorithm =
    key.asymmetricKeyType === 'ec'
      ? { name: 'ECDSA', namedCurve: 'P-256' }
      : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }
  return webcrypto.subtle.importKey('pkcs8', key.export({ type: 'pkcs8', format: 'der' }), algorithm, false, ['sign'])
}

/**
 * The address to send the person to, and the flow values to keep for the callback: authorization code with
 * PKCE (S256), a random state against cross-site request forgery and a random nonce against ID token replay.
 */
export async function startOneLogin(
  settings: OneLoginSettings,
  redirectUri: string,
  locale: string,
): Promise<{ ok: true; url: string; flow: OneLoginFlow } | { ok: false; detail: string }> {
  let configuration: oidc.Configuration
  try {
    configuration = await configurationFor(settings)
  } catch (err) {
    return { ok: false, detail: errorCode(err) }
  }
  const flow = { state: oidc.randomState(), nonce: oidc.randomNonce(), codeVerifier: oidc.randomPKCECodeVerifier() }
  const url = oidc.buildAuthorizationUrl(configuration, {
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: SCOPE,
    state: flow.state,
    nonce: flow.nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(flow.codeVerifier),
    code_challenge_method: 'S256',
    ui_locales: locale,
  })
  return { ok: true, url: url.href, flow }
}

/**
 * Checks the provider's answer (state, issuer), exchanges the code (PKCE verifier, client authentication),
 * validates the ID token (signature, audience, expiry, nonce), and reads the email from the ID token or, as
 * GOV.UK One Login gives it, from the userinfo endpoint.
 */
export async function finishOneLogin(
  settings: OneLoginSettings,
  callbackUrl: URL,
  flow: OneLoginFlow,
): Promise<OneLoginResult> {
  try {
    const configuration = await configurationFor(settings)
    const tokens = await oidc.authorizationCodeGrant(configuration, callbackUrl, {
      pkceCodeVerifier: flow.codeVerifier,
      expectedState: flow.state,
      expectedNonce: flow.nonce,
      idTokenExpected: true,
    })
    const idToken = tokens.claims()!
    let { email, email_verified: verified } = idToken
    if (typeof email !== 'string') {
      const info = await oidc.fetchUserInfo(configuration, tokens.access_token, idToken.sub)
      ;({ email, email_verified: verified } = info)
    }
    return {
      ok: true,
      claims: {
        issuer: idToken.iss,
        subject: idToken.sub,
        email: typeof email === 'string' && email.length > 0 ? email : undefined,
        emailVerified: verified === true,
      },
    }
  } catch (err) {
    const detail = errorCode(err)
    if (err instanceof oidc.AuthorizationResponseError && err.error === 'access_denied')
      return { ok: false, failure: 'cancelled', detail }
    const answered =
      err instanceof oidc.AuthorizationResponseError ||
      err instanceof oidc.ResponseBodyError ||
      err instanceof oidc.WWWAuthenticateChallengeError ||
      err instanceof oidc.ClientError
    return { ok: false, failure: answered ? 'refused' : 'unavailable', detail }
  }
}

/** A short code for the audit trail (an OAuth error code or openid-client's code), never a message. */
function errorCode(err: unknown): string {
  const e = err as { error?: unknown; code?: unknown; name?: unknown }
  const code = typeof e?.error === 'string' ? e.error : typeof e?.code === 'string' ? e.code : String(e?.name)
  return /^[\w.-]{1,60}$/.test(code) ? code : 'unknown'
}
