import { CloseCode } from '@lever/shared'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as awarenessProtocol from 'y-protocols/awareness'
import type * as Y from 'yjs'
import { z } from 'zod'
import type { Logger } from '../logger.ts'
import { Connection } from './Connection.ts'
import { awarenessMessage } from './messages.ts'
import { ProtocolError } from './ProtocolError.ts'

/**
 * One entry of an awareness update: a presence state at a clock, as its JSON text. `removal` is
 * the state `null`. The text is parsed only if the entry is applied: most entries a room receives
 * are stock providers' echoes of everyone else's presence, dropped unread.
 */
export interface PresenceEntry {
  clientId: number
  clock: number
  json: string
  removal: boolean
}

/** A presence state to apply: an object, or null to remove it. */
type PresenceState = Record<string, unknown> | null

/** An entry read and stamped, ready to apply. */
interface PresenceUpdate {
  clientId: number
  clock: number
  state: PresenceState
}

/** Presence client ids one connection may introduce (a browser tab uses one). */
export const MAX_PRESENCE_PER_CONNECTION = 16

/**
 * Presence client ids one person may hold in a room across their connections: every newcomer is
 * sent all of them, so many connections of one person must not add up to a flood.
 */
export const MAX_PRESENCE_PER_PERSON = 32

/**
 * The longest presence state a connection may set, in bytes of its JSON as sent (UTF-8). An
 * editor's state (name, colour, focus, a cursor's two positions) is a few hundred; every newcomer
 * is sent every state.
 */
export const MAX_PRESENCE_STATE_BYTES = 8 * 1024

/** The origin of presence applied from another Lever server (never re-published). */
export const PEER_PRESENCE = Symbol('lever.peerPresence')

/**
 * The room's presence (y-protocols awareness), owned per connection. A connection may set and
 * remove only the presence entries it introduced; an entry another connection announced is
 * not its to change: stock providers echo everyone's changes back (those are dropped quietly),
 * and anything newer than what the server has is refused and logged. The server stamps the
 * signed-in person's id and name into every state (`user.id`, `user.name`) before anyone sees
 * it, so nobody can appear as someone else. A connection's entries go when it closes.
 */
export class RoomPresence {
  readonly awareness: awarenessProtocol.Awareness
  private readonly owners = new Map<number, Connection>()

  constructor(
    doc: Y.Doc,
    private readonly log: Logger,
    /** Sends to every ready connection but `except` (after the changes being stored). */
    private readonly broadcast: (data: Uint8Array, except: Connection | null) => void,
  ) {
    this.awareness = new awarenessProtocol.Awareness(doc)
    this.awareness.setLocalState(null)
    this.awareness.on('update', this.onUpdate)
  }

  /** A message with every current presence state (for a new connection, or a query). */
  snapshotMessage(): Uint8Array | null {
    const clients = [...this.awareness.getStates().keys()]
    if (clients.length === 0) return null
    return awarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients))
  }

  /**
   * Reads an awareness update's entries (a MalformedMessage ProtocolError when it cannot be read);
   * their states are read when applied (`receive`).
   */
  decode(update: Uint8Array): PresenceEntry[] {
    try {
      const decoder = decoding.createDecoder(update)
      const count = decoding.readVarUint(decoder)
      const entries: PresenceEntry[] = []
      for (let i = 0; i < count; i++) {
        const clientId = decoding.readVarUint(decoder)
        const clock = decoding.readVarUint(decoder)
        const json = decoding.readVarString(decoder)
        entries.push({ clientId, clock, json, removal: json === 'null' })
      }
      if (decoding.hasContent(decoder)) throw new Error('trailing bytes')
      return entries
    } catch {
      throw new ProtocolError(CloseCode.MalformedMessage, 'invalid awareness update')
    }
  }

  /** How many entries set or remove presence this connection owns or may introduce. */
  ownEntries(conn: Connection, entries: PresenceEntry[]): number {
    let own = 0
    for (const e of entries) {
      const owner = this.owners.get(e.clientId)
      if (owner === conn || (owner === undefined && !e.removal)) own++
    }
    return own
  }

  /**
   * Applies what of `entries` the connection may change, stamped with its person, and forwards
   * what changed to the other connections (an echo changes nothing and is not forwarded).
   */
  receive(conn: Connection, entries: PresenceEntry[]): void {
    const allowed: PresenceUpdate[] = []
    let refused = 0
    for (const entry of entries) {
      // Checked before judging, which may already take the entry over from the person's other tab.
      if (this.tooLarge(conn, entry)) throw new ProtocolError(CloseCode.MalformedMessage, 'presence state too large')
      const verdict = this.judge(conn, entry)
      if (verdict === 'allow')
        allowed.push({ clientId: entry.clientId, clock: entry.clock, state: this.stamp(conn, stateOf(entry)) })
      else if (verdict === 'refuse') refused++
    }
    if (refused > 0) {
      this.log.warn(
        { conn: conn.id, userId: conn.options.identity.userId, refused },
        'refused presence changes to entries the connection does not own',
      )
    }
    if (allowed.length === 0) return
    const applied = this.apply(allowed, conn)
    if (applied.length === 0) return
    this.broadcast(awarenessMessage(encodeEntries(applied)), conn)
  }

  /**
   * Sets the entries newer than what the room has (y-protocols' rule: a higher clock, or a removal
   * at the same clock) and emits the awareness `update` event as `applyAwarenessUpdate` would.
   * The states are applied as read and stamped, not encoded and parsed again; the room's awareness
   * has no local state and no `change` listener, so neither of those needs handling.
   * Returns the entries applied.
   */
  private apply(entries: PresenceUpdate[], origin: Connection): PresenceUpdate[] {
    const { awareness } = this
    const now = Date.now()
    const applied: PresenceUpdate[] = []
    const added: number[] = []
    const updated: number[] = []
    const removed: number[] = []
    for (const entry of entries) {
      const { clientId, clock, state } = entry
      const meta = awareness.meta.get(clientId)
      const current = meta?.clock ?? 0
      if (!(current < clock || (current === clock && state === null && awareness.states.has(clientId)))) continue
      if (state === null) awareness.states.delete(clientId)
      else awareness.states.set(clientId, state)
      awareness.meta.set(clientId, { clock, lastUpdated: now })
      if (meta === undefined && state !== null) added.push(clientId)
      else if (meta !== undefined && state === null) removed.push(clientId)
      else if (state !== null) updated.push(clientId)
      else continue
      applied.push(entry)
    }
    if (applied.length > 0) awareness.emit('update', [{ added, updated, removed }, origin])
    return applied
  }

  /** Applies another server's presence and forwards what changed to every connection here. */
  applyPeer(update: Uint8Array): void {
    awarenessProtocol.applyAwarenessUpdate(this.awareness, update, PEER_PRESENCE)
  }

  /** Removes a closed connection's presence for everyone. */
  drop(conn: Connection): void {
    if (conn.awarenessClients.size === 0) return
    const ids = [...conn.awarenessClients]
    for (const id of ids) if (this.owners.get(id) === conn) this.owners.delete(id)
    conn.awarenessClients.clear()
    awarenessProtocol.removeAwarenessStates(this.awareness, ids, 'disconnect')
  }

  destroy(): void {
    this.awareness.off('update', this.onUpdate)
    this.awareness.destroy()
    this.owners.clear()
  }

  /**
   * - its own entry: allowed;
   * - an entry another connection owns: a newer one from the same person takes it over (a tab
   *   that reconnected before its old connection timed out); otherwise an echo (nothing newer
   *   than the server has) is dropped quietly and anything newer is refused;
   * - an entry nobody owns: introduced if it sets a state newer than the server last saw;
   *   removing or re-sending what the server already has is an echo, dropped.
   */
  private judge(conn: Connection, entry: PresenceEntry): 'allow' | 'echo' | 'refuse' {
    const owner = this.owners.get(entry.clientId)
    const current = this.awareness.meta.get(entry.clientId)?.clock ?? 0
    const newer =
      entry.clock > current || (entry.clock === current && entry.removal && this.awareness.states.has(entry.clientId))
    if (owner === conn) return 'allow'
    if (owner !== undefined) {
      const me = conn.options.identity.userId
      if (me !== null && owner.options.identity.userId === me && entry.clock > current) {
        this.take(conn, entry.clientId)
        return 'allow'
      }
      return newer ? 'refuse' : 'echo'
    }
    if (entry.removal || entry.clock <= current) return 'echo'
    if (conn.awarenessClients.size >= MAX_PRESENCE_PER_CONNECTION) return 'refuse'
    if (this.entriesOf(conn.options.identity.userId) >= MAX_PRESENCE_PER_PERSON) return 'refuse'
    this.take(conn, entry.clientId)
    return 'allow'
  }

  /**
   * A state over the size limit this connection sets (its own entry, a new one, or its person's
   * from another tab). Echoes of other people's entries (stamped, so a little longer) are not its.
   */
  private tooLarge(conn: Connection, entry: PresenceEntry): boolean {
    // A JSON character is 1 to 3 bytes of UTF-8 (a pair of surrogates is 4 for 2), so only a state
    // longer than a third of the limit needs counting.
    if (entry.removal || entry.json.length * 3 <= MAX_PRESENCE_STATE_BYTES) return false
    if (Buffer.byteLength(entry.json, 'utf8') <= MAX_PRESENCE_STATE_BYTES) return false
    const owner = this.owners.get(entry.clientId)
    return owner === undefined || owner === conn || owner.options.identity.userId === conn.options.identity.userId
  }

  /** How many presence entries the connections of this person own (anonymous ones: not counted). */
  private entriesOf(userId: string | null): number {
    if (userId === null) return 0
    let count = 0
    for (const owner of this.owners.values()) if (owner.options.identity.userId === userId) count++
    return count
  }

  private take(conn: Connection, clientId: number): void {
    this.owners.get(clientId)?.awarenessClients.delete(clientId)
    this.owners.set(clientId, conn)
    conn.awarenessClients.add(clientId)
  }

  /** The state with the signed-in person's id and name in `user` (anonymous connections as sent). */
  private stamp(conn: Connection, state: PresenceState): PresenceState {
    const { userId, name } = conn.options.identity
    if (state === null || userId === null) return state
    const user = state.user
    const base = user !== null && typeof user === 'object' && !Array.isArray(user) ? user : {}
    return { ...state, user: { ...base, id: userId, name } }
  }

  private readonly onUpdate = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    // A connection's changes are forwarded by `receive`, as applied.
    if (origin instanceof Connection) return
    if (origin === PEER_PRESENCE) {
      const changed = [...added, ...updated, ...removed]
      if (changed.length > 0) {
        this.broadcast(awarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed)), null)
      }
      return
    }
    // Removals the server made (a client left, or its state timed out): tell the others.
    if (removed.length > 0) {
      this.broadcast(awarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, removed)), null)
    }
  }
}

/** A Yjs id as JSON. */
const idJson = z.strictObject({
  client: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  clock: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
})

/**
 * A relative position as JSON (what `Y.relativePositionToJSON` writes): it names an item, or a
 * type by id or root name. Yjs throws on one that names neither, and on ids that are not numbers.
 */
const relativePositionJson = z
  .strictObject({
    type: idJson.nullish(),
    tname: z.string().max(256).nullish(),
    item: idJson.nullish(),
    assoc: z.number().int().nullish(),
  })
  .refine((p) => p.item != null || p.type != null || p.tname != null, 'names no place')

/**
 * The field of a presence state that other browsers hand to Yjs as it is: an editor's caret
 * (`cursor`, read by the collaboration caret extension, which throws on a malformed one and then
 * stops showing remote edits on that page). Other fields pass as sent: pages read them
 * defensively (`client/src/collab/presence.ts`).
 */
const presenceFields = z.object({
  cursor: z.strictObject({ anchor: relativePositionJson, head: relativePositionJson }).nullish(),
})

/** An entry's state: an object or null (a MalformedMessage ProtocolError otherwise). */
function stateOf(entry: PresenceEntry): PresenceState {
  let state: unknown
  try {
    state = JSON.parse(entry.json)
  } catch {
    throw new ProtocolError(CloseCode.MalformedMessage, 'invalid awareness update')
  }
  if (state !== null && (typeof state !== 'object' || Array.isArray(state))) {
    throw new ProtocolError(CloseCode.MalformedMessage, 'invalid awareness update')
  }
  if (state !== null && !presenceFields.safeParse(state).success) {
    throw new ProtocolError(CloseCode.MalformedMessage, 'invalid presence state: a cursor of the wrong shape')
  }
  return state as PresenceState
}

function encodeEntries(entries: PresenceUpdate[]): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, entries.length)
  for (const e of entries) {
    encoding.writeVarUint(encoder, e.clientId)
    encoding.writeVarUint(encoder, e.clock)
    encoding.writeVarString(encoder, JSON.stringify(e.state))
  }
  return encoding.toUint8Array(encoder)
}
