import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import fastifyMultipart, { type MultipartFile } from '@fastify/multipart'
import {
  auditContextFromRequest,
  fieldErrors,
  idParam,
  recordAudit,
  type FormErrors,
  type ModuleContext,
} from '../../platform/index.ts'
import { STAFF } from './links.routes.ts'
import { UPLOAD_MODES, uploadForm } from './links.schema.ts'
import { staffProvider } from './staff.service.ts'
import { uploadMonthlyCounts } from './uploads.service.ts'

/** A year of monthly rows is a few kilobytes; this leaves room for long files without holding much in memory. */
const MAX_FILE_BYTES = 1024 * 1024
const FORM_RATE_LIMIT = { max: 20, timeWindow: '1 minute' }

/**
 * Provider staff upload paper, kiosk and other counts (issue #6, uploads) through the existing all-or-nothing importer.
 * Multipart is parsed only in this scope, into plain fields, so the CSRF check reads `_csrf` as for any other form.
 */
export async function uploadRoutes(app: FastifyInstance, { db, config, now }: ModuleContext): Promise<void> {
  await app.register(async (scope) => {
    await scope.register(fastifyMultipart, {
      attachFieldsToBody: 'keyValues',
      limits: { fileSize: MAX_FILE_BYTES, files: 1, fields: 5 },
      // Keep the name the file had on the uploader's computer: the upload record and the page show it.
      async onFile(part: MultipartFile) {
        ;(part as MultipartFile & { value: unknown }).value = { filename: part.filename, data: await part.toBuffer() }
      },
    })
    const view = 'feedback/views/upload.njk'

    scope.get('/providers/:id/feedback-upload', { config: STAFF }, async (req, reply) => {
      const provider = await staffProvider(db, req.identity!, idParam(req.params, 'id'))
      return reply.render(view, { provider, modes: UPLOAD_MODES, values: {} })
    })

    scope.post(
      '/providers/:id/feedback-upload',
      { config: { ...STAFF, rateLimit: FORM_RATE_LIMIT } },
      async (req, reply) => {
        const id = idParam(req.params, 'id')
        const provider = await staffProvider(db, req.identity!, id)
        const t = reply.locals.t as (key: string, params?: Record<string, string | number>) => string
        const body = (req.body ?? {}) as Record<string, unknown>
        const page = { provider, modes: UPLOAD_MODES, values: { mode: body.mode } }
        const form = uploadForm.safeParse(body)
        if (!form.success) return reply.code(400).render(view, { ...page, errors: fieldErrors(form.error, t) })

        const { mode, file } = form.data
        const dir = await mkdtemp(join(tmpdir(), 'openchoice-upload-'))
        try {
          const path = join(dir, 'upload.csv')
          await writeFile(path, file.data)
          const upload = { serviceId: id, mode, uploadedBy: req.identity!.personId, path, fileName: file.filename }
          const result = await uploadMonthlyCounts(db, upload, now())
          await recordAudit(db, {
            action: 'feedback.counts.uploaded',
            outcome: result.ok ? 'success' : 'failure',
            actorId: req.identity!.personId,
            objectType: 'service',
            objectId: id,
            details: result.ok
              ? { mode, records: result.records, inserted: result.inserted, updated: result.updated }
              : { mode, badLines: result.errors.length },
            ...auditContextFromRequest(req, config),
          })
          if (result.ok) return reply.render(view, { ...page, uploaded: { ...result, fileName: file.filename } })
          // Line 0 is about the whole file (empty, or not CSV); a file of headers only has no bad line at all.
          const bad = result.errors.length ? result.errors : [{ line: 0, reason: t('feedback.upload.errors.noRows') }]
          const errors: FormErrors = bad.map((e) => ({
            text: e.line
              ? t('feedback.upload.errors.line', { line: e.line, reason: e.reason })
              : e.reason.charAt(0).toUpperCase() + e.reason.slice(1),
            href: '#file',
          }))
          errors.byField = { file: t('feedback.upload.errors.rejected') }
          return reply.code(400).render(view, { ...page, errors })
        } finally {
          await rm(dir, { recursive: true, force: true })
        }
      },
    )
  })
}
