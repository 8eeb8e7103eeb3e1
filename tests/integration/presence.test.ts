import type { LeverServer } from '@lever/server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectClient, synced, type TestClient } from '../support/clients.ts'
import { awarenessFrame } from '../support/rawClient.ts'
import { COACH, createPlan, FACILITATOR, signIn, startServer, wsUrl } from '../support/server.ts'
import { waitFor } from '../support/wait.ts'

type UserField = { id?: string; name?: string; color?: string } | undefined
const userOf = (c: TestClient, clientId: number): UserField => c.provider.awareness.getStates().get(clientId)?.user

/** Finding 4: presence is owned by the connection that introduced it, and carries who is signed in. */
describe('presence owned by its connection', () => {
  let server: LeverServer
  let docName: string
  let fran: TestClient
  let watcher: TestClient
  let coach: TestClient
  let franId: string
  let coachId: string
  const clients: TestClient[] = []

  const join = (token: string) => {
    const c = connectClient(wsUrl(server), docName, { params: { token } })
    clients.push(c)
    return c
  }

  beforeAll(async () => {
    server = await startServer()
    const franToken = await signIn(server, FACILITATOR)
    const coachToken = await signIn(server, COACH)
    franId = (await server.auth.users.getByEmail(FACILITATOR))?.id as string
    coachId = (await server.auth.users.getByEmail(COACH))?.id as string
    docName = (await createPlan(server, { token: franToken, jurisdictionId: 'boulder-co' })).docName
    fran = join(franToken)
    watcher = join(franToken)
    coach = join(coachToken)
    await Promise.all([synced(fran), synced(watcher), synced(coach)])
    fran.provider.awareness.setLocalStateField('user', { name: 'Fran Facilitator', color: '#1d4ed8' })
    await waitFor(() => userOf(watcher, fran.doc.clientID)?.name === 'Fran Facilitator', { message: 'Fran present' })
  })
  afterAll(async () => {
    for (const c of clients.splice(0)) c.destroy()
    await server.close()
  })

  /** The coach's own presence reaching the watcher marks that the server handled what the coach sent before it. */
  async function coachBarrier(marker: string): Promise<void> {
    coach.provider.awareness.setLocalStateField('marker', marker)
    await waitFor(() => watcher.provider.awareness.getStates().get(coach.doc.clientID)?.marker === marker, {
      message: `coach marker ${marker}`,
    })
  }

  it('stamps the signed-in person’s id and name into presence: a coach cannot appear as the facilitator', async () => {
    coach.provider.awareness.setLocalStateField('user', { name: 'Fran Facilitator', id: franId, color: '#000' })
    await waitFor(() => userOf(watcher, coach.doc.clientID)?.color === '#000', { message: 'coach presence' })
    expect(userOf(watcher, coach.doc.clientID)).toEqual({ name: 'Cory Coach', id: coachId, color: '#000' })
    expect(userOf(fran, coach.doc.clientID)).toEqual({ name: 'Cory Coach', id: coachId, color: '#000' })
    expect(userOf(watcher, fran.doc.clientID)).toMatchObject({ name: 'Fran Facilitator', id: franId })
  })

  it('refuses a coach’s overwrite of the facilitator’s presence entry', async () => {
    const franClock = fran.provider.awareness.meta.get(fran.doc.clientID)?.clock ?? 0
    coach.provider.ws?.send(
      awarenessFrame([{ clientId: fran.doc.clientID, clock: franClock + 10, state: { user: { name: 'Hacked' } } }]),
    )
    await coachBarrier('after-overwrite')
    expect(userOf(watcher, fran.doc.clientID)).toMatchObject({ name: 'Fran Facilitator', id: franId })
    expect(fran.provider.awareness.getLocalState()?.user?.name).toBe('Fran Facilitator')
  })

  it('refuses a coach’s removal of the facilitator’s presence entry', async () => {
    const franClock = fran.provider.awareness.meta.get(fran.doc.clientID)?.clock ?? 0
    coach.provider.ws?.send(awarenessFrame([{ clientId: fran.doc.clientID, clock: franClock + 20, state: null }]))
    coach.provider.ws?.send(awarenessFrame([{ clientId: fran.doc.clientID, clock: franClock, state: null }]))
    await coachBarrier('after-removal')
    expect(watcher.provider.awareness.getStates().has(fran.doc.clientID)).toBe(true)
    expect(server.rooms.peek(docName)?.awareness.getStates().has(fran.doc.clientID)).toBe(true)
  })

  it('lets the owner change and remove its own presence, and the coach keeps its connection', async () => {
    fran.provider.awareness.setLocalStateField('focus', { kind: 'section', id: 'problem' })
    await waitFor(() => watcher.provider.awareness.getStates().get(fran.doc.clientID)?.focus?.id === 'problem', {
      message: 'Fran’s focus',
    })
    expect(coach.provider.wsconnected).toBe(true)
    fran.provider.awareness.setLocalState(null)
    await waitFor(() => !watcher.provider.awareness.getStates().has(fran.doc.clientID), { message: 'Fran gone' })
  })
})
