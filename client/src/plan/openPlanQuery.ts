import type { Jurisdiction, PlanSummary } from '@lever/shared'
import { getJurisdiction, getPlan } from '../api/lever.ts'

/** What the plan page loads over REST before it opens the plan's document. */
export interface OpenPlanData {
  plan: PlanSummary
  jurisdiction: Jurisdiction | null
}

/** The query key of a plan page's summary (a change to plans refreshes it). */
export function openPlanKey(planId: string): readonly ['plans', string] {
  return ['plans', planId]
}

/** The plan's summary (what the person may do with it, its document's name) and its jurisdiction. */
export async function loadOpenPlan(planId: string, signal?: AbortSignal): Promise<OpenPlanData> {
  const plan = await getPlan(planId, signal)
  const jurisdiction = await getJurisdiction(plan.jurisdictionId, signal).catch(() => null)
  return { plan, jurisdiction }
}
