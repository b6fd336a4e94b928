import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { sendProblem, type ModuleContext } from '../../../platform/index.ts'
import {
  describeQueryError,
  PAGE_PARAMETERS,
  pageQuery,
  SERVICE_AT_LOCATIONS_PARAMETERS,
  serviceAtLocationsQuery,
  SERVICES_PARAMETERS,
  servicesQuery,
} from './oruk.schema.ts'
import {
  API_INFO,
  findService,
  findServiceAtLocation,
  findTaxonomyById,
  findTaxonomyTerm,
  listServiceAtLocations,
  listServices,
  listTaxonomyPage,
  listTaxonomyTermPage,
} from './oruk.service.ts'

/** The Open Referral UK API's address; its paths are the profile's (standards/oruk/openapi.json). */
export const ORUK_PREFIX = '/api/oruk'

/** Keyless and open to every site, but not to be hammered: per client address. */
const API_RATE_LIMIT = { max: 600, timeWindow: '1 minute' }
const PUBLIC = { config: { access: 'public' as const, rateLimit: API_RATE_LIMIT } }

/**
 * Open to scripts on any site (no credentials: the API has no cookies or keys to protect). Set on every response
 * under the prefix, errors and 404s included, so a browser client can read why a request failed.
 */
export function allowAnyOrigin(reply: FastifyReply): void {
  reply.header('access-control-allow-origin', '*')
  reply.header('access-control-expose-headers', 'x-request-id, link, content-disposition')
  // Helmet's same-origin resource policy would stop other sites embedding what CORS lets them read.
  reply.header('cross-origin-resource-policy', 'cross-origin')
}

/** Parses a query string with a strict schema; a 400 problem naming each bad parameter otherwise. */
function parseQuery<S extends z.ZodType>(
  schema: S,
  allowed: readonly string[],
  req: FastifyRequest,
  reply: FastifyReply,
): z.output<S> | undefined {
  const parsed = schema.safeParse(req.query ?? {})
  if (parsed.success) return parsed.data
  sendProblem(reply, 400, 'Bad request', describeQueryError(parsed.error, allowed), 'invalid-parameter')
  return undefined
}

/** Endpoints that take no parameters refuse any, like the others refuse unknown ones. */
const noQuery = z.strictObject({})

const notFound = (reply: FastifyReply, what: string) =>
  sendProblem(reply, 404, 'Not found', `No ${what} has this id`, 'not-found')

/**
 * The Open Referral UK API (HSDS 3.0, UK profile) under /api/oruk: the API's details, services, services at
 * locations, taxonomies and taxonomy terms, paged as the profile's Page schema says. Only listed services appear.
 */
export async function orukRoutes(app: FastifyInstance, { db }: ModuleContext): Promise<void> {
  await app.register(
    async (api) => {
      api.addHook('onSend', async (req, reply) => {
        allowAnyOrigin(reply)
        // The directory changes when data is imported or a provider edits its listing: a minute's caching is safe.
        if (reply.statusCode === 200 && req.method !== 'OPTIONS') reply.header('cache-control', 'public, max-age=60')
      })
      api.setNotFoundHandler({ preHandler: api.rateLimit({ max: 120, timeWindow: '1 minute' }) }, (_req, reply) =>
        sendProblem(reply, 404, 'Not found', 'No resource at this address', 'not-found'),
      )

      // CORS preflight: GET is the only method, and any request header may be sent (there are no credentials).
      const preflight = async (req: FastifyRequest, reply: FastifyReply) => {
        const asked = req.headers['access-control-request-headers']
        return reply
          .code(204)
          .header('access-control-allow-methods', 'GET, HEAD, OPTIONS')
          .header(
            'access-control-allow-headers',
            typeof asked === 'string' && /^[\w\-, ]{1,500}$/.test(asked) ? asked : 'accept, content-type',
          )
          .header('access-control-max-age', '86400')
          .send()
      }
      api.options('/', { config: { access: 'public' } }, preflight)
      api.options('/*', { config: { access: 'public' } }, preflight)

      api.get('/', PUBLIC, async (req, reply) => (parseQuery(noQuery, [], req, reply) ? API_INFO : reply))

      api.get('/services', PUBLIC, async (req, reply) => {
        const q = parseQuery(servicesQuery, SERVICES_PARAMETERS, req, reply)
        return q ? listServices(db, q) : reply
      })

      api.get<{ Params: { id: string } }>('/services/:id', PUBLIC, async (req, reply) => {
        if (!parseQuery(noQuery, [], req, reply)) return reply
        return (await findService(db, req.params.id)) ?? notFound(reply, 'listed service')
      })

      api.get('/service_at_locations', PUBLIC, async (req, reply) => {
        const q = parseQuery(serviceAtLocationsQuery, SERVICE_AT_LOCATIONS_PARAMETERS, req, reply)
        if (!q) return reply
        const result = await listServiceAtLocations(db, q)
        if (result.ok) return result.page
        return sendProblem(
          reply,
          400,
          'Bad request',
          'postcode is not a UK postcode or postcode district that the directory can place',
          'unknown-postcode',
        )
      })

      // openapi.json gives this path compiled/service.json as its schema, but describes (and its example,
      // service_at_location_full.json, is) a fully nested service_at_location: we answer with that, which
      // validates against compiled/service_at_location.json.
      api.get<{ Params: { id: string } }>('/service_at_locations/:id', PUBLIC, async (req, reply) => {
        if (!parseQuery(noQuery, [], req, reply)) return reply
        return (await findServiceAtLocation(db, req.params.id)) ?? notFound(reply, 'listed service at a location')
      })

      api.get('/taxonomies', PUBLIC, async (req, reply) => {
        const q = parseQuery(pageQuery, PAGE_PARAMETERS, req, reply)
        return q ? listTaxonomyPage(q) : reply
      })

      api.get<{ Params: { id: string } }>('/taxonomies/:id', PUBLIC, async (req, reply) => {
        if (!parseQuery(noQuery, [], req, reply)) return reply
        return (await findTaxonomyById(db, req.params.id)) ?? notFound(reply, 'taxonomy')
      })

      api.get('/taxonomy_terms', PUBLIC, async (req, reply) => {
        const q = parseQuery(pageQuery, PAGE_PARAMETERS, req, reply)
        return q ? listTaxonomyTermPage(db, q) : reply
      })

      api.get<{ Params: { id: string } }>('/taxonomy_terms/:id', PUBLIC, async (req, reply) => {
        if (!parseQuery(noQuery, [], req, reply)) return reply
        return (await findTaxonomyTerm(db, req.params.id)) ?? notFound(reply, 'taxonomy term')
      })
    },
    { prefix: ORUK_PREFIX },
  )
}
