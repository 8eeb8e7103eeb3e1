import type { Jurisdiction, PlanSummary } from '@lever/shared'
import { useEffect, useRef, useState } from 'react'
import { Link, useParams } from 'react-router'
import { getJurisdiction, getPlan } from '../api/lever.ts'
import { useApi } from '../api/useApi.ts'
import { type Identity, useIdentity } from '../app/identity.ts'
import { PlanSession } from '../collab/PlanSession.ts'
import { useOpenSession } from '../collab/sessionHooks.ts'
import { ErrorPanel, LoadingPanel } from '../ui/Panels.tsx'
import { PlanWorkspace } from './PlanWorkspace.tsx'

/** `/plans/:planId`: loads the plan's summary, then opens its document. */
export function PlanRoute() {
  const { planId = '' } = useParams()
  const identity = useIdentity()
  const [accessNow, setAccessNow] = useState<PlanSummary | null>(null)
  const [state, reload] = useApi(planId, async (signal) => {
    const plan = await getPlan(planId, signal)
    const jurisdiction = await getJurisdiction(plan.jurisdictionId, signal).catch(() => null)
    return { plan, jurisdiction }
  })

  if (state.status === 'loading') return <LoadingPanel>Opening the plan…</LoadingPanel>
  if (state.status === 'error') {
    const missing = state.error.status === 404 || state.error.status === 400
    const forbidden = state.error.status === 403
    return (
      <ErrorPanel
        title={
          missing
            ? 'This plan does not exist'
            : forbidden
              ? 'This plan is not shared with you'
              : 'The plan could not be opened'
        }
        onRetry={missing || forbidden ? undefined : reload}
      >
        <p>{missing ? 'It may have been deleted, or the link is wrong.' : state.error.message}</p>
        <p>
          <Link to="/">Go to the cohort’s jurisdictions</Link>
        </p>
      </ErrorPanel>
    )
  }
  if (!identity) return <LoadingPanel>Checking who you are…</LoadingPanel>
  const plan = accessNow && accessNow.id === state.data.plan.id ? accessNow : state.data.plan
  return (
    <OpenPlan
      // A new access (a facilitator changed a role or an assignment) opens the plan afresh.
      key={`${plan.id}:${plan.access}`}
      plan={plan}
      jurisdiction={state.data.jurisdiction}
      identity={identity}
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
  identity,
  onAccessMayHaveChanged,
}: {
  plan: PlanSummary
  jurisdiction: Jurisdiction | null
  identity: Identity
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
  return <PlanWorkspace session={session} plan={plan} jurisdiction={jurisdiction} />
}
