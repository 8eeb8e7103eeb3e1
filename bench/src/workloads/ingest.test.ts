import { describe, expect, it } from 'vitest'
import type { WorkloadContext } from './context.ts'
import { rampToCeiling, type Step } from './ingest.ts'

/** A server whose ceiling is `ceiling` updates/s: every step above it fails on p99. */
function serverWithCeiling(ceiling: number) {
  const tried: number[] = []
  const runStep = async (offered: number): Promise<Step> => {
    tried.push(offered)
    const passes = offered <= ceiling
    return {
      offered,
      achieved: offered,
      p99: passes ? 20 : 300,
      delivered: 100,
      serverCpu: 50,
      clientCpu: 50,
      failure: passes ? null : 'p99 over the bound',
    }
  }
  return { tried, runStep }
}

const context = { progress: () => {} } as unknown as WorkloadContext

describe('rampToCeiling', () => {
  it('doubles until a rate fails twice, then halves the gap to the last passing rate', async () => {
    const { tried, runStep } = serverWithCeiling(6_500)
    const { best, failed } = await rampToCeiling(
      context,
      'lever',
      { start: 1_000, max: 16_000, refineSteps: 3 },
      runStep,
    )
    // 8,000 fails (twice), then 6,000 passes, 7,000 fails (twice), 6,500 passes.
    expect(tried).toEqual([1_000, 2_000, 4_000, 8_000, 8_000, 6_000, 7_000, 7_000, 6_500])
    expect(best?.offered).toBe(6_500)
    expect(failed?.offered).toBe(7_000)
  })

  it('reports the highest rate tried when nothing fails, and no rate when the first fails', async () => {
    const fast = serverWithCeiling(1e9)
    expect(
      (await rampToCeiling(context, 'lever', { start: 1_000, max: 8_000, refineSteps: 3 }, fast.runStep)).best?.offered,
    ).toBe(8_000)
    expect(fast.tried).toEqual([1_000, 2_000, 4_000, 8_000])
    const slow = serverWithCeiling(10)
    const ramp = await rampToCeiling(context, 'lever', { start: 1_000, max: 8_000, refineSteps: 3 }, slow.runStep)
    expect(ramp.best).toBeNull()
    expect(ramp.failed?.offered).toBe(1_000)
  })
})
