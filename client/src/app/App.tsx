import { lazy, Suspense } from 'react'
import { createBrowserRouter, RouterProvider } from 'react-router'
import { CoachingPage } from '../coaching/CoachingPage.tsx'
import { InboxPage } from '../inbox/InboxPage.tsx'
import { EvidenceEntryPage } from '../library/EvidenceEntryPage.tsx'
import { EvidencePage } from '../library/EvidencePage.tsx'
import { LibraryLayout } from '../library/LibraryLayout.tsx'
import { ResourcesPage } from '../library/ResourcesPage.tsx'
import { PeoplePage } from '../people/PeoplePage.tsx'
import { sessionRoutes } from '../sessions/routes.tsx'
import { TemplatesPage } from '../templates/TemplatesPage.tsx'
import { LoadingPanel } from '../ui/Panels.tsx'
import { CohortPage } from './CohortPage.tsx'
import { HomePage } from './HomePage.tsx'
import { InvitePage } from './InvitePage.tsx'
import { JurisdictionPage } from './JurisdictionPage.tsx'
import { NotFoundPage } from './NotFoundPage.tsx'
import { NotificationSettingsPage } from './NotificationSettingsPage.tsx'
import { Shell } from './Shell.tsx'
import { SignInPage } from './SignInPage.tsx'
import { UnsubscribePage } from './UnsubscribePage.tsx'

// The cohort overview (tables, heatmap) loads when it is opened.
const CohortOverviewPage = lazy(() =>
  import('../progress/CohortOverviewPage.tsx').then((m) => ({ default: m.CohortOverviewPage })),
)
// The plan editor (Tiptap, Yjs) loads only when a plan is opened.
const PlanRoute = lazy(() => import('../plan/PlanRoute.tsx').then((m) => ({ default: m.PlanRoute })))
// A template opens in the plan editor, loaded the same way.
const TemplateRoute = lazy(() => import('../templates/TemplateRoute.tsx').then((m) => ({ default: m.TemplateRoute })))

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
      { path: 'templates', element: <TemplatesPage /> },
      {
        path: 'templates/:templateId',
        element: (
          <Suspense fallback={<LoadingPanel>Opening the template…</LoadingPanel>}>
            <TemplateRoute />
          </Suspense>
        ),
      },
      { path: 'coaching', element: <CoachingPage /> },
      {
        path: 'library',
        element: <LibraryLayout />,
        children: [
          { index: true, element: <EvidencePage /> },
          { path: 'evidence/:entryId', element: <EvidenceEntryPage /> },
          { path: 'resources', element: <ResourcesPage /> },
        ],
      },
      { path: 'inbox', element: <InboxPage /> },
      { path: 'people', element: <PeoplePage /> },
      { path: 'settings/notifications', element: <NotificationSettingsPage /> },
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
