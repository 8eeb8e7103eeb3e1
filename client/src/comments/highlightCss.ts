import type { ThreadView } from './threadViews.ts'

const SAFE_ID = /^[A-Za-z0-9_-]{1,64}$/

/**
 * The look of comment highlights, derived from the threads: open threads are highlighted, the
 * thread being read more strongly, resolved ones not at all. Marks carry only a thread id; this
 * stylesheet is where their state shows.
 */
export function highlightCss(views: ThreadView[], activeId: string | null): string {
  const open = views.filter((v) => v.thread.status === 'open' && SAFE_ID.test(v.thread.id))
  const rules: string[] = []
  if (open.length > 0) {
    rules.push(
      `${open.map((v) => `.rich-text [data-thread-id="${v.thread.id}"]`).join(',\n')} {\n` +
        '  background-color: var(--comment-bg);\n  border-bottom: 2px solid var(--comment-line);\n}',
    )
  }
  if (activeId && SAFE_ID.test(activeId)) {
    rules.push(
      `.rich-text [data-thread-id="${activeId}"] {\n` +
        '  background-color: var(--comment-active-bg);\n  border-bottom-color: var(--comment-active-line);\n}',
    )
  }
  return rules.join('\n')
}
