import { z } from 'zod'
import { COLLECTION_MODES } from './collection.ts'
import { MAX_LINKS_PER_BATCH } from './links.service.ts'
import { FFT_ANSWERS } from './statistics.ts'

/** Long enough for a few sentences; moderators read every one before it is published. */
export const COMMENT_MAX = 1000

/** The FFT question and its one free-text follow-up. */
export const giveForm = z.object({
  answer: z.enum(FFT_ANSWERS, { error: 'feedback.give.errors.answer' }),
  comment: z.string().trim().max(COMMENT_MAX, { error: 'feedback.give.errors.commentTooLong' }).optional(),
})

/** How many links to make in one batch. */
export const linksForm = z.object({
  count: z.coerce
    .number({ error: 'feedback.link.errors.count' })
    .int({ error: 'feedback.link.errors.count' })
    .min(1, { error: 'feedback.link.errors.count' })
    .max(MAX_LINKS_PER_BATCH, { error: 'feedback.link.errors.count' }),
})

/** Answers collected online come in through feedback links; uploads are for the other modes. */
export const UPLOAD_MODES = COLLECTION_MODES.filter((m) => m !== 'online')

export const uploadForm = z.object({
  mode: z.enum(UPLOAD_MODES, { error: 'feedback.upload.errors.mode' }),
  file: z.object(
    {
      filename: z.string(),
      data: z.instanceof(Buffer).refine((b) => b.length > 0, { error: 'feedback.upload.errors.file' }),
    },
    { error: 'feedback.upload.errors.file' },
  ),
})
