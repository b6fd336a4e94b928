import type { FastifyInstance, FastifyReply } from 'fastify'
import type { ModuleContext } from '../../platform/index.ts'
import { fileOf, FIGURES_OUTPUTS, METADATA_OUTPUT } from './open-data.outputs.ts'

/** The publication reads every response of a year: a handful a minute per client is plenty. */
const DOWNLOAD = { config: { access: 'public' as const, rateLimit: { max: 30, timeWindow: '1 minute' } } }

/** Open data may be read from any site (no credentials are involved); the licence travels in a Link header. */
function openDataHeaders(reply: FastifyReply, type: string) {
  return reply
    .type(type)
    .header('access-control-allow-origin', '*')
    .header('cross-origin-resource-policy', 'cross-origin')
    .header('link', `<${METADATA_OUTPUT.path}>; rel="describedby"`)
    .header('cache-control', 'public, max-age=300')
}

/** The monthly feedback figures and response times as CSV and JSON, and the Data Package that describes them: one route per output. */
export async function openDataRoutes(app: FastifyInstance, { db, config, now }: ModuleContext): Promise<void> {
  for (const output of FIGURES_OUTPUTS) {
    app.get(output.path, DOWNLOAD, async (req, reply) => {
      const at = now()
      const { month, body } = await fileOf(db, output, req.params as Record<string, string>, at)
      return openDataHeaders(reply, output.type)
        .header('content-disposition', `attachment; filename="${output.fileName(month)}"`)
        .send(body)
    })
  }
  app.get(METADATA_OUTPUT.path, { config: { access: 'public' } }, async (_req, reply) =>
    openDataHeaders(reply, METADATA_OUTPUT.type).send(METADATA_OUTPUT.write(config.publicUrl)),
  )
}
