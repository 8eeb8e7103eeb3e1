import { type Author, type ThreadModel, ThreadsModel } from '@lever/shared'
import type * as Y from 'yjs'
import { addCommentMark, removeCommentMark, type TextSegment } from './anchors.ts'

/**
 * Starts a thread on words of a prose field: the thread in a thread document (`threadsDoc`, of
 * the visibility chosen) and the comment mark over the words in the plan (`planDoc`), each as one
 * transaction with `origin`. The thread goes first, so a mark never points at nothing for long.
 * Returns null when the words are gone.
 */
export function createTextThread(
  planDoc: Y.Doc,
  threadsDoc: Y.Doc,
  input: {
    field: string
    segments: TextSegment[]
    quote: { quote: string; before: string; after: string }
    author: Author
    body: string
    mentions?: string[]
  },
  origin: unknown = null,
): ThreadModel | null {
  if (input.segments.length === 0) return null
  let thread: ThreadModel | null = null
  threadsDoc.transact(() => {
    thread = new ThreadsModel(threadsDoc).create({
      anchor: { kind: 'text', field: input.field, ...input.quote },
      author: input.author,
      body: input.body,
      mentions: input.mentions ?? [],
    })
  }, origin)
  const created = thread as ThreadModel | null
  if (!created) return null
  planDoc.transact(() => addCommentMark(input.segments, created.id), origin)
  return created
}

/** Points an orphaned thread at new words: the mark there (in the plan), and the anchor's quote updated. */
export function reanchorThread(
  planDoc: Y.Doc,
  thread: ThreadModel,
  input: { field: string; segments: TextSegment[]; quote: { quote: string; before: string; after: string } },
  origin: unknown = null,
): boolean {
  if (input.segments.length === 0) return false
  const threadsDoc = thread.map.doc
  const reanchor = () => thread.reanchor({ kind: 'text', field: input.field, ...input.quote })
  if (threadsDoc) threadsDoc.transact(reanchor, origin)
  else reanchor()
  planDoc.transact(() => {
    removeCommentMark(planDoc, thread.id)
    addCommentMark(input.segments, thread.id)
  }, origin)
  return true
}
