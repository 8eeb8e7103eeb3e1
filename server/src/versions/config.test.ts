import { expect, it } from 'vitest'
import { configFromEnv, defaultConfig } from '../config.ts'

const MIN = 60 * 1000
const DAY = 24 * 60 * MIN

it('reads when versions are taken and how long they are kept from the environment, with defaults', () => {
  expect(configFromEnv({}, '/').versions).toEqual({
    idleMs: 3 * MIN,
    maxIntervalMs: 30 * MIN,
    keepAllMs: 14 * DAY,
    keepDailyMs: 90 * DAY,
  })
  expect(defaultConfig.versions.idleMs).toBe(3 * MIN)
  const env = {
    VERSIONS_IDLE_MINUTES: '5',
    VERSIONS_MAX_INTERVAL_MINUTES: '45',
    VERSIONS_KEEP_ALL_DAYS: '7',
    VERSIONS_KEEP_DAILY_DAYS: '30',
  }
  expect(configFromEnv(env, '/').versions).toEqual({
    idleMs: 5 * MIN,
    maxIntervalMs: 45 * MIN,
    keepAllMs: 7 * DAY,
    keepDailyMs: 30 * DAY,
  })
  expect(() => configFromEnv({ VERSIONS_IDLE_MINUTES: 'soon' }, '/')).toThrow(/VERSIONS_IDLE_MINUTES/)
})
