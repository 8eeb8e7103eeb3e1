import net from 'node:net'
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
    // After the input already waiting: two turns of the event loop's check phase.
    vi.advanceTimersToNextTimer()
    expect(runs).toEqual([])
    vi.advanceTimersToNextTimer()
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

  it('with no delay, runs only after the input already waiting has been read', async () => {
    vi.useRealTimers()
    const order: string[] = []
    const soon = new QuietTimers({ quietMs: 1000, maxWaitMs: 5000, run: (key) => order.push(`run ${key}`) })
    const server = net.createServer()
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const accepted = new Promise<net.Socket>((resolve) => server.once('connection', resolve))
    const client = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1')
    const socket = await accepted
    try {
      const done = new Promise<void>((resolve) => {
        socket.on('data', (data) => {
          order.push(`read ${data}`)
          if (String(data) !== 'first') return
          // As a room loading a document: input arrives while the event loop is busy, and the
          // refresh is asked for at the end of that work.
          client.write('second')
          const busyUntil = performance.now() + 20
          while (performance.now() < busyUntil) {}
          soon.soon('plan:a')
        })
        const check = setInterval(() => {
          if (order.length < 3) return
          clearInterval(check)
          resolve()
        }, 5)
      })
      client.write('first')
      await done
      expect(order).toEqual(['read first', 'read second', 'run plan:a'])
    } finally {
      client.destroy()
      socket.destroy()
      server.close()
      soon.clear()
    }
  })
})
