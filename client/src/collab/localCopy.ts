import { IndexeddbPersistence } from 'y-indexeddb'
import * as Y from 'yjs'

/**
 * How long others' changes wait before they are written to this browser's copy. They are on the
 * server already (that is where they came from), so the copy only caches them: one write for a
 * burst of keystrokes instead of one IndexedDB transaction each.
 */
export const REMOTE_WRITE_DELAY_MS = 500

/**
 * This browser's copy of a document (IndexedDB, through y-indexeddb), written so that it costs the
 * page little while others type:
 * - this person's own changes are written at once, as y-indexeddb writes them: they may exist
 *   nowhere else yet (offline, or not yet acknowledged by the server);
 * - changes that came from the server (`isRemote(origin)`) are merged and written together, at
 *   most `REMOTE_WRITE_DELAY_MS` later, with the next own change, or when the page is hidden or
 *   closed.
 *
 * It uses two members of y-indexeddb 9 that its types declare but its documentation does not
 * (`_storeUpdate`, the writer it installs; `_destroyed`): the version is pinned, and the browser
 * test of the copy (tests/browser/connection.test.ts) fails if the writer is renamed.
 */
export class LocalCopy {
  readonly persistence: IndexeddbPersistence
  private pending: Uint8Array[] = []
  private timer = 0
  private readonly onUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin === this.persistence) return // read from the copy: already in it
    if (this.isRemote(origin)) {
      this.pending.push(update)
      if (!this.timer) this.timer = window.setTimeout(() => this.flush(), REMOTE_WRITE_DELAY_MS)
      return
    }
    this.write(this.takePending(update), origin)
  }
  /** The page may not run again (closed, or frozen or discarded in the background): write now. */
  private readonly onHide = () => this.flush()
  private readonly onVisibility = () => {
    if (document.visibilityState === 'hidden') this.flush()
  }

  constructor(
    name: string,
    private readonly doc: Y.Doc,
    private readonly isRemote: (origin: unknown) => boolean,
  ) {
    this.persistence = new IndexeddbPersistence(name, doc)
    // y-indexeddb writes every update as it happens; this class decides when instead.
    doc.off('update', this.persistence._storeUpdate)
    doc.on('update', this.onUpdate)
    window.addEventListener('pagehide', this.onHide)
    document.addEventListener('visibilitychange', this.onVisibility)
    doc.once('destroy', () => this.stop())
  }

  /** Writes the changes from the server that are waiting, if any. */
  flush(): void {
    const update = this.takePending()
    if (update) this.write(update, null)
  }

  /** Removes the copy from this browser (nothing waiting is written). */
  clearData(): Promise<void> {
    this.stop()
    this.pending = []
    return this.persistence.clearData()
  }

  /** Writes what is waiting and closes the copy. */
  destroy(): Promise<void> {
    this.flush()
    this.stop()
    return this.persistence.destroy()
  }

  private stop(): void {
    window.clearTimeout(this.timer)
    this.timer = 0
    this.doc.off('update', this.onUpdate)
    window.removeEventListener('pagehide', this.onHide)
    document.removeEventListener('visibilitychange', this.onVisibility)
  }

  /** The waiting changes (and `also`) as one update, or null when there are none. */
  private takePending(also?: Uint8Array): Uint8Array | null {
    window.clearTimeout(this.timer)
    this.timer = 0
    const updates = also ? [...this.pending, also] : this.pending
    this.pending = []
    if (updates.length === 0) return null
    return updates.length === 1 ? (updates[0] as Uint8Array) : Y.mergeUpdates(updates)
  }

  private write(update: Uint8Array | null, origin: unknown): void {
    // y-indexeddb's own writer: one IndexedDB transaction, and the merge of the copy when it has
    // grown long. It skips the write until the database is open; the copy then starts from the
    // whole document (y-indexeddb writes it when it opens), so nothing is missed.
    if (update && !this.persistence._destroyed) this.persistence._storeUpdate(update, origin)
  }
}
