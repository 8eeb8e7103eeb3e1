import { describe, expect, it } from 'vitest'
import { OriginPolicy } from './OriginPolicy.ts'

describe('OriginPolicy', () => {
  it('allows only the public origin (and extra ones) when PUBLIC_URL is set, whatever the server listens on', () => {
    const policy = new OriginPolicy('https://lever.example.org/some/path', ['https://proxy.example.org'])
    policy.listeningOn('127.0.0.1', 8787)
    expect(policy.allows('https://lever.example.org')).toBe(true)
    expect(policy.allows('https://LEVER.example.org:443')).toBe(true)
    expect(policy.allows('https://proxy.example.org')).toBe(true)
    expect(policy.allows('http://lever.example.org')).toBe(false)
    expect(policy.allows('http://127.0.0.1:8787')).toBe(false)
    expect(policy.allows('null')).toBe(false)
    expect(policy.publicOrigin).toBe('https://lever.example.org')
    expect(policy.isHttps).toBe(true)
  })

  it('allows the listening address (and localhost) when PUBLIC_URL is not set', () => {
    const policy = new OriginPolicy(undefined, [])
    policy.listeningOn('127.0.0.1', 4000)
    expect(policy.allows('http://127.0.0.1:4000')).toBe(true)
    expect(policy.allows('http://localhost:4000')).toBe(true)
    expect(policy.allows('http://127.0.0.1:4001')).toBe(false)
    expect(policy.allows('http://evil.example')).toBe(false)
    expect(policy.publicOrigin).toBe('http://127.0.0.1:4000')
  })
})
