import type { LeverServer } from '@lever/server'
import { peopleDirectoryResponseSchema } from '@lever/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bearer, COACH, lead, signIn, startServer } from '../support/server.ts'

describe('GET /api/people/directory', () => {
  let server: LeverServer
  beforeAll(async () => {
    server = await startServer()
  })
  afterAll(async () => {
    await server.close()
  })

  it('gives any signed-in person everyone’s id and name as the server knows them', async () => {
    const token = await signIn(server, lead('boulder-co'))
    const res = await fetch(`${server.url}/api/people/directory`, { headers: bearer(token) })
    expect(res.status).toBe(200)
    const { people } = peopleDirectoryResponseSchema.parse(await res.json())
    const coach = await server.auth.users.getByEmail(COACH)
    expect(people).toContainEqual({ id: coach?.id, name: coach?.name })
    expect(people.length).toBe((await server.auth.users.list()).length)
  })

  it('refuses someone who is not signed in', async () => {
    const res = await fetch(`${server.url}/api/people/directory`)
    expect(res.status).toBe(401)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBeTypeOf('string')
  })
})
