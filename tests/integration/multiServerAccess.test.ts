import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import type { LeverServer } from '@lever/server'
import type { TestRedis } from '@lever/server/testing'
import { type TestServices, testServices } from '@lever/server/testing/databases'
import { CloseCode, PlanModel } from '@lever/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectClient, synced, type TestClient } from '../support/clients.ts'
import { createPlan, FACILITATOR, lead, signIn, startServer, tempDir, updatePerson, wsUrl } from '../support/server.ts'
import { waitFor } from '../support/wait.ts'

/**
 * Permission changes made through one server close the connections that lost access on every
 * server. Each server also re-checks all its connections once a minute: the waits below are far
 * shorter, so only the announcement through Redis can close a connection in time.
 */
describe('several servers: permission changes reach connections on every server', () => {
  let services: TestServices | undefined
  let redis: TestRedis | undefined
  const servers: LeverServer[] = []
  const clients: TestClient[] = []

  beforeAll(async () => {
    services = await testServices()
    redis = services.redis
    // Data folders of their own: everything the servers share is in PostgreSQL. One after the
    // other: the first migrates and seeds, the second finds it done.
    const shared = { databaseUrl: services.databaseUrl, redisUrl: redis.url }
    servers.push(await startServer({ ...shared, dataDir: tempDir() }))
    servers.push(await startServer({ ...shared, dataDir: tempDir() }))
  }, 120_000)

  afterAll(async () => {
    for (const c of clients) c.destroy()
    await Promise.allSettled(servers.map((s) => s.close()))
    await services?.stop()
  }, 60_000)

  /** A signed-in client on one server, with the close codes its connections ended with. */
  function clientOn(server: LeverServer, docName: string, token: string) {
    const client = connectClient(wsUrl(server), docName, { params: { token } })
    clients.push(client)
    const closes: number[] = []
    client.provider.on('connection-close', (event) => closes.push(event?.code ?? 0))
    return { client, closes }
  }

  it('closes a deactivated person’s connections on both servers', async () => {
    const [one, two] = servers as [LeverServer, LeverServer]
    const member = lead('boulder-co')
    const token = await signIn(one, member)
    const plan = await createPlan(one, { jurisdictionId: 'boulder-co', token })
    const onOne = clientOn(one, plan.docName, token)
    const onTwo = clientOn(two, plan.docName, token)
    await Promise.all([synced(onOne.client), synced(onTwo.client)])
    expect([onOne.closes, onTwo.closes]).toEqual([[], []])

    const res = await updatePerson(one, member, { active: false }, await signIn(one, FACILITATOR))
    expect(res.status).toBe(200)

    await waitFor(() => onOne.closes.includes(CloseCode.Unauthenticated), {
      message: 'the connection on the server that made the change to close',
    })
    await waitFor(() => onTwo.closes.includes(CloseCode.Unauthenticated), {
      message: 'the connection on the other server to close',
    })
    // And the other server does not let them back in.
    await waitFor(() => (two.rooms.peek(plan.docName)?.connectionList().length ?? 0) === 0, {
      message: 'no connection left on the other server',
    })
  })

  it('closes a peer reading a shared plan on one server when its team unshares it on the other', async () => {
    const [one, two] = servers as [LeverServer, LeverServer]
    const teamToken = await signIn(one, lead('pueblo-co'))
    const peerToken = await signIn(two, lead('colorado'))
    const plan = await createPlan(one, { jurisdictionId: 'pueblo-co', token: teamToken })
    const team = clientOn(one, plan.docName, teamToken)
    await synced(team.client)
    new PlanModel(team.client.doc).setSharedWithCohort(true)
    await waitFor(async () => (await one.plans.get(plan.id))?.sharedWithCohort, { message: 'the plan to be shared' })

    const peer = clientOn(two, plan.docName, peerToken)
    await synced(peer.client)
    // The peer reads the shared plan on the other server: sharing arrived there too.
    await waitFor(() => new PlanModel(peer.client.doc).sharedWithCohort, { message: 'sharing to reach the peer' })

    new PlanModel(team.client.doc).setSharedWithCohort(false)
    await waitFor(() => peer.closes.includes(CloseCode.Forbidden), {
      message: 'the peer’s connection on the other server to close',
    })
    expect(team.closes).toEqual([])
  })

  it('ignores malformed access announcements and acts on well-formed ones from other servers', async () => {
    const [one, two] = servers as [LeverServer, LeverServer]
    const connect = async (email: string, jurisdictionId: string) => {
      const token = await signIn(one, email)
      const plan = await createPlan(one, { jurisdictionId, token })
      const both = [clientOn(one, plan.docName, token), clientOn(two, plan.docName, token)]
      await Promise.all(both.map((c) => synced(c.client)))
      return { id: (await one.auth.users.getByEmail(email))?.id as string, both }
    }
    const target = await connect(lead('chicago-il'), 'chicago-il')
    const barrier = await connect(lead('sunnyvale-ca'), 'sunnyvale-ca')
    // Their sessions end behind every server's back: only a re-check notices.
    await one.queries.deleteFrom('sessions').where('user_id', 'in', [target.id, barrier.id]).execute()

    const publish = (message: string) =>
      promisify(execFile)('redis-cli', ['-s', (redis as TestRedis).socket, 'PUBLISH', 'lever:access', message])
    const about = { v: 1, from: 'another-server', userId: target.id }
    for (const junk of [
      'not json',
      JSON.stringify({ ...about, padding: 'x'.repeat(2000) }),
      JSON.stringify({ ...about, v: 2 }),
      JSON.stringify({ ...about, extra: true }),
      JSON.stringify({ ...about, userId: `${target.id} OR 1=1` }),
      JSON.stringify({ ...about, docName: '../../etc/passwd' }),
      JSON.stringify({ ...about, from: '' }),
      JSON.stringify([about]),
    ]) {
      await publish(junk)
    }
    // Redis delivers one channel's messages in order: once the barrier's connections close, every
    // message before it has been read (and ignored).
    await publish(JSON.stringify({ v: 1, from: 'another-server', userId: barrier.id }))
    await waitFor(() => barrier.both.every((c) => c.closes.includes(CloseCode.Unauthenticated)), {
      message: 'a well-formed announcement to close connections on both servers',
    })
    expect(target.both.map((c) => c.closes)).toEqual([[], []])

    await publish(JSON.stringify(about))
    await waitFor(() => target.both.every((c) => c.closes.includes(CloseCode.Unauthenticated)), {
      message: 'the target’s connections to close',
    })
  })
})
