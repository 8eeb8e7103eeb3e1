import { type ComponentType, lazy, type ReactNode, Suspense } from 'react'
import type { RouteObject } from 'react-router'
import { ErrorPanel, LoadingPanel } from '../ui/Panels.tsx'

/** What shows when a page's code cannot be fetched: offline, or Lever was updated since the tab opened. */
function PageCodeMissing() {
  return (
    <ErrorPanel title="This page could not be loaded" onRetry={() => window.location.reload()}>
      <p>Lever may have been updated since you opened it, or the connection dropped. Reloading fixes it.</p>
    </ErrorPanel>
  )
}

/** A page that loads its code when first opened (the live pages bring Yjs, the draft page Tiptap). */
function page(load: () => Promise<ComponentType>, loading: ReactNode): ReactNode {
  const Page = lazy(async () => {
    try {
      return { default: await load() }
    } catch {
      return { default: PageCodeMissing }
    }
  })
  return (
    <Suspense fallback={<LoadingPanel>{loading}</LoadingPanel>}>
      <Page />
    </Suspense>
  )
}

/** The routes of cohort sessions: calendar, session form, live room, breakout drafts, follow-up. */
export const sessionRoutes: RouteObject[] = [
  {
    path: 'sessions',
    element: page(async () => (await import('./SessionsPage.tsx')).SessionsPage, 'Loading the calendar…'),
  },
  {
    path: 'sessions/new',
    element: page(async () => (await import('./SessionFormPage.tsx')).SessionFormPage, 'Loading…'),
  },
  {
    path: 'sessions/:sessionId/edit',
    element: page(async () => (await import('./SessionFormPage.tsx')).SessionFormPage, 'Loading…'),
  },
  {
    path: 'sessions/:sessionId/live',
    element: page(async () => (await import('./LiveSessionPage.tsx')).LiveSessionPage, 'Opening the session…'),
  },
  {
    path: 'sessions/:sessionId/follow-up',
    element: page(async () => (await import('./FollowUpPage.tsx')).FollowUpPage, 'Loading the follow-up…'),
  },
  {
    path: 'drafts/:draftId',
    element: page(async () => (await import('./DraftPage.tsx')).DraftPage, 'Opening the breakout room…'),
  },
]
