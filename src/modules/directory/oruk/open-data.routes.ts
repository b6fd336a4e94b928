import { Readable } from 'node:stream'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { ModuleContext } from '../../../platform/index.ts'
import { LICENCE_PATH } from './open-data.licence.ts'
import { directoryCsv, directoryJson, directoryLicence } from './open-data.service.ts'
import { allowAnyOrigin } from './oruk.routes.ts'

/** A whole-directory file is a few megabytes of work for the database: a handful a minute per client is plenty. */
const DOWNLOAD = { config: { access: 'public' as const, rateLimit: { max: 30, timeWindow: '1 minute' } } }

/**
 * Streams a download: a HEAD request gets the headers only (the body, which Fastify would read and throw away,
 * is not even started).
 */
function sendFile(
  req: FastifyRequest,
  reply: FastifyReply,
  type: string,
  fileName: string,
  body: () => AsyncGenerator<string>,
) {
  allowAnyOrigin(reply)
  reply
    .type(type)
    .header('content-disposition', `attachment; filename="${fileName}"`)
    .header('link', `<${LICENCE_PATH}>; rel="license"`)
    .header('cache-control', 'public, max-age=300')
  if (req.method === 'HEAD') return reply.send()
  return reply.send(Readable.from(body()))
}

/** The whole listed directory as open data (CSV and JSON), and the licence and attribution statement for both. */
export async function openDataRoutes(app: FastifyInstance, { db, now }: ModuleContext): Promise<void> {
  app.get('/open-data/directory.csv', DOWNLOAD, async (req, reply) => {
    const day = now().toISOString().slice(0, 10)
    return sendFile(req, reply, 'text/csv; charset=utf-8; header=present', `openchoice-directory-${day}.csv`, () =>
      directoryCsv(db),
    )
  })

  app.get('/open-data/directory.json', DOWNLOAD, async (req, reply) => {
    const at = now()
    const day = at.toISOString().slice(0, 10)
    return sendFile(req, reply, 'application/json; charset=utf-8', `openchoice-directory-${day}.json`, () =>
      directoryJson(db, at),
    )
  })

  app.get(LICENCE_PATH, { config: { access: 'public' } }, async (_req, reply) => {
    allowAnyOrigin(reply)
    return reply
      .type('text/plain; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .send(directoryLicence())
  })
}
