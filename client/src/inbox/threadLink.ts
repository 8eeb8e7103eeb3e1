import type { InboxItem } from '../api/comments.ts'

/** Where an inbox item opens: its plan, with the thread shown in the comments. */
export function threadLink(item: Pick<InboxItem, 'planId' | 'threadId'>): string {
  return `/plans/${encodeURIComponent(item.planId)}?thread=${encodeURIComponent(item.threadId)}`
}
