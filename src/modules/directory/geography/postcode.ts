// Postcode shapes (the Royal Mail / ONS format): an outcode (area letters, district digit, optional letter or digit),
// one space, and an incode (sector digit, two unit letters). GIR 0AA is the one historic exception.
const POSTCODE = /^(?:[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}|GIR 0AA)$/
const OUTCODE = /^(?:[A-Z]{1,2}[0-9][A-Z0-9]?|GIR)$/

/**
 * A postcode as the directory keys it: upper case with one space before the incode ("ab10  1aa" → "AB10 1AA"),
 * or null when the text is not shaped like a postcode. ONSPD's pcd7/pcd8/pcds and what people type all normalise.
 */
export function normalisePostcode(text: string): string | null {
  const compact = text.replace(/\s+/g, '').toUpperCase()
  if (compact.length < 5 || compact.length > 7) return null
  const postcode = `${compact.slice(0, -3)} ${compact.slice(-3)}`
  return POSTCODE.test(postcode) ? postcode : null
}

/** The outcode (postcode district) of a normalised postcode: "AB10 1AA" → "AB10". */
export function outcodeOf(postcode: string): string {
  return postcode.slice(0, postcode.indexOf(' '))
}

/** True for an outcode such as "AB10", "SE1P" or "M1" (upper case, no spaces). */
export function isOutcode(text: string): boolean {
  return OUTCODE.test(text)
}
