import type { RouteObject } from 'react-router'
import { lazyPage as page } from '../app/lazyPage.tsx'

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
