import { useEffect } from 'react'
import { Link, useSearchParams } from 'react-router'
import { fetchInbox, type InboxFilter, type InboxItem } from '../api/comments.ts'
import { useApi } from '../api/useApi.ts'
import { useAuthorNames } from '../comments/authorNames.ts'
import { EmptyState, PendingPanels } from '../ui/Panels.tsx'
import { fullDate, whenText } from '../ui/time.ts'
import { threadLink } from './threadLink.ts'
import './inbox.css'
import { markRead, refreshUnread } from './unread.ts'

const FILTERS: Array<{ id: InboxFilter; label: string; empty: string }> = [
  {
    id: 'all',
    label: 'All',
    empty: 'Nothing here yet. Threads that mention you, and open ones on your plans, show up here.',
  },
  { id: 'mentions', label: 'Mentions', empty: 'No comment mentions you.' },
  { id: 'unread', label: 'Unread', empty: 'You have read everything.' },
]

function isFilter(value: string | null): value is InboxFilter {
  return value === 'all' || value === 'mentions' || value === 'unread'
}

/** `/inbox`: threads that mention me or are open on plans I am responsible for, across plans. */
export function InboxPage() {
  const [params] = useSearchParams()
  const raw = params.get('filter')
  const filter: InboxFilter = isFilter(raw) ? raw : 'all'
  const [state, reload] = useApi(['inbox', filter], (signal) => fetchInbox(filter, signal))
  const nameOf = useAuthorNames()
  useEffect(() => {
    document.title = 'Inbox — Lever'
  }, [])
  useEffect(() => {
    if (state.status === 'ready') void refreshUnread()
  }, [state])
  const current = FILTERS.find((f) => f.id === filter) ?? FILTERS[0]

  return (
    <div className="page inbox-page">
      <h1>Inbox</h1>
      <p className="lede">
        Comment threads that mention you, and open threads on the plans you are responsible for, newest first.{' '}
        <Link to="/settings/notifications">Email notifications</Link>
      </p>
      <nav className="segmented" aria-label="Show in the inbox">
        {FILTERS.map((f) => (
          <Link
            key={f.id}
            to={f.id === 'all' ? '/inbox' : `/inbox?filter=${f.id}`}
            className="segmented__item"
            aria-current={f.id === filter ? 'page' : undefined}
          >
            {f.label}
          </Link>
        ))}
      </nav>
      <PendingPanels
        state={state}
        loading="Loading your inbox…"
        failed="Your inbox could not be loaded"
        onRetry={reload}
      />
      {state.status === 'ready' ? (
        <>
          <p className="inbox-page__count" role="status">
            {state.data.items.length === 1 ? '1 thread' : `${state.data.items.length} threads`}
            {state.data.unread > 0 ? `, ${state.data.unread} unread` : ', all read'}
          </p>
          {state.data.items.length === 0 ? (
            <EmptyState>
              <p>{current?.empty}</p>
            </EmptyState>
          ) : (
            <ul className="stack-list" data-testid="inbox">
              {state.data.items.map((item) => (
                <InboxRow
                  nameOf={nameOf}
                  key={`${item.planId}:${item.threadId}`}
                  item={item}
                  onRead={async () => {
                    await markRead(item.planId, item.threadId)
                    reload()
                  }}
                />
              ))}
            </ul>
          )}
        </>
      ) : null}
    </div>
  )
}

function InboxRow({
  item,
  onRead,
  nameOf,
}: {
  item: InboxItem
  onRead: () => void
  /** The name to show for a person (the server's, or the one stored for ids it does not list). */
  nameOf: (id: string, stored: string) => string
}) {
  const headingId = `inbox-${item.planId}-${item.threadId}`
  return (
    <li className={`inbox-item${item.unread ? ' inbox-item--unread' : ''}`} aria-labelledby={headingId}>
      <div className="inbox-item__head">
        <h2 className="inbox-item__title" id={headingId}>
          <Link to={threadLink(item)} onClick={() => void markRead(item.planId, item.threadId)}>
            {item.anchorLabel}
            <span className="inbox-item__plan"> · {item.planTitle}</span>
          </Link>
        </h2>
        {item.unread ? <span className="pill pill--unread">Unread</span> : null}
        {item.mentionsMe ? <span className="pill pill--neutral">Mentions you</span> : null}
        {item.status === 'resolved' ? <span className="pill pill--good">Resolved</span> : null}
        {item.orphaned ? <span className="pill pill--warn">Original text deleted</span> : null}
      </div>
      {item.quote ? <blockquote className="inbox-item__quote">{item.quote}</blockquote> : null}
      {item.excerpt ? <p className="inbox-item__excerpt">{item.excerpt}</p> : null}
      <p className="inbox-item__meta">
        Started by {nameOf(item.authorId, item.authorName)} ·{' '}
        {item.commentCount === 1 ? '1 comment' : `${item.commentCount} comments`} · last by{' '}
        {nameOf(item.lastCommentBy, item.lastCommentByName)}{' '}
        <time dateTime={item.lastCommentAt} title={fullDate(item.lastCommentAt)}>
          {whenText(item.lastCommentAt)}
        </time>
        {item.unread ? (
          <>
            {' '}
            <button type="button" className="link-button inbox-item__read" onClick={onRead}>
              Mark read<span className="visually-hidden">: {item.anchorLabel}</span>
            </button>
          </>
        ) : null}
      </p>
    </li>
  )
}
