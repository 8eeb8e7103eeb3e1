import { describe, expect, it } from 'vitest'
import { DEFAULT_CONNECTION_LIMITS } from './collab/ConnectionLimits.ts'
import { configFromEnv } from './config.ts'

describe('configFromEnv: COLLAB_RATE_LIMITS', () => {
  it('uses the default limits when unset', () => {
    expect(configFromEnv({}).collab.limits).toEqual(DEFAULT_CONNECTION_LIMITS)
  })

  it('changes only the limits it names', () => {
    const limits = configFromEnv({
      COLLAB_RATE_LIMITS: '{"updates":{"messagesPerSecond":200},"presence":{"byteBurst":1}}',
    }).collab.limits
    expect(limits.updates).toEqual({ ...DEFAULT_CONNECTION_LIMITS.updates, messagesPerSecond: 200 })
    expect(limits.presence).toEqual({ ...DEFAULT_CONNECTION_LIMITS.presence, byteBurst: 1 })
    expect(limits.syncRequests).toEqual(DEFAULT_CONNECTION_LIMITS.syncRequests)
  })

  it('stops with a clear message on bad JSON, unknown keys or non-positive numbers', () => {
    expect(() => configFromEnv({ COLLAB_RATE_LIMITS: '{' })).toThrow(/COLLAB_RATE_LIMITS: not JSON/)
    expect(() => configFromEnv({ COLLAB_RATE_LIMITS: '{"typing":{}}' })).toThrow(/COLLAB_RATE_LIMITS/)
    expect(() => configFromEnv({ COLLAB_RATE_LIMITS: '{"updates":{"byteBurst":0}}' })).toThrow(/byteBurst/)
  })
})
