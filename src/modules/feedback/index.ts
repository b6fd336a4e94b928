// The feedback module's public surface: other modules import only from here.
export { satisfactionFor, type Satisfaction } from './satisfaction.service.ts'
export type { Percentage } from './disclosure.ts'
export { FFT_ANSWERS, PERCENTAGE_DENOMINATOR, type FftAnswer } from './statistics.ts'
export { COLLECTION_MODES, type CollectionMode } from './collection.ts'
export type { Month } from './period.ts'
export { recordResponse, type NewResponse } from './responses.service.ts'
export { giveForm, COMMENT_MAX } from './links.schema.ts'
/** The FFT question's page; render it with `{ provider, values, errors, answers: FFT_ANSWERS, COMMENT_MAX }`. */
export const GIVE_FEEDBACK_VIEW = 'feedback/views/give.njk'
/** How published response times are measured, in words (the choice module's tests check it against its standards). */
export { RESPONSE_TIMES_METHOD } from './open-data.ts'
