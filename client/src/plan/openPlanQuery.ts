import type { Jurisdiction, PlanSummary } from '@lever/shared'
import { type QueryClient, queryOptions } from '@tanstack/react-query'
import { getJurisdiction, getPlan } from '../api/lever.ts'

/** The query key of a plan page's summary (a change to plans refreshes it). */
export function openPlanKey(planId: string): readonly ['plans', string] {
  return ['plans', planId]
}

/** The plan's summary: what the person may do with it and its document's name. */
export function loadOpenPlan(planId: string, signal?: AbortSignal): Promise<PlanSummary> {
  return getPlan(planId, signal)
}

/** The query key of the jurisdiction a plan page names (its own record, not its page's data). */
function planJurisdictionKey(jurisdictionId: string): readonly ['jurisdictions', string, 'record'] {
  return ['jurisdictions', jurisdictionId, 'record']
}

/**
 * The plan's jurisdiction, for its header and print view; null when it cannot be read. The plan's
 * document does not wait for it: it is asked for beside the document, not before it.
 */
function loadPlanJurisdiction(jurisdictionId: string, signal?: AbortSignal): Promise<Jurisdiction | null> {
  return getJurisdiction(jurisdictionId, signal).catch(() => null)
}

/** The query of a plan's jurisdiction: the plan page asks it, and the prefetch fills it. */
export function planJurisdictionQuery(jurisdictionId: string) {
  return queryOptions({
    queryKey: planJurisdictionKey(jurisdictionId),
    queryFn: ({ signal }) => loadPlanJurisdiction(jurisdictionId, signal),
  })
}

/**
 * Loads a plan's summary and then its jurisdiction into the cache, before its page asks. It is
 * asked as the app starts, beside who is signed in, so nobody may be: a refusal then is not kept
 * (the page asks again once someone is signed in) and does not count as a session that ended.
 */
export async function prefetchOpenPlan(client: QueryClient, planId: string): Promise<void> {
  let plan: PlanSummary
  try {
    plan = await client.fetchQuery({
      queryKey: openPlanKey(planId),
      queryFn: ({ signal }) => getPlan(planId, signal, true),
    })
  } catch {
    client.removeQueries({
      queryKey: openPlanKey(planId),
      exact: true,
      predicate: (query) => query.getObserversCount() === 0,
    })
    return
  }
  await client.prefetchQuery(planJurisdictionQuery(plan.jurisdictionId))
}
