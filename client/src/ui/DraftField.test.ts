import { describe, expect, it } from 'vitest'
import { parseAmount } from './DraftField.tsx'

describe('parseAmount', () => {
  it('reads dollars as people type them, with thousands, millions and billions written out or short', () => {
    const cases: Array<[string, number | null]> = [
      ['', null],
      ['25000', 25_000],
      ['$1,250.50', 1_250.5],
      ['200k', 200_000],
      ['200K', 200_000],
      ['$1.5M', 1_500_000],
      ['2 million', 2_000_000],
      ['250 thousand', 250_000],
      ['3bn', 3_000_000_000],
      ['.5m', 500_000],
      ['1.2345k', 1_234.5],
    ]
    for (const [typed, value] of cases) expect([typed, parseAmount(typed)]).toEqual([typed, { ok: true, value }])
  })

  it('refuses what is not an amount with a message that shows the forms it takes', () => {
    for (const typed of ['about 200', '200 dollars', '1.2.3', '-5', '5x', 'k', '1e9']) {
      const parsed = parseAmount(typed)
      expect(parsed.ok, typed).toBe(false)
      if (!parsed.ok) expect(parsed.error).toMatch(/like 25000, 1,250.50 or 2.5 million/)
    }
  })
})
