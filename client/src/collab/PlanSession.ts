import { AccessMode, PlanModel } from '@lever/shared'
import type * as Y from 'yjs'
import type { Identity } from '../app/identity.ts'
import { AnchorKeeper } from '../comments/AnchorKeeper.ts'
import { planCloseMessage } from './closeMessages.ts'
import { DocSession } from './DocSession.ts'
import { forgetLocalCopy, localCopyName } from './localCopies.ts'
import { COMMENT_ORIGIN } from './origins.ts'
import { planUndoScope } from './undo.ts'

/**
 * One open plan: a DocSession on the plan's document with its typed model, an undo manager over
 * the whole plan, what the person may do with it (their access is fixed while it is open: a new
 * access opens the plan afresh), and comments, which comment-only people make too.
 */
export class PlanSession extends DocSession {
  readonly model = new PlanModel(this.doc)
  declare readonly undoManager: Y.UndoManager
  /** What the server lets this person do with the plan. */
  readonly access: AccessMode
  /** The person may comment (threads and comment marks): team members, facilitators and coaches. */
  readonly canComment: boolean
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
    this.anchorKeeper = this.canComment
      ? new AnchorKeeper(
          this.doc,
          (change) => this.comment(change),
          // Changes from the server, or from this browser's copy, are nobody's action here.
          (origin) => origin === this.provider || (origin !== null && origin === this.localCopy),
        )
      : null
    this.provider.on('sync', (synced: boolean) => {
      if (synced) this.anchorKeeper?.start()
    })
  }

  /**
   * Applies a comment change (threads, replies, comment marks) as one transaction. It is not
   * undoable (see COMMENT_ORIGIN) and is the only kind of change a comment-only person makes.
   */
  comment(change: () => void): void {
    if (!this.canComment) return
    this.doc.transact(change, COMMENT_ORIGIN)
  }

  override destroy(): void {
    this.anchorKeeper?.stop()
    super.destroy()
  }
}
