import { hash, verify } from '@node-rs/argon2'
import { dictionary } from '@zxcvbn-ts/language-common'

/** NCSC and NIST SP 800-63B: length and a deny-list of common passwords, no composition rules. */
export const MIN_PASSWORD_LENGTH = 12
export const MAX_PASSWORD_LENGTH = 256

// About 49,000 passwords seen most often in breaches (zxcvbn-ts's common-password list).
const COMMON = new Set((dictionary['passwords-common'] as string[]).map((p) => p.toLowerCase()))

export type PasswordProblem = 'too-short' | 'too-long' | 'common' | 'contains-email'

/**
 * Why a new password is not good enough, or null. A password is common if it is on the list, or is a listed
 * password repeated or followed by digits and symbols ("password1234!", "qwertyqwerty").
 */
export function passwordProblem(password: string, email: string): PasswordProblem | null {
  if (password.length < MIN_PASSWORD_LENGTH) return 'too-short'
  if (password.length > MAX_PASSWORD_LENGTH) return 'too-long'
  const lower = password.toLowerCase()
  const stem = lower.replace(/[\d\W_]+$/, '')
  if (COMMON.has(lower) || (stem.length >= 4 && COMMON.has(stem)) || isRepeatOfCommon(lower)) return 'common'
  const local = email.toLowerCase().split('@')[0] ?? ''
  if (local.length >= 4 && lower.includes(local)) return 'contains-email'
  return null
}

function isRepeatOfCommon(p: string): boolean {
  for (let size = 3; size <= p.length / 2; size++) {
    if (p.length % size !== 0) continue
    const unit = p.slice(0, size)
    if (unit.repeat(p.length / size) === p && (COMMON.has(unit) || /^(.)\1*$/.test(unit))) return true
  }
  return /^(.)\1+$/.test(p)
}

/** argon2id with OWASP's minimum parameters (19 MiB, 2 iterations, 1 lane). */
export function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 })
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password)
  } catch {
    return false
  }
}

// Verifying against this when the email is unknown makes a wrong address take as long as a wrong password.
let dummyHash: Promise<string> | undefined
export async function verifyAgainstNobody(password: string): Promise<false> {
  dummyHash ??= hashPassword('openchoice-timing-equaliser')
  await verifyPassword(await dummyHash, password)
  return false
}
