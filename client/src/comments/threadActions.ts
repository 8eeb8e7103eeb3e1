import { type Author, type ThreadModel, ThreadsModel } from '@lever/shared'
import type * as Y from 'yjs'
import { addCommentMark, removeCommentMark, type TextSegment } from './anchors.ts'

/**
 * Starts a thread on words of a prose field: the thread in the plan's `threads` map and the
 * comment mark over the words. Call it inside one transaction (PlanSession.comment), so nobody
 * ever sees a mark without its thread. Returns null when the words are gone.
 */
export function createTextThread(
  doc: Y.Doc,
  input: {
    field: string
    segments: TextSegment[]
    quote: { quote: string; before: string; after: string }
    author: Author
    body: string
    mentions?: string[]
  },
): ThreadModel | null {
  if (input.segments.length === 0) return null
  const thread = new ThreadsModel(doc).create({
    anchor: { kind: 'text', field: input.field, ...input.quote },
    author: input.author,
    body: input.body,
    mentions: input.mentions ?? [],
  })
  addCommentMark(input.segments, thread.id)
  return thread
}

/** Points an orphaned thread at new words: the mark there, and the anchor's quote updated. */
export function reanchorThread(
  doc: Y.Doc,
  thread: ThreadModel,
  input: { field: string; segments: TextSegment[]; quote: { quote: string; before: string; after: string } },
): boolean {
  if (input.segments.length === 0) return false
  removeCommentMark(doc, thread.id)
  thread.reanchor({ kind: 'text', field: input.field, ...input.quote })
  addCommentMark(input.segments, thread.id)
  return true
}
