// Reference geography for the rest of the directory module: postcode lookup and the importers of issue #4.
export { locatePostcode, type PostcodeLocation } from './locate.ts'
export { normalisePostcode, outcodeOf, isOutcode } from './postcode.ts'
export { onspdSource, type PostcodeInput } from './onspd.import.ts'
export { outcodesSource } from './outcodes.import.ts'
export { imd2019Source, type LsoaDeprivationInput } from './imd2019.import.ts'
