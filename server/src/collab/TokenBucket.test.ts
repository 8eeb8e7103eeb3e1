import { describe, expect, it } from 'vitest'
import { ConnectionLimits, DEFAULT_CONNECTION_LIMITS } from './ConnectionLimits.ts'
import { TokenBucket } from './TokenBucket.ts'

/** A clock the test moves by hand. */
function manualClock() {
  let t = 0
  return { now: () => t, advance: (ms: number) => (t += ms) }
}

describe('TokenBucket', () => {
  it('allows a burst, then only the refill rate', () => {
    const clock = manualClock()
    const bucket = new TokenBucket(3, 2, clock.now)
    expect([bucket.take(1), bucket.take(1), bucket.take(1), bucket.take(1)]).toEqual([true, true, true, false])
    clock.advance(500)
    expect(bucket.take(1)).toBe(true)
    expect(bucket.take(1)).toBe(false)
  })

  it('takes a cost larger than the bucket while the balance is positive, then waits out the debt', () => {
    const clock = manualClock()
    const bucket = new TokenBucket(10, 10, clock.now)
    expect(bucket.take(25)).toBe(true)
    expect(bucket.balance).toBe(-15)
    clock.advance(1000)
    expect(bucket.take(1)).toBe(false)
    clock.advance(600)
    expect(bucket.take(1)).toBe(true)
  })

  it('never holds more than its capacity however long it waits', () => {
    const clock = manualClock()
    const bucket = new TokenBucket(5, 100, clock.now)
    clock.advance(60_000)
    expect(bucket.balance).toBe(5)
  })
})

describe('default connection limits', () => {
  it('never stop a person typing 15 keys a second with presence for ten minutes, after a 1 MB paste', () => {
    const clock = manualClock()
    const limits = new ConnectionLimits(DEFAULT_CONNECTION_LIMITS, clock.now)
    expect(limits.take('syncRequests', 40)).toBeNull()
    limits.chargeBytes('syncRequests', 2 * 1024 * 1024)
    expect(limits.take('updates', 1024 * 1024 + 200)).toBeNull()
    const refused: string[] = []
    for (let key = 0; key < 15 * 600; key++) {
      clock.advance(1000 / 15)
      const update = limits.take('updates', 60)
      const presence = limits.take('presence', 180)
      if (update || presence) refused.push(`key ${key}: ${update ?? presence}`)
    }
    expect(refused).toEqual([])
  })

  it('stop a flood of tiny updates, of presence and of sync requests within a second', () => {
    for (const kind of ['updates', 'presence', 'syncRequests'] as const) {
      const clock = manualClock()
      const limits = new ConnectionLimits(DEFAULT_CONNECTION_LIMITS, clock.now)
      let refusedAt = -1
      for (let i = 0; i < 20_000 && refusedAt < 0; i++) {
        clock.advance(0.05) // 20,000 messages a second
        if (limits.take(kind, 20) !== null) refusedAt = i
        if (kind === 'syncRequests') limits.chargeBytes(kind, 500_000)
      }
      expect(refusedAt, kind).toBeGreaterThan(0)
      expect(refusedAt, kind).toBeLessThan(2000)
    }
  })
})

describe('ConnectionLimits', () => {
  it('counts a message apart from its bytes, so a message that used up the bytes is not refused twice', () => {
    const clock = manualClock()
    const limits = new ConnectionLimits(
      {
        ...DEFAULT_CONNECTION_LIMITS,
        presence: { messagesPerSecond: 1, messageBurst: 2, bytesPerSecond: 1, byteBurst: 100 },
      },
      clock.now,
    )
    expect(limits.take('presence', 150, 0)).toBeNull() // bytes into debt
    expect(limits.take('presence', 0, 1)).toBeNull() // the same message counted
    expect(limits.take('presence', 10, 0)).toBe('bytes')
    clock.advance(60_000)
    expect(limits.take('presence', 10, 1)).toBeNull()
    expect(limits.take('presence', 0, 1)).toBeNull()
    expect(limits.take('presence', 0, 1)).toBe('messages')
  })
})
