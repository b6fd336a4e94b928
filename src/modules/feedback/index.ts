// The feedback module's public surface: other modules import only from here.
export { satisfactionFor, type Satisfaction } from './satisfaction.service.ts'
export type { Percentage } from './disclosure.ts'
export { FFT_ANSWERS, PERCENTAGE_DENOMINATOR, type FftAnswer } from './statistics.ts'
export { COLLECTION_MODES, type CollectionMode } from './collection.ts'
export type { Month } from './period.ts'
