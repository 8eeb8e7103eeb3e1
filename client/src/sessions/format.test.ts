import type { CohortSession } from '@lever/shared'
import { describe, expect, it } from 'vitest'
import { isPast, minutesText } from './format.ts'

describe('session wording', () => {
  it('says "1 minute", not "1 minutes"', () => {
    expect(minutesText(1)).toBe('1 minute')
    expect(minutesText(90)).toBe('90 minutes')
    expect(minutesText(0)).toBe('0 minutes')
  })

  it('calls a session past once it ended or its time is over without being held, never while live', () => {
    const base: Pick<CohortSession, 'status' | 'startsAt' | 'durationMinutes'> = {
      status: 'scheduled',
      startsAt: '2022-06-15T17:00:00Z',
      durationMinutes: 90,
    }
    const now = Date.parse('2026-12-01T12:00:00Z')
    expect(isPast(base as CohortSession, now)).toBe(true)
    expect(isPast({ ...base, status: 'live' } as CohortSession, now)).toBe(false)
    expect(isPast({ ...base, startsAt: '2026-12-01T11:00:00Z' } as CohortSession, now)).toBe(false)
    expect(isPast({ ...base, startsAt: '2031-01-01T00:00:00Z', status: 'ended' } as CohortSession, now)).toBe(true)
  })
})
