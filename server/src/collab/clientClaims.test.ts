import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { openDatabase } from '../db/openDatabase.ts'
import { sqliteQueries } from '../db/queries.ts'
import { quietLogger } from '../logger.ts'
import { ClientRegistry } from './ClientRegistry.ts'
import { claimClientIds, claimServerClientId, introducedClientIds } from './clientClaims.ts'
import { ProtocolError } from './ProtocolError.ts'

async function registry(): Promise<ClientRegistry> {
  const clients = new ClientRegistry(sqliteQueries(openDatabase({ dataDir: ':memory:' })))
  await clients.load('plan:a')
  return clients
}

/** An update written with `clientId` on a copy of `doc`. */
function writeAs(doc: Y.Doc, clientId: number, text: string): Uint8Array {
  const copy = new Y.Doc()
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
  copy.clientID = clientId
  const before = Y.encodeStateVector(copy)
  copy.getText('t').insert(0, text)
  return Y.encodeStateAsUpdate(copy, before)
}

describe('client id claims', () => {
  it('counts only the client ids an update writes new content with, not what it repeats', () => {
    const doc = new Y.Doc()
    Y.applyUpdate(doc, writeAs(doc, 1, 'one'))
    const both = new Y.Doc()
    Y.applyUpdate(both, Y.encodeStateAsUpdate(doc))
    both.clientID = 2
    both.getText('t').insert(0, 'two')
    // A client's whole state: client 1's items are known, client 2's are new.
    expect(introducedClientIds(doc, Y.decodeUpdate(Y.encodeStateAsUpdate(both)))).toEqual([2])
  })

  it('refuses, recording nothing, an update that writes with a client id another person has', async () => {
    const clients = await registry()
    const doc = new Y.Doc()
    clients.claim('plan:a', 1, 'fran')
    Y.applyUpdate(doc, writeAs(doc, 1, 'hers'))
    const forged = Y.mergeUpdates([writeAs(doc, 5, 'mine'), writeAs(doc, 1, 'forged')])
    expect(() => claimClientIds(clients, 'plan:a', doc, Y.decodeUpdate(forged), 'lee')).toThrow(ProtocolError)
    expect(clients.ownerOf('plan:a', 5)).toBeUndefined()
    claimClientIds(clients, 'plan:a', doc, Y.decodeUpdate(writeAs(doc, 5, 'mine')), 'lee')
    expect(clients.ownerOf('plan:a', 5)).toBe('lee')
  })

  it('gives the server another client id when a person already writes with its own', async () => {
    const clients = await registry()
    const doc = new Y.Doc()
    const taken = doc.clientID
    clients.claim('plan:a', taken, 'lee')
    expect(claimServerClientId(clients, 'plan:a', doc, quietLogger())).toBe(true)
    expect(doc.clientID).not.toBe(taken)
    expect(clients.ownerOf('plan:a', doc.clientID)).toBeNull()
  })
})
