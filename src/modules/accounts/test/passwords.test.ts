import { describe, expect, it } from 'vitest'
import { hashPassword, passwordProblem, verifyPassword } from '../passwords.ts'

describe('password rules', () => {
  it.each([
    ['short', 'too-short'],
    ['elevenchars', 'too-short'],
    ['x'.repeat(257), 'too-long'],
    ['123qweasdzxc', 'common'],
    ['qwerty123456', 'common'],
    ['password1234!', 'common'],
    ['PASSWORD2024', 'common'],
    ['dragondragon', 'common'],
    ['aaaaaaaaaaaaaa', 'common'],
    ['amina.khan.secret', 'contains-email'],
  ])('rejects %j as %s', (password, problem) => {
    expect(passwordProblem(password, 'amina.khan@example.org')).toBe(problem)
  })

  it.each(['correct horse battery staple', 'Tea at four on the lawn', 'plum-kettle-orbit-9'])(
    'accepts %j',
    (password) => {
      expect(passwordProblem(password, 'amina.khan@example.org')).toBeNull()
    },
  )

  it('hashes with argon2id and verifies only the same password', async () => {
    const hash = await hashPassword('correct horse battery staple')
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/)
    expect(await verifyPassword(hash, 'correct horse battery staple')).toBe(true)
    expect(await verifyPassword(hash, 'correct horse battery stapl')).toBe(false)
    expect(await verifyPassword('not a hash', 'x')).toBe(false)
  })
})
