import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import Provider, { errors } from 'oidc-provider'

/** Someone with an account at the test provider. */
export interface ProviderPerson {
  sub: string
  email: string
  emailVerified: boolean
}

/** What the person does on the provider's sign-in page: sign in as someone, or cancel. */
export type ProviderChoice = { signInAs: string } | 'cancel'

export interface TestProvider {
  issuer: string
  clientId: string
  /** The client's private key (PKCS8 PEM), for ONE_LOGIN_PRIVATE_KEY. */
  clientPrivateKeyPem: string
  people: Map<string, ProviderPerson>
  /** Who signs in at the next interaction. */
  choose(choice: ProviderChoice): void
  /** Authorization requests the provider received, newest last, as sent by the app. */
  authorizationRequests: URLSearchParams[]
  /** Client assertions (private_key_jwt) the provider accepted: their aud. */
  assertionAudiences: unknown[]
  /** A browser at the provider: follows its redirects until one leads away (to the app); returns that URL. */
  visit(url: string): Promise<URL>
  close(): Promise<void>
}

/**
 * A real OpenID Connect provider (panva's oidc-provider, OpenID Certified) on 127.0.0.1 and a random port, set up
 * the way GOV.UK One Login works: authorization code only, PKCE required, private_key_jwt client authentication
 * whose assertion audience is the token endpoint, ES256 ID tokens, and the email address only from userinfo.
 * Its sign-in page is replaced by `choose()`: the test says who signs in, or that they cancel.
 */
export async function startTestProvider(redirectUri: string): Promise<TestProvider> {
  const people = new Map<string, ProviderPerson>()
  let choice: ProviderChoice = 'cancel'
  const authorizationRequests: URLSearchParams[] = []
  const assertionAudiences: unknown[] = []
  const clientId = 'openchoice-test'
  const clientKeys = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const signingKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' })

  let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end()
  const server = createServer((req, res) => handle(req, res))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        redirect_uris: [redirectUri],
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'private_key_jwt',
        token_endpoint_auth_signing_alg: 'RS256',
        id_token_signed_response_alg: 'ES256',
        jwks: { keys: [{ ...clientKeys.publicKey.export({ format: 'jwk' }), alg: 'RS256', use: 'sig' }] },
      },
    ],
    jwks: { keys: [{ ...signingKey, alg: 'ES256', use: 'sig', kid: 'test-provider-1' }] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    pkce: { required: () => true },
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
    features: { devInteractions: { enabled: false } },
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    async findAccount(_ctx, sub) {
      const person = people.get(sub)
      if (!person) return undefined
      return {
        accountId: sub,
        claims: () => ({ sub, email: person.email, email_verified: person.emailVerified }),
      }
    },
    // A first-party client: no consent screen, the grant covers what it asks for.
    async loadExistingGrant(ctx) {
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client!.clientId,
        accountId: ctx.oidc.session!.accountId!,
      })
      grant.addOIDCScope('openid email')
      await grant.save()
      return grant
    },
    // GOV.UK One Login: "aud: the token endpoint URL".
    async assertJwtClientAuthClaimsAndHeader(_ctx, claims) {
      assertionAudiences.push(claims.aud)
      if (claims.aud !== `${issuer}/token`) throw new errors.InvalidClientAuth('aud must be the token endpoint')
    },
  })
  const callback = provider.callback()

  handle = (req, res) => {
    if (req.url?.startsWith('/auth?')) authorizationRequests.push(new URL(req.url, issuer).searchParams)
    if (!req.url?.startsWith('/interaction/')) return void callback(req, res)
    void (async () => {
      await provider.interactionDetails(req, res)
      const result =
        choice === 'cancel'
          ? { error: 'access_denied', error_description: 'End-User aborted interaction' }
          : { login: { accountId: choice.signInAs } }
      await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false })
    })().catch((err: unknown) => {
      res.statusCode = 500
      res.end(String(err))
    })
  }

  return {
    issuer,
    clientId,
    clientPrivateKeyPem: clientKeys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    people,
    choose(c) {
      choice = c
    },
    authorizationRequests,
    assertionAudiences,
    async visit(start) {
      // A fresh browser each time: no session left at the provider from an earlier test.
      const jar = new Map<string, string>()
      let url = new URL(start)
      for (let hop = 0; hop < 10; hop++) {
        if (url.origin !== issuer) return url
        const res = await fetch(url, {
          redirect: 'manual',
          headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') },
        })
        for (const c of res.headers.getSetCookie()) {
          const [pair] = c.split(';')
          const [name, ...value] = pair!.split('=')
          jar.set(name!.trim(), value.join('='))
        }
        const location = res.headers.get('location')
        if (!location) throw new Error(`The provider answered ${res.status} at ${url.pathname}: ${await res.text()}`)
        url = new URL(location, url)
      }
      throw new Error('Too many redirects at the provider')
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
