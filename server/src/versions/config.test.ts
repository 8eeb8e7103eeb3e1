import { expect, it } from 'vitest'
import { configFromEnv, defaultConfig } from '../config.ts'

const MIN = 60 * 1000
const DAY = 24 * 60 * MIN

const MiB = 1024 * 1024

it('reads when versions are taken, how long they are kept and how much a plan keeps from the environment, with defaults', () => {
  expect(configFromEnv({}, '/').versions).toEqual({
    idleMs: 3 * MIN,
    maxIntervalMs: 30 * MIN,
    keepAllMs: 14 * DAY,
    keepDailyMs: 90 * DAY,
    maxBytesPerPlan: 256 * MiB,
  })
  expect(defaultConfig.versions.idleMs).toBe(3 * MIN)
  const env = {
    VERSIONS_IDLE_MINUTES: '5',
    VERSIONS_MAX_INTERVAL_MINUTES: '45',
    VERSIONS_KEEP_ALL_DAYS: '7',
    VERSIONS_KEEP_DAILY_DAYS: '30',
    VERSIONS_MAX_BYTES_PER_PLAN: String(64 * MiB),
  }
  expect(configFromEnv(env, '/').versions).toEqual({
    idleMs: 5 * MIN,
    maxIntervalMs: 45 * MIN,
    keepAllMs: 7 * DAY,
    keepDailyMs: 30 * DAY,
    maxBytesPerPlan: 64 * MiB,
  })
  expect(() => configFromEnv({ VERSIONS_IDLE_MINUTES: 'soon' }, '/')).toThrow(/VERSIONS_IDLE_MINUTES/)
  // In bytes, at least 1 MiB.
  expect(() => configFromEnv({ VERSIONS_MAX_BYTES_PER_PLAN: '256MB' }, '/')).toThrow(/VERSIONS_MAX_BYTES_PER_PLAN/)
  expect(() => configFromEnv({ VERSIONS_MAX_BYTES_PER_PLAN: '1000' }, '/')).toThrow(/VERSIONS_MAX_BYTES_PER_PLAN/)
})
