import type { Jurisdiction, PlanSummary } from '@lever/shared'
import { useQuery } from '@tanstack/react-query'
import { useEffect, useRef, useState } from 'react'
import { useParams } from 'react-router'
import { getPlan } from '../api/lever.ts'
import { useApi } from '../api/useApi.ts'
import { type Identity, useIdentity } from '../app/identity.ts'
import { PlanSession } from '../collab/PlanSession.ts'
import { useOpenSession } from '../collab/sessionHooks.ts'
import { PlanPrintView } from '../export/PrintView.tsx'
import { LoadErrorPanel, LoadingPanel } from '../ui/Panels.tsx'
import { loadOpenPlan, openPlanKey, planJurisdictionQuery } from './openPlanQuery.ts'
import { PlanWorkspace } from './PlanWorkspace.tsx'

/**
 * `/plans/:planId`: loads the plan's summary, then opens its document (`view="print"`: its print
 * view). Its jurisdiction (for the header) is loaded beside the document, not before it.
 */
export function PlanRoute({ view = 'edit' }: { view?: 'edit' | 'print' }) {
  const { planId = '' } = useParams()
  const identity = useIdentity()
  const [accessNow, setAccessNow] = useState<PlanSummary | null>(null)
  const [state, reload] = useApi(openPlanKey(planId), (signal) => loadOpenPlan(planId, signal))
  const jurisdictionId = state.status === 'ready' ? state.data.jurisdictionId : ''
  const jurisdictionQuery = useQuery({ ...planJurisdictionQuery(jurisdictionId), enabled: jurisdictionId !== '' })

  if (state.status === 'loading') return <LoadingPanel>Opening the plan…</LoadingPanel>
  if (state.status === 'error') {
    return (
      <LoadErrorPanel
        error={state.error}
        onRetry={reload}
        failed="The plan could not be opened"
        missing={{ title: 'This plan does not exist', text: 'It may have been deleted, or the link is wrong.' }}
        forbidden={{
          title: 'This plan is not shared with you',
          text: 'Its team has not shared it with the cohort. Ask them or a facilitator for access.',
        }}
        back={{ to: '/cohort', label: 'Go to the cohort’s jurisdictions' }}
      />
    )
  }
  if (!identity) return <LoadingPanel>Checking who you are…</LoadingPanel>
  const plan = accessNow && accessNow.id === state.data.id ? accessNow : state.data
  return (
    <OpenPlan
      // A new access (a facilitator changed a role or an assignment) opens the plan afresh.
      key={`${plan.id}:${plan.access}`}
      plan={plan}
      jurisdiction={jurisdictionQuery.data ?? null}
      jurisdictionLoading={jurisdictionQuery.isPending}
      identity={identity}
      view={view}
      onAccessMayHaveChanged={() => {
        getPlan(planId).then(
          (fresh) => {
            if (fresh.access !== plan.access) setAccessNow(fresh)
          },
          () => {},
        )
      }}
    />
  )
}

function OpenPlan({
  plan,
  jurisdiction,
  jurisdictionLoading,
  identity,
  view,
  onAccessMayHaveChanged,
}: {
  plan: PlanSummary
  jurisdiction: Jurisdiction | null
  /** The jurisdiction is still being asked for (the print view waits for it; the editor does not). */
  jurisdictionLoading: boolean
  identity: Identity
  view: 'edit' | 'print'
  onAccessMayHaveChanged: () => void
}) {
  // One session (doc + provider) per open plan; the name is updated in place, not by reconnecting.
  const session = useOpenSession(
    plan.docName,
    () => new PlanSession(plan.docName, identity, { access: plan.access }),
    identity,
  )
  // The provider reconnects by itself after RoomClosing; only the access is checked here.
  const check = useRef(onAccessMayHaveChanged)
  check.current = onAccessMayHaveChanged
  useEffect(() => session?.onRoomClosing(() => check.current()), [session])
  if (!session) return <LoadingPanel>Opening the plan…</LoadingPanel>
  if (view === 'print' && jurisdictionLoading) return <LoadingPanel>Opening the plan…</LoadingPanel>
  if (view === 'print') return <PlanPrintView session={session} plan={plan} jurisdiction={jurisdiction} />
  return <PlanWorkspace session={session} plan={plan} jurisdiction={jurisdiction} />
}
