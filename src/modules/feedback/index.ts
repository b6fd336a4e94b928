// The feedback module's public surface: other modules import only from here.
export { FFT_ANSWERS, PERCENTAGE_DENOMINATOR, type FftAnswer } from './statistics.ts'
export { COLLECTION_MODES, type CollectionMode } from './collection.ts'
