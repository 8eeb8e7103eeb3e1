import {
  AccessMode,
  DEFAULT_THREAD_VISIBILITY,
  PlanModel,
  parseDocName,
  THREAD_VISIBILITIES,
  type ThreadModel,
  ThreadsModel,
  type ThreadVisibility,
  threadDocName,
} from '@lever/shared'
import type * as Y from 'yjs'
import type { Identity } from '../app/identity.ts'
import { AnchorKeeper } from '../comments/AnchorKeeper.ts'
import { planCloseMessage } from './closeMessages.ts'
import { DocSession } from './DocSession.ts'
import { forgetLocalCopy, localCopyName } from './localCopies.ts'
import { COMMENT_ORIGIN } from './origins.ts'
import { planUndoScope } from './undo.ts'

/** A plan's thread document of one visibility, as this browser has it open. */
export interface OpenThreadDoc {
  visibility: ThreadVisibility
  session: DocSession
}

/** A thread found in one of the plan's thread documents. */
export interface FoundThread {
  thread: ThreadModel
  visibility: ThreadVisibility
}

/**
 * One open plan: a DocSession on the plan's document with its typed model, an undo manager over
 * the whole plan, what the person may do with it (their access is fixed while it is open: a new
 * access opens the plan afresh), and comments, which comment-only people make too.
 *
 * Comment threads live beside the plan, one document per visibility (the team's, everyone's),
 * each opened here with its own provider and saved copy when the person may read it: the team's
 * only for those who may comment (the team, its coaches, facilitators). Comment marks stay in
 * the plan's prose and carry the thread ids.
 */
export class PlanSession extends DocSession {
  /**
   * Counts changes to the thread documents: views of the threads that were made at the same
   * count are still right (a keystroke in the plan's prose changes no thread).
   */
  threadChanges = 0
  readonly model = new PlanModel(this.doc)
  declare readonly undoManager: Y.UndoManager
  /** What the server lets this person do with the plan. */
  readonly access: AccessMode
  /** The person may comment (threads and comment marks): team members, facilitators and coaches. */
  readonly canComment: boolean
  /** The thread documents this person may read, narrowest first. */
  readonly threadDocs: OpenThreadDoc[]
  private readonly anchorKeeper: AnchorKeeper | null

  constructor(docName: string, identity: Identity, options: { url?: string; access?: AccessMode } = {}) {
    const access = options.access ?? AccessMode.ReadWrite
    super(docName, identity, {
      url: options.url,
      readOnly: access !== AccessMode.ReadWrite,
      undoScope: planUndoScope,
      closeMessage: planCloseMessage,
      // Those who change the plan keep a copy, so that nothing they write offline is lost.
      localCopy: access === AccessMode.ReadOnly ? undefined : localCopyName(identity.userId, docName),
    })
    this.access = access
    // Someone who may no longer change the plan has nothing to send: a copy kept from before
    // would only hold changes the server now refuses.
    if (access === AccessMode.ReadOnly) void forgetLocalCopy(localCopyName(identity.userId, docName))
    this.canComment = access !== AccessMode.ReadOnly
    const planId = parseDocName(docName)?.id ?? ''
    const visibilities = this.canComment ? THREAD_VISIBILITIES : THREAD_VISIBILITIES.filter((v) => v === 'all')
    this.threadDocs = visibilities.map((visibility) => {
      const name = threadDocName(planId, visibility)
      if (!this.canComment) void forgetLocalCopy(localCopyName(identity.userId, name))
      const session = new DocSession(name, identity, {
        url: options.url,
        readOnly: !this.canComment,
        closeMessage: planCloseMessage,
        localCopy: this.canComment ? localCopyName(identity.userId, name) : undefined,
      })
      // The plan's views (threads in the sidebar, highlights) follow its thread documents too.
      session.doc.on('update', () => {
        this.threadChanges++
        this.scheduleVersion()
      })
      return { visibility, session }
    })
    this.anchorKeeper = this.canComment
      ? new AnchorKeeper(
          this.doc,
          () => this.threads().map((t) => t.thread),
          (change) => this.comment(change),
          // Changes from the server, or from this browser's copy, are nobody's action here.
          (origin) => origin === this.provider || (origin !== null && origin === this.localCopy?.persistence),
        )
      : null
    this.provider.on('sync', (synced: boolean) => {
      if (synced) this.anchorKeeper?.start()
    })
    // The threads a thread document holds when it first arrives are the plan's as it was opened:
    // the keeper repairs none of their marks from before (a thread started later, or arriving at
    // a reconnection, still counts as new).
    for (const { session } of this.threadDocs) {
      const arrived = (synced: boolean) => {
        if (!synced) return
        session.provider.off('sync', arrived)
        this.anchorKeeper?.learnThreads()
      }
      session.provider.on('sync', arrived)
    }
  }

  /** Every thread this person may read, with its visibility (a thread being moved counts once). */
  threads(): FoundThread[] {
    const seen = new Set<string>()
    const found: FoundThread[] = []
    for (const { visibility, session } of this.threadDocs) {
      for (const thread of new ThreadsModel(session.doc).list()) {
        if (seen.has(thread.id)) continue
        seen.add(thread.id)
        found.push({ thread, visibility })
      }
    }
    return found
  }

  /** A thread by id, in whichever thread document holds it. */
  findThread(id: string): FoundThread | null {
    for (const { visibility, session } of this.threadDocs) {
      const thread = new ThreadsModel(session.doc).get(id)
      if (thread) return { thread, visibility }
    }
    return null
  }

  /** The thread document of a visibility, when this person has it open. */
  threadDoc(visibility: ThreadVisibility = DEFAULT_THREAD_VISIBILITY): Y.Doc | null {
    return this.threadDocs.find((t) => t.visibility === visibility)?.session.doc ?? null
  }

  /**
   * Applies a comment change to the plan's prose (comment marks) as one transaction. It is not
   * undoable (see COMMENT_ORIGIN) and is the only kind of change a comment-only person makes there.
   */
  comment(change: () => void): void {
    if (!this.canComment) return
    this.doc.transact(change, COMMENT_ORIGIN)
  }

  /** Changes threads of one visibility (a new thread) as one transaction of its document. */
  commentIn(visibility: ThreadVisibility, change: (threads: ThreadsModel) => void): void {
    const doc = this.canComment ? this.threadDoc(visibility) : null
    if (doc) doc.transact(() => change(new ThreadsModel(doc)), COMMENT_ORIGIN)
  }

  /** Changes one thread (reply, resolve, edit, react) in the document that holds it. */
  commentOn(threadId: string, change: (thread: ThreadModel) => void): void {
    if (!this.canComment) return
    const found = this.findThread(threadId)
    const doc = found?.thread.map.doc
    if (found && doc) doc.transact(() => change(found.thread), COMMENT_ORIGIN)
  }

  override destroy(): void {
    this.anchorKeeper?.stop()
    for (const { session } of this.threadDocs) session.destroy()
    super.destroy()
  }
}
