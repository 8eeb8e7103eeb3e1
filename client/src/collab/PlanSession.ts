import { AccessMode, MessageType, PlanModel } from '@lever/shared'
import * as decoding from 'lib0/decoding'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import type { Identity } from '../app/identity.ts'
import { AnchorKeeper } from '../comments/AnchorKeeper.ts'
import { countingWebSocketClass, isCountingSocket } from './CountingWebSocket.ts'
import { terminalCloseMessage } from './closeMessages.ts'
import { COMMENT_ORIGIN, LOCAL_ORIGIN } from './origins.ts'
import { createPlanUndoManager } from './undo.ts'

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
  /** Why the connection closed for good (connection === 'closed'). */
  closedMessage: string | null
  closeCode: number | null
}

/** Where a person is in the plan, as shared with the others through awareness. */
export type PresenceFocus = { kind: 'section'; id: string } | { kind: 'initiative'; id: string } | null

export interface AwarenessUser {
  name: string
  color: string
}

/** Failed reconnection attempts after which "reconnecting" reads as "offline". */
const OFFLINE_AFTER_FAILURES = 3

export function collabUrl(): string {
  const { protocol, host } = window.location
  return `${protocol === 'https:' ? 'wss:' : 'ws:'}//${host}/collab`
}

/**
 * One open plan: its Y.Doc, the one WebsocketProvider, the typed model, the undo manager, and
 * the connection/saved status derived from the provider and the server's save acknowledgements.
 */
export class PlanSession {
  readonly doc = new Y.Doc()
  readonly model = new PlanModel(this.doc)
  readonly provider: WebsocketProvider
  readonly undoManager: Y.UndoManager
  /** What the server lets this person do with the plan. */
  readonly access: AccessMode
  /** The person may not change this plan (the server refuses their changes): edits are not made. */
  readonly readOnly: boolean
  /** The person may comment (threads and comment marks): team members, facilitators and coaches. */
  readonly canComment: boolean
  private readonly anchorKeeper: AnchorKeeper | null
  private status: SessionStatus = {
    connection: 'connecting',
    synced: false,
    loaded: false,
    saved: false,
    unsavedChanges: false,
    closedMessage: null,
    closeCode: null,
  }
  private everConnected = false
  private unsaved = false
  private closed: { code: number; message: string } | null = null
  private readonly statusListeners = new Set<() => void>()
  private version = 0
  private frame = 0
  private fallback = 0
  private readonly versionListeners = new Set<() => void>()
  private pendingFocus: PresenceFocus | undefined
  private readonly cleanups: Array<() => void> = []

  constructor(
    readonly docName: string,
    identity: Identity,
    options: { url?: string; access?: AccessMode } = {},
  ) {
    this.access = options.access ?? AccessMode.ReadWrite
    this.readOnly = this.access !== AccessMode.ReadWrite
    this.canComment = this.access !== AccessMode.ReadOnly
    this.undoManager = createPlanUndoManager(this.doc)
    if (this.readOnly) this.sendNothingButOwnChanges()
    const refresh = () => this.refreshStatus()
    this.provider = new WebsocketProvider(options.url ?? collabUrl(), docName, this.doc, {
      connect: false,
      params: { acks: '1' },
      disableBc: true,
      WebSocketPolyfill: countingWebSocketClass(refresh),
    })
    this.provider.messageHandlers[MessageType.SaveAck] = (_encoder, decoder, provider) => {
      const acked = decoding.readVarUint(decoder)
      if (isCountingSocket(provider.ws)) provider.ws.documentMessagesAcked = acked
      refresh()
    }
    this.provider.awareness.setLocalState({ user: { name: identity.name, color: identity.color }, focus: null })

    this.provider.on('status', refresh)
    this.provider.on('sync', refresh)
    this.anchorKeeper = this.canComment
      ? new AnchorKeeper(
          this.doc,
          (change) => this.comment(change),
          (origin) => origin === this.provider,
        )
      : null
    const onSynced = (synced: boolean) => {
      if (synced) this.anchorKeeper?.start()
    }
    this.provider.on('sync', onSynced)
    this.provider.on('connection-close', refresh)
    this.provider.on('closed', (event) => {
      this.closed = { code: event.code, message: terminalCloseMessage(event.code) }
      refresh()
    })
    const onUpdate = (_update: Uint8Array, origin: unknown) => {
      if (origin !== this.provider) this.unsaved = true
      this.scheduleVersion()
      refresh()
    }
    this.doc.on('update', onUpdate)
    const onNetwork = () => {
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

  /** Applies local changes as one transaction with this browser's origin (undoable, counted as unsaved). */
  edit(change: () => void): void {
    if (this.readOnly) return
    this.doc.transact(change, LOCAL_ORIGIN)
  }

  /**
   * Applies a comment change (threads, replies, comment marks) as one transaction. It is not
   * undoable (see COMMENT_ORIGIN) and is the only kind of change a comment-only person makes.
   */
  comment(change: () => void): void {
    if (!this.canComment) return
    this.doc.transact(change, COMMENT_ORIGIN)
  }

  /**
   * A person who may not edit the plan sends only the changes they make on purpose (comments).
   * Yjs tidies formatting after a remote change by deleting redundant formatting items, which is
   * a change of its own; on a read-only or comment-only connection the server would refuse it
   * and close the connection, so that tidying is left to people who edit.
   */
  private sendNothingButOwnChanges(): void {
    const skipCleanup = (transaction: Y.Transaction) => {
      ;(transaction as unknown as { _needFormattingCleanup: boolean })._needFormattingCleanup = false
    }
    this.doc.on('afterTransaction', skipCleanup)
    this.cleanups.push(() => this.doc.off('afterTransaction', skipCleanup))
  }

  undo(): void {
    if (!this.readOnly) this.undoManager.undo()
  }

  redo(): void {
    if (!this.readOnly) this.undoManager.redo()
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

  /** Changes the name and colour others see. */
  setUser(identity: Identity): void {
    const user = this.provider.awareness.getLocalState()?.user as AwarenessUser | undefined
    if (user?.name === identity.name && user.color === identity.color) return
    this.provider.awareness.setLocalStateField('user', { name: identity.name, color: identity.color })
  }

  /** Shares where this person is in the plan; the last call in a tick wins. */
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
    else if (p.wsconnected) connection = 'connected'
    else if (!navigator.onLine) connection = 'offline'
    else if (!this.everConnected)
      connection = p.wsUnsuccessfulReconnects >= OFFLINE_AFTER_FAILURES ? 'offline' : 'connecting'
    else connection = p.wsUnsuccessfulReconnects >= OFFLINE_AFTER_FAILURES ? 'offline' : 'reconnecting'
    const next: SessionStatus = {
      connection,
      synced: p.synced,
      loaded: this.status.loaded || p.synced,
      saved,
      unsavedChanges: this.unsaved,
      closedMessage: this.closed?.message ?? null,
      closeCode: this.closed?.code ?? null,
    }
    const prev = this.status
    if (
      prev.connection === next.connection &&
      prev.synced === next.synced &&
      prev.loaded === next.loaded &&
      prev.saved === next.saved &&
      prev.unsavedChanges === next.unsavedChanges &&
      prev.closeCode === next.closeCode
    ) {
      return
    }
    this.status = next
    for (const listener of this.statusListeners) listener()
  }

  // ---- document version (one tick per animation frame with changes) ----

  getVersion = (): number => this.version

  subscribeVersion = (listener: () => void): (() => void) => {
    this.versionListeners.add(listener)
    return () => this.versionListeners.delete(listener)
  }

  private scheduleVersion(): void {
    if (this.frame) return
    const tick = () => {
      if (!this.frame) return
      cancelAnimationFrame(this.frame)
      window.clearTimeout(this.fallback)
      this.frame = 0
      this.version++
      for (const listener of this.versionListeners) listener()
    }
    this.frame = requestAnimationFrame(tick)
    // Hidden pages get no animation frames; they still keep up, more slowly.
    this.fallback = window.setTimeout(tick, 250)
  }

  destroy(): void {
    if (this.frame) cancelAnimationFrame(this.frame)
    window.clearTimeout(this.fallback)
    this.frame = 0
    for (const cleanup of this.cleanups.splice(0)) cleanup()
    this.anchorKeeper?.stop()
    this.provider.awareness.setLocalState(null)
    this.provider.destroy()
    this.undoManager.destroy()
    this.doc.destroy()
  }
}
