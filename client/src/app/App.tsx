import { DocKind, docNameFor } from '@lever/shared'
import { lazy, Suspense } from 'react'
import { createBrowserRouter, RouterProvider } from 'react-router'
import { queryClient } from '../api/queryClient.ts'
import { openEarlySocket } from '../collab/earlySocket.ts'
import { prefetchOpenPlan } from '../plan/openPlanQuery.ts'
import { sessionRoutes } from '../sessions/routes.tsx'
import { LoadingPanel } from '../ui/Panels.tsx'
import { CohortPage } from './CohortPage.tsx'
import { HomePage } from './HomePage.tsx'
import { InvitePage } from './InvitePage.tsx'
import { loadAuth } from './identity.ts'
import { JurisdictionPage } from './JurisdictionPage.tsx'
import { lazyPage } from './lazyPage.tsx'
import { NotFoundPage } from './NotFoundPage.tsx'
import { Shell } from './Shell.tsx'
import { SignInPage } from './SignInPage.tsx'
import { UnsubscribePage } from './UnsubscribePage.tsx'

// The cohort overview (tables, heatmap) loads when it is opened.
const CohortOverviewPage = lazy(() =>
  import('../progress/CohortOverviewPage.tsx').then((m) => ({ default: m.CohortOverviewPage })),
)
// The plan editor (Tiptap, Yjs) loads only when a plan is opened.
const loadPlanRoute = () => import('../plan/PlanRoute.tsx')
const PlanRoute = lazy(() => loadPlanRoute().then((m) => ({ default: m.PlanRoute })))
// A template opens in the plan editor, loaded the same way.
const TemplateRoute = lazy(() => import('../templates/TemplateRoute.tsx').then((m) => ({ default: m.TemplateRoute })))

// Who is signed in is asked as the app starts, not after its first render. A plan opened from a
// link or a reload loads its code meanwhile, its document over its own connection, and its
// summary beside who is signed in: each waited on the one before.
void loadAuth()
const openedPlanId = /^\/plans\/([A-Za-z0-9_-]+)(\/print)?\/?$/.exec(window.location.pathname)?.[1]
if (openedPlanId) {
  openEarlySocket(docNameFor(DocKind.Plan, openedPlanId))
  loadPlanRoute().catch(() => {})
  prefetchOpenPlan(queryClient, openedPlanId).catch(() => {})
}

const router = createBrowserRouter([
  {
    element: <Shell />,
    children: [
      { index: true, element: <HomePage /> },
      { path: 'cohort', element: <CohortPage /> },
      { path: 'jurisdictions/:jurisdictionId', element: <JurisdictionPage /> },
      {
        path: 'plans/:planId',
        element: (
          <Suspense fallback={<LoadingPanel>Opening the plan…</LoadingPanel>}>
            <PlanRoute />
          </Suspense>
        ),
      },
      {
        path: 'overview',
        element: (
          <Suspense fallback={<LoadingPanel>Loading the overview…</LoadingPanel>}>
            <CohortOverviewPage />
          </Suspense>
        ),
      },
      {
        path: 'plans/:planId/print',
        element: (
          <Suspense fallback={<LoadingPanel>Opening the print view…</LoadingPanel>}>
            <PlanRoute view="print" />
          </Suspense>
        ),
      },
      ...sessionRoutes,
      {
        path: 'templates',
        element: lazyPage(
          async () => (await import('../templates/TemplatesPage.tsx')).TemplatesPage,
          'Loading the templates…',
        ),
      },
      {
        path: 'templates/:templateId',
        element: (
          <Suspense fallback={<LoadingPanel>Opening the template…</LoadingPanel>}>
            <TemplateRoute />
          </Suspense>
        ),
      },
      {
        path: 'coaching',
        element: lazyPage(
          async () => (await import('../coaching/CoachingPage.tsx')).CoachingPage,
          'Loading the coaching log…',
        ),
      },
      {
        path: 'library',
        element: lazyPage(
          async () => (await import('../library/LibraryLayout.tsx')).LibraryLayout,
          'Loading the library…',
        ),
        children: [
          {
            index: true,
            element: lazyPage(
              async () => (await import('../library/EvidencePage.tsx')).EvidencePage,
              'Loading the evidence…',
            ),
          },
          {
            path: 'evidence/:entryId',
            element: lazyPage(
              async () => (await import('../library/EvidenceEntryPage.tsx')).EvidenceEntryPage,
              'Loading the entry…',
            ),
          },
          {
            path: 'resources',
            element: lazyPage(
              async () => (await import('../library/ResourcesPage.tsx')).ResourcesPage,
              'Loading the resources…',
            ),
          },
        ],
      },
      {
        path: 'inbox',
        element: lazyPage(async () => (await import('../inbox/InboxPage.tsx')).InboxPage, 'Loading your inbox…'),
      },
      {
        path: 'people',
        element: lazyPage(async () => (await import('../people/PeoplePage.tsx')).PeoplePage, 'Loading people…'),
      },
      {
        path: 'settings/notifications',
        element: lazyPage(
          async () => (await import('./NotificationSettingsPage.tsx')).NotificationSettingsPage,
          'Loading your settings…',
        ),
      },
      { path: 'unsubscribe/:token', element: <UnsubscribePage /> },
      { path: 'sign-in', element: <SignInPage /> },
      { path: 'invite/:token', element: <InvitePage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
])

/** Routes: home (by role) and the cohort (jurisdictions) → a jurisdiction (its plans) → a plan. */
export function App() {
  return <RouterProvider router={router} />
}
