import { COMMENT_MARK } from '@lever/shared'
import { Mark, mergeAttributes } from '@tiptap/core'
import * as buffer from 'lib0/buffer'
import * as sha256 from 'lib0/hash/sha256'

/**
 * The comment anchor: a mark that carries only the id of its thread. It may overlap itself
 * (several threads on the same words) and does not grow when someone types at its edges. How a
 * highlight looks (open, resolved, the thread you are reading) is derived from the thread's
 * state by CSS on `data-thread-id`, never stored in the mark.
 */
export const CommentMark = Mark.create({
  name: COMMENT_MARK,
  excludes: '',
  inclusive: false,

  addAttributes() {
    return {
      threadId: {
        default: null,
        parseHTML: (element) => element.getAttribute('data-thread-id'),
        renderHTML: (attributes) => (attributes.threadId ? { 'data-thread-id': attributes.threadId } : {}),
      },
    }
  },

  parseHTML() {
    return [{ tag: 'span[data-thread-id]' }]
  },

  renderHTML({ HTMLAttributes }) {
    return ['span', mergeAttributes({ class: 'comment-mark' }, HTMLAttributes), 0]
  },
})

/** The hash y-prosemirror gives an overlapping mark (6 bytes of a folded SHA-256, in base64). */
function hashOfJSON(json: unknown): string {
  const digest = sha256.digest(buffer.encodeAny(json))
  const n = 6
  for (let i = n; i < digest.length; i++) digest[i % n] = (digest[i % n] as number) ^ (digest[i] as number)
  return buffer.toBase64(digest.slice(0, n))
}

const keys = new Map<string, string>()

/**
 * The Yjs formatting attribute under which the binding stores the comment mark of a thread
 * (`comment--<hash>`): the very key y-prosemirror computes, so marks written straight into Yjs
 * (a coach's) and marks written by an editor are the same attribute.
 */
export function commentMarkKey(threadId: string): string {
  let key = keys.get(threadId)
  if (!key) {
    key = `${COMMENT_MARK}--${hashOfJSON({ type: COMMENT_MARK, attrs: { threadId } })}`
    keys.set(threadId, key)
  }
  return key
}
