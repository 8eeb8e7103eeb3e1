import type { ReactNode } from 'react'

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
