import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { QuietTimers } from './QuietTimers.ts'

describe('QuietTimers', () => {
  let runs: string[]
  let timers: QuietTimers

  beforeEach(() => {
    vi.useFakeTimers()
    runs = []
    timers = new QuietTimers({ quietMs: 1000, maxWaitMs: 5000, run: (key) => runs.push(key), now: () => Date.now() })
  })
  afterEach(() => {
    timers.clear()
    vi.useRealTimers()
  })

  it('runs a key once its changes have been quiet for the quiet period', () => {
    timers.touch('plan:a')
    vi.advanceTimersByTime(600)
    timers.touch('plan:a')
    vi.advanceTimersByTime(600)
    expect(runs).toEqual([])
    vi.advanceTimersByTime(400)
    expect(runs).toEqual(['plan:a'])
    vi.advanceTimersByTime(10_000)
    expect(runs).toEqual(['plan:a'])
  })

  it('runs a key changed without a pause at the longest wait, then starts over', () => {
    for (let t = 0; t < 12_000; t += 200) {
      timers.touch('plan:a')
      vi.advanceTimersByTime(200)
    }
    // Touched every 200 ms for 12 s: due at 5 s and 10 s after the first change of each round.
    expect(runs).toEqual(['plan:a', 'plan:a'])
    vi.advanceTimersByTime(1000)
    expect(runs).toEqual(['plan:a', 'plan:a', 'plan:a'])
  })

  it('keeps keys apart, runs one soon on request, and forgets a cancelled one', () => {
    timers.touch('plan:a')
    timers.touch('plan:b')
    timers.soon('plan:c')
    vi.advanceTimersByTime(0)
    expect(runs).toEqual(['plan:c'])
    expect(timers.cancel('plan:b')).toBe(true)
    expect(timers.keys()).toEqual(['plan:a'])
    vi.advanceTimersByTime(1000)
    expect(runs).toEqual(['plan:c', 'plan:a'])
    expect(timers.has('plan:b')).toBe(false)
  })

  it('runs everything pending at once when asked (shutdown)', () => {
    timers.touch('plan:a')
    timers.touch('plan:b')
    timers.runAll()
    expect(runs.sort()).toEqual(['plan:a', 'plan:b'])
    expect(timers.keys()).toEqual([])
  })
})
