import { DocKind, docNameFor } from '@lever/shared'
import * as Y from 'yjs'
import type { DocumentHook } from '../collab/documentTypes.ts'
import type { Room } from '../collab/Room.ts'
import type { Logger } from '../logger.ts'
import type { DocStore } from '../storage/DocStore.ts'
import { type DerivedWriter, immediateWrites } from '../storage/derivedWrites.ts'
import { planRows, type SearchIndex } from './SearchIndex.ts'

/** How long a plan must be quiet before its rows are rewritten (one transaction per plan). */
export const SEARCH_REFRESH_DEBOUNCE_MS = 1_000

/** A plan's document as stored (for plans whose room is not in memory). */
export async function loadStoredDoc(store: DocStore, docName: string): Promise<Y.Doc> {
  const stored = await store.load(docName)
  const doc = new Y.Doc()
  Y.transact(doc, () => {
    for (const update of stored.updates) Y.applyUpdate(doc, update)
  })
  return doc
}

/**
 * Keeps the search index current: a plan's rows are rewritten a moment after its changes stop
 * (debounced per plan), from the room's document when it is in memory and from the store when the
 * room unloaded meanwhile, and whenever a plan's room loads (catching up after a restart). The
 * debounce timers live in this process; that is safe per server because each server indexes the
 * changes its own rooms make durable and the rows are rewritten whole from the document.
 */
export function searchIndexHook(
  index: SearchIndex,
  store: DocStore,
  logger: Logger,
  /** How the rows are written (along with the document store's next commit, in the server). */
  write: DerivedWriter = immediateWrites,
): DocumentHook & { flush(): Promise<void> } {
  const timers = new Map<string, NodeJS.Timeout>()
  const rooms = new Map<string, Room>()
  const running = new Set<Promise<void>>()

  const refresh = async (planId: string): Promise<void> => {
    const room = rooms.get(planId)
    rooms.delete(planId)
    try {
      if (room && !room.isClosed) {
        const rows = planRows(planId, room.doc)
        await write(() => index.writePlanRows(planId, rows))
        return
      }
      const doc = await loadStoredDoc(store, docNameFor(DocKind.Plan, planId))
      let rows: ReturnType<typeof planRows>
      try {
        rows = planRows(planId, doc)
      } finally {
        doc.destroy()
      }
      await write(() => index.writePlanRows(planId, rows))
    } catch (error) {
      logger.warn({ err: error, plan: planId }, 'could not refresh the search index of a plan')
    }
  }

  const run = (planId: string) => {
    timers.delete(planId)
    const done = refresh(planId)
    running.add(done)
    void done.finally(() => running.delete(done))
  }

  return {
    name: 'search-index',
    kinds: [DocKind.Plan],
    onLoad(room, id) {
      rooms.set(id, room)
      if (!timers.has(id)) run(id)
    },
    afterChange(room, id) {
      rooms.set(id, room)
      if (timers.has(id)) return
      const timer = setTimeout(() => run(id), SEARCH_REFRESH_DEBOUNCE_MS)
      timer.unref()
      timers.set(id, timer)
    },
    afterUnload(_docName, id) {
      // The room's document is gone; a pending refresh reads the stored state instead.
      rooms.delete(id)
    },
    /** Runs every pending refresh now (shutdown, tests). */
    async flush() {
      for (const [id, timer] of timers) {
        clearTimeout(timer)
        run(id)
      }
      await Promise.all(running)
    },
  }
}
