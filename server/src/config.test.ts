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

describe('configFromEnv: metrics', () => {
  it('serves no metrics unless METRICS_PORT is set, and only on this machine by default', () => {
    expect(configFromEnv({}).metrics).toEqual({ port: null, host: '127.0.0.1' })
    expect(configFromEnv({ METRICS_PORT: '9464' }).metrics).toEqual({ port: 9464, host: '127.0.0.1' })
    expect(configFromEnv({ METRICS_PORT: '9464', METRICS_HOST: '10.0.0.5' }).metrics.host).toBe('10.0.0.5')
  })

  it('refuses a metrics port that is not a port, or is the public one', () => {
    expect(() => configFromEnv({ METRICS_PORT: 'abc' })).toThrow(/METRICS_PORT/)
    expect(() => configFromEnv({ METRICS_PORT: '70000' })).toThrow(/METRICS_PORT/)
    expect(() => configFromEnv({ PORT: '9000', METRICS_PORT: '9000' })).toThrow(/METRICS_PORT: must differ/)
  })
})

describe('configFromEnv: PostgreSQL and Redis', () => {
  it('keeps documents in SQLite unless DATABASE_URL is set', () => {
    expect(configFromEnv({}).databaseUrl).toBeNull()
    const config = configFromEnv({
      DATABASE_URL: 'postgres://lever@db.internal/lever',
      REDIS_URL: 'redis://cache:6379',
    })
    expect(config.databaseUrl).toBe('postgres://lever@db.internal/lever')
    expect(config.redisUrl).toBe('redis://cache:6379')
  })

  it('refuses URLs of other kinds, and Redis without a shared database', () => {
    expect(() => configFromEnv({ DATABASE_URL: 'mysql://x@y/z' })).toThrow(/DATABASE_URL must be/)
    expect(() => configFromEnv({ DATABASE_URL: 'postgres://x@y/z', REDIS_URL: 'http://x' })).toThrow(
      /REDIS_URL must be/,
    )
    expect(() => configFromEnv({ REDIS_URL: 'redis://cache:6379' })).toThrow(/needs DATABASE_URL/)
  })
})

describe('configFromEnv: shutdown', () => {
  it('gives requests under way a few seconds to finish at close unless SHUTDOWN_REQUEST_GRACE_MS says otherwise', () => {
    expect(configFromEnv({}).shutdownRequestGraceMs).toBe(5000)
    expect(configFromEnv({ SHUTDOWN_REQUEST_GRACE_MS: '12000' }).shutdownRequestGraceMs).toBe(12000)
    expect(configFromEnv({ SHUTDOWN_REQUEST_GRACE_MS: '0' }).shutdownRequestGraceMs).toBe(0)
    expect(() => configFromEnv({ SHUTDOWN_REQUEST_GRACE_MS: '-1' })).toThrow(/SHUTDOWN_REQUEST_GRACE_MS/)
  })
})
