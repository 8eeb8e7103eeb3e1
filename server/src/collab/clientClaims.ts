import { CloseCode } from '@lever/shared'
import * as random from 'lib0/random'
import * as Y from 'yjs'
import type { Logger } from '../logger.ts'
import type { ClientRegistry } from './ClientRegistry.ts'
import { ProtocolError } from './ProtocolError.ts'
import type { DecodedUpdate } from './updateEffect.ts'

/**
 * The Yjs client ids an update writes new content with: those of its structs (items and
 * collected ranges) that reach past what the document already has from that client. Structs
 * the document has (a client's sync answer repeats what others wrote) introduce nothing.
 */
export function introducedClientIds(doc: Y.Doc, decoded: DecodedUpdate): number[] {
  const ids = new Set<number>()
  for (const struct of decoded.structs) {
    if (struct instanceof Y.Skip) continue
    const client = struct.id.client
    if (ids.has(client)) continue
    if (struct.id.clock + struct.length > knownClock(doc, client)) ids.add(client)
  }
  return [...ids]
}

/** The next clock the document expects from a client (0 when it has nothing of it). */
function knownClock(doc: Y.Doc, client: number): number {
  const structs = doc.store.clients.get(client)
  const last = structs?.[structs.length - 1]
  return last ? last.id.clock + last.length : 0
}

/**
 * Records every client id `update` introduces as written by `userId`, or refuses the update with
 * ClientIdTaken (recording nothing) when another person, or the server, already writes with one
 * of them in this document.
 */
export function claimClientIds(
  registry: ClientRegistry,
  docName: string,
  doc: Y.Doc,
  decoded: DecodedUpdate,
  userId: string | null,
): void {
  const ids = introducedClientIds(doc, decoded)
  for (const id of ids) {
    const owner = registry.ownerOf(docName, id)
    if (owner !== undefined && owner !== userId) {
      throw new ProtocolError(CloseCode.ClientIdTaken, `client id ${id} belongs to someone else in this document`)
    }
  }
  for (const id of ids) {
    if (registry.claim(docName, id, userId) === 'taken') {
      throw new ProtocolError(CloseCode.ClientIdTaken, `client id ${id} belongs to someone else in this document`)
    }
  }
}

/**
 * Records the server's own client id of a document as the server's (user null). If a person
 * already writes with that id (a client may pick any), the server takes another id first, unless
 * it has written with it already. Returns true once recorded.
 */
export function claimServerClientId(registry: ClientRegistry, docName: string, doc: Y.Doc, log: Logger): boolean {
  for (let attempt = 0; attempt < 8; attempt++) {
    if (registry.claim(docName, doc.clientID, null) !== 'taken') return true
    if (doc.store.clients.has(doc.clientID)) break
    doc.clientID = random.uint32()
  }
  log.error({ clientId: doc.clientID }, 'the server could not record its own client id')
  return false
}
