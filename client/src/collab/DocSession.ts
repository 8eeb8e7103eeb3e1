import { CloseCode, MessageType } from '@lever/shared'
import * as decoding from 'lib0/decoding'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { type Identity, refreshIdentity } from '../app/identity.ts'
import { countingWebSocketClass, isCountingSocket } from './CountingWebSocket.ts'
import { collabBase, connectionParams } from './earlySocket.ts'
import { LocalCopy } from './localCopy.ts'
import { LOCAL_ORIGIN } from './origins.ts'
import { keepPresenceColor } from './presenceColor.ts'
import { createUndoManager, type UndoScope } from './undo.ts'

/** Any shared type of a document (a map, an array, text, an XML fragment). */
// biome-ignore lint/suspicious/noExplicitAny: every kind of shared type, whatever its events
export type SharedType = Y.AbstractType<any>

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'offline' | 'closed'

export interface SessionStatus {
  connection: ConnectionState
  /** The first sync with the server finished on the current connection. */
  synced: boolean
  /** The document has been loaded from the server at least once since the page opened. */
  loaded: boolean
  /** The server has every change this browser made (connected, synced, all acknowledged). */
  saved: boolean
  /** This browser made changes the server has not confirmed yet. */
  unsavedChanges: boolean
  /** This browser keeps a copy of the document, so unsaved changes survive closing the tab. */
  keptLocally: boolean
  /** Why the connection closed for good (connection === 'closed'). */
  closedMessage: string | null
  closeCode: number | null
}

/** Close codes after which this browser's copy of the document is removed. */
const DROP_COPY_ON = new Set<number>([
  CloseCode.Forbidden,
  CloseCode.DocumentNotFound,
  CloseCode.WriteNotAllowed,
  CloseCode.DocumentTooLarge,
  CloseCode.ChangeTooLarge,
])

/** The status before a document is open (or while its session is being created). */
export const INITIAL_STATUS: SessionStatus = {
  connection: 'connecting',
  synced: false,
  loaded: false,
  saved: false,
  unsavedChanges: false,
  keptLocally: false,
  closedMessage: null,
  closeCode: null,
}

/** Where a person is in a document, as shared with the others through awareness. */
export type PresenceFocus = { kind: 'section'; id: string } | { kind: 'initiative'; id: string } | null

/**
 * What others see of this person: name and colour, and the id (who is in a session room). The
 * server overwrites `id` and `name` with the signed-in person's before anyone else sees them.
 */
export interface AwarenessUser {
  name: string
  color: string
  id: string
}

/** Failed reconnection attempts after which "reconnecting" reads as "offline". */
const OFFLINE_AFTER_FAILURES = 3

export interface DocSessionOptions {
  url?: string
  /** The person may only read: local edits are not made. Can change later (setReadOnly). */
  readOnly?: boolean
  /** The types this browser's undo covers; without it there is no undo manager. */
  undoScope?: UndoScope
  /** What to tell the person when the server closed the connection for good (a 4400-4499 code). */
  closeMessage: (code: number) => string
  /**
   * Keep the document in this browser under this name (see localCopies.ts): changes made offline
   * then survive closing the tab and are sent at the next visit.
   */
  localCopy?: string
}

/**
 * One open live document (a plan, a session's state, a breakout draft): its Y.Doc, one stock
 * WebsocketProvider, the connection and saved state derived from the provider and the server's
 * save acknowledgements (SaveAck, message type 100), presence, undo, and a version number that
 * ticks once a frame with changes. What the person may do can change while it is open (a draft
 * becomes read-only when the facilitator closes the breakouts).
 */
export class DocSession {
  readonly doc = new Y.Doc()
  readonly provider: WebsocketProvider
  /** This browser's copy of the document, when it keeps one. */
  readonly localCopy: LocalCopy | null
  readonly undoManager: Y.UndoManager | null
  private _readOnly: boolean
  private status: SessionStatus = INITIAL_STATUS
  private everConnected = false
  private unsaved = false
  private closed: { code: number; message: string } | null = null
  private readonly statusListeners = new Set<() => void>()
  private version = 0
  private frame = 0
  private fallback = 0
  private readonly versionListeners = new Set<() => void>()
  /** Views of one part of the document (a map, a fragment), told only when something in it changed. */
  private readonly partListeners = new Map<SharedType, Set<() => void>>()
  private readonly partVersions = new WeakMap<SharedType, number>()
  private readonly changedParts = new Set<SharedType>()
  private pendingFocus: PresenceFocus | undefined
  private readonly cleanups: Array<() => void> = []
  private destroyed = false
  /** Who this browser shows in presence (the colour is chosen per document). */
  private presenceUser: { name: string; userId: string }

  constructor(
    readonly docName: string,
    identity: Identity,
    options: DocSessionOptions,
  ) {
    this._readOnly = options.readOnly ?? false
    this.undoManager = options.undoScope ? createUndoManager(options.undoScope(this.doc)) : null
    this.sendNothingButOwnChangesWhileReadOnly()
    this.noteChangedParts()
    const refresh = () => this.refreshStatus()
    const base = options.url ?? collabBase()
    this.provider = new WebsocketProvider(base, docName, this.doc, {
      connect: false,
      params: connectionParams(docName),
      disableBc: true,
      // The first connection may be the one the page opened as it started (earlySocket.ts).
      WebSocketPolyfill: countingWebSocketClass(refresh),
    })
    this.provider.messageHandlers[MessageType.SaveAck] = (_encoder, decoder, provider) => {
      const acked = decoding.readVarUint(decoder)
      if (isCountingSocket(provider.ws)) provider.ws.documentMessagesAcked = acked
      refresh()
    }
    this.localCopy = options.localCopy
      ? new LocalCopy(options.localCopy, this.doc, (origin) => origin === this.provider)
      : null
    this.provider.awareness.setLocalState({ user: awarenessUser(identity), focus: null })
    // Colours are per document: distinct among the people present (see choosePresenceColor).
    this.presenceUser = { name: identity.name, userId: identity.userId }
    this.cleanups.push(keepPresenceColor(this.provider.awareness, () => this.presenceUser))
    this.provider.on('status', refresh)
    this.provider.on('sync', refresh)
    this.provider.on('connection-close', refresh)
    this.provider.on('connection-close', (event) => {
      if (event?.code !== CloseCode.IdentityChanged) return
      // Others see the person's current name (the server writes it into presence); learn it
      // before reconnecting, so this page shows it too (the provider would reconnect at once).
      this.provider.shouldConnect = false
      const reconnect = () => {
        if (!this.destroyed) this.provider.connect()
      }
      refreshIdentity().then((identity) => {
        if (identity) this.setUser(identity)
        reconnect()
      }, reconnect)
    })
    this.provider.on('closed', (event) => {
      this.closed = { code: event.code, message: options.closeMessage(event.code) }
      // A kept copy goes when the person may no longer see the document, or when the server
      // refused its changes for good (they could never be saved, and would be resent and refused
      // at every later visit). What is on this page stays until it closes.
      if (DROP_COPY_ON.has(event.code)) void this.localCopy?.clearData()
      refresh()
    })
    const onUpdate = (_update: Uint8Array, origin: unknown) => {
      if (origin !== this.provider) this.unsaved = true
      this.scheduleVersion()
      refresh()
    }
    this.doc.on('update', onUpdate)
    const onNetwork = (event: Event) => {
      // The browser lost its network: the socket may look open for up to half a minute more (the
      // provider notices only when no message came for that long), and nothing sent on it arrives.
      // Closing it says "Offline" now, and the provider retries until the network is back.
      // (A closing socket keeps the provider "connected" until its close completes, which it
      // cannot offline: let go of it at once and start a new round of attempts.)
      if (event.type === 'offline' && this.provider.shouldConnect) {
        this.provider.disconnect()
        this.provider.connect()
      }
      if (navigator.onLine && !this.provider.wsconnected && this.provider.shouldConnect) this.provider.connect()
      refresh()
    }
    window.addEventListener('online', onNetwork)
    window.addEventListener('offline', onNetwork)
    // Reconnection attempts fail quietly; re-derive "reconnecting" vs "offline" as they pile up.
    const poll = window.setInterval(refresh, 1000)
    this.cleanups.push(
      () => this.doc.off('update', onUpdate),
      () => window.removeEventListener('online', onNetwork),
      () => window.removeEventListener('offline', onNetwork),
      () => window.clearInterval(poll),
    )
    this.provider.connect()
  }

  /** The person may not change this document (the server refuses their changes): edits are not made. */
  get readOnly(): boolean {
    return this._readOnly
  }

  /** The server changed what this person may do (the version ticks, so views re-render). */
  setReadOnly(readOnly: boolean): void {
    if (readOnly === this._readOnly) return
    this._readOnly = readOnly
    // What every view may do changed, whatever part of the document it shows.
    for (const type of this.partListeners.keys()) this.changedParts.add(type)
    this.bumpVersion()
  }

  /** Applies local changes as one transaction with this browser's origin (undoable, counted as unsaved). */
  edit(change: () => void): void {
    if (this._readOnly) return
    this.doc.transact(change, LOCAL_ORIGIN)
  }

  /**
   * A person who may not edit sends only the changes they make on purpose (comments on a plan).
   * Yjs tidies formatting after a remote change by deleting redundant formatting items, which is
   * a change of its own; on a read-only or comment-only connection the server would refuse it
   * and close the connection, so that tidying is left to people who edit.
   */
  private sendNothingButOwnChangesWhileReadOnly(): void {
    const skipCleanup = (transaction: Y.Transaction) => {
      if (this._readOnly) (transaction as unknown as { _needFormattingCleanup: boolean })._needFormattingCleanup = false
    }
    this.doc.on('afterTransaction', skipCleanup)
    this.cleanups.push(() => this.doc.off('afterTransaction', skipCleanup))
  }

  /** Remembers, until the next tick, which watched parts of the document a transaction changed. */
  private noteChangedParts(): void {
    const note = (transaction: Y.Transaction) => {
      if (this.partListeners.size === 0) return
      // Every type whose content changed, with all its ancestors (as deep observers see them).
      for (const type of transaction.changedParentTypes.keys()) {
        if (this.partListeners.has(type)) this.changedParts.add(type)
      }
    }
    this.doc.on('afterTransaction', note)
    this.cleanups.push(() => this.doc.off('afterTransaction', note))
  }

  undo(): void {
    if (!this._readOnly) this.undoManager?.undo()
  }

  redo(): void {
    if (!this._readOnly) this.undoManager?.redo()
  }

  /** Tries to reconnect now instead of waiting for the next attempt. */
  reconnect(): void {
    if (this.closed) return
    if (!this.provider.wsconnected && this.provider.ws === null) this.provider.connect()
    else if (!this.provider.wsconnected) {
      this.provider.disconnect()
      this.provider.connect()
    }
  }

  /** Changes the name others see (the colour stays the one chosen in this document). */
  setUser(identity: Identity): void {
    this.presenceUser = { name: identity.name, userId: identity.userId }
    const user = this.provider.awareness.getLocalState()?.user as AwarenessUser | undefined
    if (user?.name === identity.name && user.id === identity.userId) return
    this.provider.awareness.setLocalStateField('user', {
      ...awarenessUser(identity),
      color: user?.color ?? identity.color,
    })
  }

  /** Shares where this person is; the last call in a tick wins. */
  setFocus(focus: PresenceFocus): void {
    const scheduled = this.pendingFocus !== undefined
    this.pendingFocus = focus
    if (scheduled) return
    queueMicrotask(() => {
      const next = this.pendingFocus ?? null
      this.pendingFocus = undefined
      const current = this.provider.awareness.getLocalState()?.focus ?? null
      if (JSON.stringify(current) !== JSON.stringify(next)) this.provider.awareness.setLocalStateField('focus', next)
    })
  }

  /**
   * Calls `listener` each time the server closes the connection with RoomClosing (4501): it does
   * so when the person's access changed, and when it reloads the room. The provider reconnects by
   * itself; the listener is the place to ask the server what the person may do now.
   */
  onRoomClosing(listener: () => void): () => void {
    const onClose = (event: CloseEvent | null) => {
      if (event?.code === CloseCode.RoomClosing) listener()
    }
    this.provider.on('connection-close', onClose)
    return () => this.provider.off('connection-close', onClose)
  }

  // ---- status ----

  getStatus = (): SessionStatus => this.status

  subscribeStatus = (listener: () => void): (() => void) => {
    this.statusListeners.add(listener)
    return () => this.statusListeners.delete(listener)
  }

  private refreshStatus(): void {
    const p = this.provider
    const ws = p.ws
    if (p.wsconnected) this.everConnected = true
    const allAcked = isCountingSocket(ws) && ws.documentMessagesAcked >= ws.documentMessagesSent
    const saved = p.wsconnected && p.synced && allAcked
    if (saved) this.unsaved = false
    let connection: ConnectionState
    if (this.closed) connection = 'closed'
    else if (!navigator.onLine) connection = 'offline'
    else if (p.wsconnected) connection = 'connected'
    else if (p.wsUnsuccessfulReconnects >= OFFLINE_AFTER_FAILURES) connection = 'offline'
    else connection = this.everConnected ? 'reconnecting' : 'connecting'
    const next: SessionStatus = {
      connection,
      synced: p.synced,
      loaded: this.status.loaded || p.synced,
      saved,
      unsavedChanges: this.unsaved,
      keptLocally: this.localCopy !== null,
      closedMessage: this.closed?.message ?? null,
      closeCode: this.closed?.code ?? null,
    }
    const prev = this.status
    if ((Object.keys(next) as Array<keyof SessionStatus>).every((k) => prev[k] === next[k])) return
    this.status = next
    for (const listener of this.statusListeners) listener()
  }

  // ---- document version (one tick per animation frame with changes) ----

  getVersion = (): number => this.version

  subscribeVersion = (listener: () => void): (() => void) => {
    this.versionListeners.add(listener)
    return () => this.versionListeners.delete(listener)
  }

  /**
   * A number that changes (at most once a frame, with the version) when something inside `type`
   * changed, or what this person may do did. Views of one initiative or one section subscribe to
   * their part and are left alone when someone types elsewhere.
   */
  getPartVersion = (type: SharedType): number => this.partVersions.get(type) ?? 0

  subscribePart = (type: SharedType, listener: () => void): (() => void) => {
    let listeners = this.partListeners.get(type)
    if (!listeners) {
      listeners = new Set()
      this.partListeners.set(type, listeners)
    }
    listeners.add(listener)
    return () => {
      listeners.delete(listener)
      if (listeners.size === 0 && this.partListeners.get(type) === listeners) this.partListeners.delete(type)
    }
  }

  private bumpVersion(): void {
    this.version++
    const changed = [...this.changedParts]
    this.changedParts.clear()
    for (const type of changed) this.partVersions.set(type, this.getPartVersion(type) + 1)
    for (const listener of this.versionListeners) listener()
    for (const type of changed) {
      for (const listener of this.partListeners.get(type) ?? []) listener()
    }
  }

  /** Ticks the version at the next frame (a change to something this document's views show). */
  protected scheduleVersion(): void {
    if (this.frame) return
    const tick = () => {
      if (!this.frame) return
      cancelAnimationFrame(this.frame)
      window.clearTimeout(this.fallback)
      this.frame = 0
      this.bumpVersion()
    }
    this.frame = requestAnimationFrame(tick)
    // Hidden pages get no animation frames; they still keep up, more slowly.
    this.fallback = window.setTimeout(tick, 250)
  }

  destroy(): void {
    this.destroyed = true
    if (this.frame) cancelAnimationFrame(this.frame)
    window.clearTimeout(this.fallback)
    this.frame = 0
    for (const cleanup of this.cleanups.splice(0)) cleanup()
    this.provider.awareness.setLocalState(null)
    this.provider.destroy()
    void this.localCopy?.destroy()
    this.undoManager?.destroy()
    this.doc.destroy()
  }
}

function awarenessUser(identity: Identity): AwarenessUser {
  return { name: identity.name, color: identity.color, id: identity.userId }
}
