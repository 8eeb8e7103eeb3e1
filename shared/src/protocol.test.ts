import { describe, expect, it } from 'vitest'
import { CloseCode, closeCodeName, isTerminalCloseCode, parseDocName } from './protocol.ts'

describe('protocol', () => {
  it('names every close code and tells terminal codes from transient ones', () => {
    expect(closeCodeName(CloseCode.WriteNotAllowed)).toBe('WriteNotAllowed')
    expect(closeCodeName(1234)).toBeUndefined()
    expect(isTerminalCloseCode(CloseCode.Forbidden)).toBe(true)
    expect(isTerminalCloseCode(CloseCode.StorageFailure)).toBe(false)
    expect(isTerminalCloseCode(CloseCode.GoingAway)).toBe(false)
  })

  it('uses a distinct number for every close code', () => {
    const codes = Object.values(CloseCode)
    expect(new Set(codes).size).toBe(codes.length)
  })

  it('parses well-formed document names and refuses others', () => {
    expect(parseDocName('plan:abc-123')).toEqual({ kind: 'plan', id: 'abc-123' })
    for (const bad of ['', 'plan', 'plan:', 'Plan:x', 'plan:a b', 'plan:../x', `plan:${'x'.repeat(65)}`]) {
      expect(parseDocName(bad)).toBeNull()
    }
  })
})
