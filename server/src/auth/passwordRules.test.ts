import { describe, expect, it } from 'vitest'
import { passwordProblem } from './passwordRules.ts'

describe('passwordProblem', () => {
  it('refuses common passwords, repeated patterns, common words dressed up and the email address', async () => {
    expect(await passwordProblem('qwerty123456')).toMatch(/most common/)
    expect(await passwordProblem('QWERTY123456')).toMatch(/most common/)
    expect(await passwordProblem('aaaaaaaaaaaa')).toMatch(/Repeated/)
    expect(await passwordProblem('abcabcabcabc')).toMatch(/Repeated/)
    expect(await passwordProblem('Welcome2024!')).toMatch(/digits or symbols/)
    expect(await passwordProblem('maria@tulsa.gov', 'Maria@Tulsa.gov')).toMatch(/email/)
  })

  it('accepts passphrases and uncommon passwords', async () => {
    for (const ok of ['wages rise when bids say so', 'demo-password', 'Tr0ub4dor&3xx', 'café mañana 中文 😀']) {
      expect({ ok, problem: await passwordProblem(ok, 'someone@example.org') }).toEqual({ ok, problem: null })
    }
  })
})
