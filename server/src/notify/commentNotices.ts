import type { ThreadSnapshot } from '@lever/shared'

/** Someone to tell about a new comment, and why. */
export interface CommentNotice {
  commentId: string
  threadId: string
  recipientId: string
  reason: 'mention' | 'reply'
  authorId: string
  authorName: string
  body: string
  quote: string
}

/**
 * Who should hear of each comment not yet in `seen`: the people it mentions, and the thread's
 * author when someone else replies. Never the comment's own author; one notice per person and
 * comment (a mention wins over a reply). Deleted comments tell no one.
 */
export function commentNotices(
  threads: ThreadSnapshot[],
  seen: (commentId: string) => boolean,
): {
  fresh: string[]
  notices: CommentNotice[]
} {
  const fresh: string[] = []
  const notices: CommentNotice[] = []
  for (const thread of threads) {
    thread.comments.forEach((comment, index) => {
      if (!comment.id || seen(comment.id)) return
      fresh.push(comment.id)
      if (comment.deleted) return
      const recipients = new Map<string, CommentNotice['reason']>()
      for (const id of comment.mentions) recipients.set(id, 'mention')
      if (index > 0 && thread.authorId && !recipients.has(thread.authorId)) recipients.set(thread.authorId, 'reply')
      recipients.delete(comment.authorId)
      for (const [recipientId, reason] of recipients) {
        notices.push({
          commentId: comment.id,
          threadId: thread.id,
          recipientId,
          reason,
          authorId: comment.authorId,
          authorName: comment.authorName,
          body: comment.body,
          quote: thread.anchor?.kind === 'text' ? thread.anchor.quote : '',
        })
      }
    })
  }
  return { fresh, notices }
}
