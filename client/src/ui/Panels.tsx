import type { ReactNode } from 'react'
import { Link } from 'react-router'
import type { ApiRequestError } from '../api/http.ts'
import type { ApiState } from '../api/useApi.ts'

export function LoadingPanel({ children }: { children: ReactNode }) {
  return (
    <div className="panel panel--loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {children}
    </div>
  )
}

export function ErrorPanel({
  title,
  children,
  onRetry,
  level = 1,
}: {
  title: string
  children?: ReactNode
  onRetry?: () => void
  level?: 1 | 2
}) {
  const Heading = level === 1 ? 'h1' : 'h2'
  return (
    <div className="panel panel--error" role="alert">
      <Heading className="panel__title">{title}</Heading>
      {children}
      {onRetry ? (
        <button type="button" className="button" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  )
}

export function EmptyState({ children }: { children: ReactNode }) {
  return <div className="empty-state">{children}</div>
}

/**
 * The page's main thing could not be loaded: when it does not exist (404, or an id that cannot
 * be one) or is not shared with the person (403), say so and offer the way back; otherwise show
 * the server's message and offer to try again.
 */
export function LoadErrorPanel({
  error,
  onRetry,
  failed,
  missing,
  forbidden,
  back,
}: {
  error: ApiRequestError
  onRetry: () => void
  /** The title when loading failed (network, server error). */
  failed: string
  /** The title and what to do when it does not exist. */
  missing?: { title: string; text: string }
  /** The title and what to do when the person may not see it. */
  forbidden?: { title: string; text: string }
  back: { to: string; label: string }
}) {
  const isMissing = missing !== undefined && (error.status === 404 || error.status === 400)
  const isForbidden = forbidden !== undefined && error.status === 403
  return (
    <ErrorPanel
      title={isMissing ? missing.title : isForbidden ? forbidden.title : failed}
      onRetry={isMissing || isForbidden ? undefined : onRetry}
    >
      <p>{isMissing ? missing.text : isForbidden ? forbidden.text : error.message}</p>
      <p>
        <Link to={back.to}>{back.label}</Link>
      </p>
    </ErrorPanel>
  )
}

/** While a page's data loads, a loading panel; when it failed, the server's message and "Try again". */
export function PendingPanels({
  state,
  loading,
  failed,
  onRetry,
}: {
  state: ApiState<unknown>
  loading: string
  /** The heading when loading failed. */
  failed: string
  onRetry: () => void
}) {
  if (state.status === 'loading') return <LoadingPanel>{loading}</LoadingPanel>
  if (state.status === 'error') {
    return (
      <ErrorPanel title={failed} onRetry={onRetry} level={2}>
        <p>{state.error.message}</p>
      </ErrorPanel>
    )
  }
  return null
}
