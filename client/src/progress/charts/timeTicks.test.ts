import { describe, expect, it } from 'vitest'
import { timeTicks } from './timeTicks.ts'

const labels = (from: string, to: string, max?: number) => {
  const ticks = timeTicks(new Date(from), new Date(to), max)
  return ticks.values.map(ticks.format)
}

describe('timeTicks', () => {
  it('puts one tick on the first of each month, never the same label twice (a three-month dashboard)', () => {
    expect(labels('2026-11-03T00:00:00Z', '2027-01-20T00:00:00Z')).toEqual(['Dec 2026', 'Jan 2027'])
    expect(labels('2026-11-01T00:00:00Z', '2027-01-20T00:00:00Z')).toEqual(['Nov 2026', 'Dec 2026', 'Jan 2027'])
  })

  it('takes every few months over a long range, and days within a month', () => {
    // 36 months, at most 5 ticks: every 8th month.
    expect(labels('2024-01-01T00:00:00Z', '2026-12-31T00:00:00Z', 5)).toEqual([
      'Jan 2024',
      'Sep 2024',
      'May 2025',
      'Jan 2026',
      'Sep 2026',
    ])
    const days = labels('2026-11-03T00:00:00Z', '2026-11-20T00:00:00Z')
    expect(new Set(days).size).toBe(days.length)
    expect(days[0]).toBe('Nov 3')
  })
})
