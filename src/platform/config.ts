import { createPrivateKey } from 'node:crypto'
import { z } from 'zod'

/** Environment variables OpenChoice reads, parsed once at start-up (CONVENTIONS: config). */
const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().min(1).default('localhost'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: z.string().url().optional(),
  OPENCHOICE_DATA_DIR: z.string().min(1).default('.openchoice'),
  SESSION_SECRET: z.string().min(32, 'SESSION_SECRET must be at least 32 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PUBLIC_URL: z.string().url().optional(),
  OPERATOR_NAME: z.string().min(1).default('OpenChoice'),
  OPERATOR_URL: z.string().url().optional(),
  CONTACT_EMAIL: z.string().email().default('openchoice@example.org'),
  FEEDBACK_URL: z.string().optional(),
  NOTIFY_API_KEY: z
    .string()
    .regex(/^.+-[0-9a-f-]{36}-[0-9a-f-]{36}$/i, 'NOTIFY_API_KEY must look like a GOV.UK Notify API key')
    .optional(),
  NOTIFY_TEMPLATE_ID: z.guid('NOTIFY_TEMPLATE_ID must be a Notify template id').optional(),
  NOTIFY_BASE_URL: z.string().url().optional(),
  ONE_LOGIN_ISSUER: z.string().url().optional(),
  ONE_LOGIN_CLIENT_ID: z.string().min(1).optional(),
  ONE_LOGIN_PRIVATE_KEY: z.string().min(1).optional(),
  ONE_LOGIN_CLIENT_SECRET: z.string().min(1).optional(),
  RATE_LIMIT_ALLOW_LIST: z
    .string()
    .regex(/^[0-9a-f.:]+(,[0-9a-f.:]+)*$/i, 'RATE_LIMIT_ALLOW_LIST must be IP addresses separated by commas')
    .optional(),
  JOBS_INTERVAL_SECONDS: z.coerce
    .number()
    .int('JOBS_INTERVAL_SECONDS must be a whole number of seconds')
    .min(0, 'JOBS_INTERVAL_SECONDS must be 0 (off) or more')
    .default(30),
})

export type DatabaseTarget = { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string | 'memory' }

export interface Config {
  env: 'development' | 'test' | 'production'
  host: string
  port: number
  database: DatabaseTarget
  /** Signs cookies (CSRF secret, language). */
  cookieSecret: string
  /** Cookies are Secure unless the service runs on plain http in development or test. */
  secureCookies: boolean
  logLevel: string
  publicUrl: string
  operator: { name: string; url: string | undefined; contactEmail: string }
  feedbackUrl: string
  /** GOV.UK Notify, when NOTIFY_API_KEY is set; otherwise messages stay in the outbox (createNotificationSender). */
  notify?: { apiKey: string; templateId: string; baseUrl: string | undefined } | undefined
  /** OIDC sign-in in the GOV.UK One Login style, when ONE_LOGIN_* is set (accounts/one-login.ts). */
  oneLogin?: OneLoginConfig | undefined
  /** Client addresses no rate limit applies to: a trusted partner's server, or the load generator in `npm run bench`. */
  rateLimitAllowList: string[]
  /** How often the server's jobs worker runs (events and scheduled jobs); 0: not in this process. */
  jobsIntervalSeconds: number
}

export interface OneLoginConfig {
  /** The provider's issuer URL; its metadata is at /.well-known/openid-configuration. */
  issuer: string
  clientId: string
  /** private_key_jwt (PKCS8 PEM, as GOV.UK One Login requires) or client_secret_basic (other providers). */
  clientAuth: { method: 'private_key_jwt'; privateKeyPem: string } | { method: 'client_secret_basic'; secret: string }
  /** A plain-http issuer, allowed only outside production (a provider on this machine in tests). */
  allowInsecureRequests: boolean
}

export class ConfigError extends Error {}

const DEVELOPMENT_SECRET = 'openchoice-development-secret-not-for-production-use'

/** Parses env into a Config; in production missing secrets stop the service starting (A's requireInProduction). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const parsed = envSchema.safeParse(env)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
    throw new ConfigError(`Invalid configuration: ${problems}`)
  }
  const e = parsed.data
  const production = e.NODE_ENV === 'production'
  if (production && !e.SESSION_SECRET) throw new ConfigError('SESSION_SECRET is required in production')
  if (production && !e.DATABASE_URL) throw new ConfigError('DATABASE_URL is required in production')
  if (production && !e.PUBLIC_URL) throw new ConfigError('PUBLIC_URL is required in production')
  if (e.NOTIFY_API_KEY && !e.NOTIFY_TEMPLATE_ID) throw new ConfigError('NOTIFY_API_KEY needs NOTIFY_TEMPLATE_ID too')
  const oneLogin = oneLoginConfig(e, production)
  const publicUrl = e.PUBLIC_URL ?? `http://localhost:${e.PORT}`
  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    database: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL }
      : { kind: 'pglite', dataDir: e.OPENCHOICE_DATA_DIR },
    cookieSecret: e.SESSION_SECRET ?? DEVELOPMENT_SECRET,
    secureCookies: production || publicUrl.startsWith('https:'),
    logLevel: e.LOG_LEVEL,
    publicUrl,
    operator: { name: e.OPERATOR_NAME, url: e.OPERATOR_URL, contactEmail: e.CONTACT_EMAIL },
    feedbackUrl: e.FEEDBACK_URL ?? '/feedback',
    notify: e.NOTIFY_API_KEY
      ? { apiKey: e.NOTIFY_API_KEY, templateId: e.NOTIFY_TEMPLATE_ID!, baseUrl: e.NOTIFY_BASE_URL }
      : undefined,
    oneLogin,
    rateLimitAllowList: e.RATE_LIMIT_ALLOW_LIST?.split(',') ?? [],
    jobsIntervalSeconds: e.JOBS_INTERVAL_SECONDS,
    ...overrides,
  }
}

/** ONE_LOGIN_*: all or none; exactly one way for the client to authenticate; https in production. */
function oneLoginConfig(e: z.infer<typeof envSchema>, production: boolean): OneLoginConfig | undefined {
  const { ONE_LOGIN_ISSUER: issuer, ONE_LOGIN_CLIENT_ID: clientId } = e
  const { ONE_LOGIN_PRIVATE_KEY: key, ONE_LOGIN_CLIENT_SECRET: secret } = e
  if (!issuer && !clientId && !key && !secret) return undefined
  if (!issuer || !clientId || (!key && !secret))
    throw new ConfigError(
      'ONE_LOGIN_ISSUER, ONE_LOGIN_CLIENT_ID and ONE_LOGIN_PRIVATE_KEY or ONE_LOGIN_CLIENT_SECRET go together',
    )
  if (key && secret) throw new ConfigError('Set ONE_LOGIN_PRIVATE_KEY or ONE_LOGIN_CLIENT_SECRET, not both')
  const protocol = new URL(issuer).protocol
  if (protocol !== 'https:' && (production || protocol !== 'http:'))
    throw new ConfigError('ONE_LOGIN_ISSUER must be an https URL (plain http only outside production)')
  const allowInsecureRequests = protocol === 'http:'
  if (secret) return { issuer, clientId, clientAuth: { method: 'client_secret_basic', secret }, allowInsecureRequests }
  // Environment files often hold a PEM on one line with \n escapes.
  const privateKeyPem = key!.replace(/\\n/g, '\n')
  if (!privateKeyPem.includes('-----BEGIN PRIVATE KEY-----'))
    throw new ConfigError('ONE_LOGIN_PRIVATE_KEY must be a PKCS8 PEM (-----BEGIN PRIVATE KEY-----)')
  let kind: string | undefined
  try {
    const k = createPrivateKey(privateKeyPem)
    kind = k.asymmetricKeyType === 'ec' ? `ec-${k.asymmetricKeyDetails?.namedCurve}` : k.asymmetricKeyType
  } catch {
    throw new ConfigError('ONE_LOGIN_PRIVATE_KEY is not a readable private key')
  }
  // The keys GOV.UK One Login takes for private_key_jwt: RS256 or ES256.
  if (kind !== 'rsa' && kind !== 'ec-prime256v1')
    throw new ConfigError('ONE_LOGIN_PRIVATE_KEY must be an RSA or EC P-256 key')
  return { issuer, clientId, clientAuth: { method: 'private_key_jwt', privateKeyPem }, allowInsecureRequests }
}
