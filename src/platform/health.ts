import { sql } from 'kysely'
import type { FastifyInstance } from 'fastify'
import type { Database } from './db.ts'

/** Liveness says the process answers; readiness says it can reach its database. */
export function registerHealth(app: FastifyInstance, database: Database): void {
  app.get('/health/live', { config: { access: 'public' } }, async () => ({ status: 'ok' }))
  app.get('/health/ready', { config: { access: 'public' } }, async (req, reply) => {
    try {
      await sql`select 1`.execute(database.db)
      return { status: 'ok', database: database.kind }
    } catch (err) {
      req.log.error({ err }, 'database not ready')
      return reply.code(503).send({ status: 'unavailable', database: database.kind })
    }
  })
}
