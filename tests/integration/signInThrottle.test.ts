import { defaultConfig, type LeverServer, memoryLogger } from '@lever/server'
import { afterEach, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD, lead, startServer } from '../support/server.ts'

const OWNER = lead('boulder-co')

/** A browser: its own cookie jar (the trusted-browser cookie) and the address it comes from. */
class Browser {
  private readonly cookies = new Map<string, string>()
  constructor(
    private readonly server: LeverServer,
    readonly address: string,
  ) {}

  async signIn(email: string, password: string): Promise<Response> {
    const res = await fetch(`${this.server.url}/api/auth/login`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        // The test stands in for the load balancer, which TRUST_PROXY=1 believes.
        'x-forwarded-for': this.address,
        origin: this.server.url,
        cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      },
      body: JSON.stringify({ email, password }),
    })
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';')
      const [name, value] = (pair as string).split('=') as [string, string]
      this.cookies.set(name, value)
    }
    return res
  }
}

describe('sign-in throttling cannot be turned against the owner', () => {
  let server: LeverServer
  afterEach(async () => {
    await server?.close()
  })

  const start = () =>
    startServer({
      trustProxy: 1,
      // Waits long enough that none passes during the test on a slow machine.
      auth: { throttle: { ...defaultConfig.auth.throttle, firstDelayMs: 10 * 60_000 } },
    })

  it('lets the owner sign in after 20 wrong attempts on their account from another address', async () => {
    server = await start()
    const attacker = new Browser(server, '203.0.113.66')
    for (let i = 0; i < 20; i++) {
      expect([401, 429]).toContain((await attacker.signIn(OWNER, `guess number ${i}`)).status)
    }
    // The attacker is slowed down, even with the right password...
    expect((await attacker.signIn(OWNER, DEMO_PASSWORD)).status).toBe(429)
    // ...but the owner, at their own machine, is not.
    const owner = new Browser(server, '198.51.100.7')
    expect((await owner.signIn(OWNER, DEMO_PASSWORD)).status).toBe(200)
  })

  it('lets the owner sign in from their own browser after 20 wrong attempts from the same address', async () => {
    server = await start()
    const office = '198.51.100.7'
    const owner = new Browser(server, office)
    // The owner signed in from this browser before (yesterday, say).
    expect((await owner.signIn(OWNER, DEMO_PASSWORD)).status).toBe(200)
    // Someone in the same office (behind the same NAT) tries 20 passwords on the owner's account.
    const colleague = new Browser(server, office)
    for (let i = 0; i < 20; i++) {
      expect([401, 429]).toContain((await colleague.signIn(OWNER, `guess number ${i}`)).status)
    }
    expect((await colleague.signIn(OWNER, DEMO_PASSWORD)).status).toBe(429)
    // The owner's browser is throttled on its own: the owner gets in at once.
    expect((await owner.signIn(OWNER, DEMO_PASSWORD)).status).toBe(200)
    // And other people in the office sign in to their own accounts as usual.
    expect((await new Browser(server, office).signIn(lead('tulsa-ok'), DEMO_PASSWORD)).status).toBe(200)
  })

  it('counts failures only: successful sign-ins from a shared address never use up its allowance', async () => {
    server = await start()
    const office = '198.51.100.8'
    // More than the 20 failures an address may have before it waits.
    for (let i = 0; i < 25; i++) {
      expect((await new Browser(server, office).signIn(lead('ohio'), DEMO_PASSWORD)).status).toBe(200)
    }
  })

  it('does not believe X-Forwarded-For unless TRUST_PROXY says a proxy sets it', async () => {
    server = await startServer({ auth: { throttle: { ...defaultConfig.auth.throttle, firstDelayMs: 10 * 60_000 } } })
    // Without a trusted proxy every request here comes from 127.0.0.1, whatever the header says.
    for (let i = 0; i < 6; i++) {
      expect((await new Browser(server, `192.0.2.${i}`).signIn(OWNER, 'wrong password')).status).toBe(401)
    }
    expect((await new Browser(server, '192.0.2.99').signIn(OWNER, DEMO_PASSWORD)).status).toBe(429)
  })

  it('logs each failed attempt with the address it came from', async () => {
    const { logger, entries: lines } = memoryLogger()
    server = await startServer({ trustProxy: 1, logger })
    await new Browser(server, '203.0.113.9').signIn(OWNER, 'not my password')
    expect(lines).toContainEqual(
      expect.objectContaining({ msg: 'sign-in failed', account: OWNER, address: '203.0.113.9' }),
    )
  })
})
