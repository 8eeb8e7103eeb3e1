import { describe, expect, it } from 'vitest'
import { ExportBusyError, ExportLimiter } from './ExportLimiter.ts'

describe('ExportLimiter', () => {
  it('runs at most `concurrency` exports at once, queues a bounded number and refuses the rest', async () => {
    const limiter = new ExportLimiter(2, 1)
    let active = 0
    let most = 0
    const releases: Array<() => void> = []
    const job = () =>
      limiter.run(async () => {
        active += 1
        most = Math.max(most, active)
        await new Promise<void>((r) => releases.push(r))
        active -= 1
        return 'done'
      })
    const a = job()
    const b = job()
    const c = job()
    await expect(job()).rejects.toBeInstanceOf(ExportBusyError)
    expect(active).toBe(2)
    releases.shift()?.()
    await a
    await Promise.resolve()
    await new Promise((r) => setTimeout(r, 0))
    expect(active).toBe(2)
    for (const release of releases.splice(0)) release()
    await b
    await new Promise((r) => setTimeout(r, 0))
    for (const release of releases.splice(0)) release()
    await expect(c).resolves.toBe('done')
    expect(most).toBe(2)
  })
})
