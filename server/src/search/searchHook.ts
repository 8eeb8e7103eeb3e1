import { DocKind, visibilityOfKind } from '@lever/shared'
import type * as Y from 'yjs'
import type { DocumentHook } from '../collab/documentTypes.ts'
import { QuietTimers } from '../collab/QuietTimers.ts'
import type { Room } from '../collab/Room.ts'
import { type QueryScript, type ScriptRunner, transactionRunner } from '../db/queryScripts.ts'
import type { Logger } from '../logger.ts'
import type { DocStore } from '../storage/DocStore.ts'
import { loadStoredDoc } from '../storage/storedDoc.ts'
import { planRows, type SearchIndex, threadRows } from './SearchIndex.ts'

/** How long a plan must be quiet before its rows are rewritten (one transaction per plan). */
export const SEARCH_REFRESH_QUIET_MS = 1_000
/** How stale a plan's rows may get while people type in it without a pause. */
export const SEARCH_REFRESH_MAX_WAIT_MS = 5_000

/**
 * Keeps the search index current: a plan's rows are rewritten a second after its changes stop,
 * or every few seconds while people type without a pause (`QuietTimers`), from the room's document
 * when it is in memory and from the store when the room unloaded meanwhile, and whenever a plan's
 * room loads (catching up after a restart). The timers live in this process; that is safe per
 * server because each server indexes the changes its own rooms make durable and the rows are
 * rewritten whole from the document.
 *
 * Several servers with the same plan open (sharing one SQLite file) each run this hook, so a
 * plan's rows may be written twice. That is harmless: a write turns the stored rows into the rows
 * of the document (`rewrite` in SearchIndex.ts), so the second server, whose document holds the same
 * content, finds nothing to change. A server a change behind may write its slightly older rows
 * after the other's; the change reaches it moments later and its own refresh rewrites them.
 */
export function searchIndexHook(
  index: SearchIndex,
  store: DocStore,
  logger: Logger,
  /** How the rows are written (along with the document store's next commit, in the server). */
  write: ScriptRunner = transactionRunner(index.db),
): DocumentHook & { flush(): Promise<void> } {
  const rooms = new Map<string, Room>()
  const running = new Set<Promise<void>>()

  /** Reads the rows a document turns into now; returns the script that writes them. */
  const rowsOf = (kind: string, planId: string, doc: Y.Doc): (() => QueryScript<void>) => {
    const visibility = visibilityOfKind(kind)
    if (visibility) {
      const rows = threadRows(planId, null, doc)
      return () => index.threadRowsScript(planId, visibility, rows)
    }
    const rows = planRows(planId, doc)
    return () => index.planRowsScript(planId, rows)
  }

  const refresh = async (docName: string, kind: string, planId: string): Promise<void> => {
    const room = rooms.get(docName)
    rooms.delete(docName)
    try {
      if (room && !room.isClosed) {
        await write(rowsOf(kind, planId, room.doc))
        return
      }
      const doc = await loadStoredDoc(store, docName)
      let writeRows: () => QueryScript<void>
      try {
        writeRows = rowsOf(kind, planId, doc)
      } finally {
        doc.destroy()
      }
      await write(writeRows)
    } catch (error) {
      logger.warn({ err: error, plan: planId, doc: docName }, 'could not refresh the search index of a plan')
    }
  }

  // By document name: a plan's own document and each of its thread documents are indexed apart.
  const timers = new QuietTimers({
    quietMs: SEARCH_REFRESH_QUIET_MS,
    maxWaitMs: SEARCH_REFRESH_MAX_WAIT_MS,
    run: (docName) => {
      const colon = docName.indexOf(':')
      const done = refresh(docName, docName.slice(0, colon), docName.slice(colon + 1))
      running.add(done)
      void done.finally(() => running.delete(done))
    },
  })

  return {
    name: 'search-index',
    kinds: [DocKind.Plan, DocKind.PlanThreadsTeam, DocKind.PlanThreadsAll],
    onLoad(room) {
      rooms.set(room.name, room)
      // Once the room has answered its first clients (reading a long plan's rows is not free).
      if (!timers.has(room.name)) timers.soon(room.name)
    },
    afterChange(room) {
      rooms.set(room.name, room)
      timers.touch(room.name)
    },
    afterUnload(docName) {
      // The room's document is gone; a pending refresh reads the stored state instead.
      rooms.delete(docName)
    },
    /** Runs every pending refresh now (shutdown, tests). */
    async flush() {
      timers.runAll()
      await Promise.all(running)
    },
  }
}
