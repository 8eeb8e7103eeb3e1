import {
  type HomeResponse,
  homeResponseSchema,
  type Jurisdiction,
  jurisdictionListResponseSchema,
  jurisdictionResponseSchema,
  type PlanSummary,
  planListResponseSchema,
  planSummarySchema,
} from '@lever/shared'
import { apiRequest } from './http.ts'

/** Typed calls to Lever's REST API (shapes from @lever/shared). */

export async function listJurisdictions(signal?: AbortSignal): Promise<Jurisdiction[]> {
  return (await apiRequest('/jurisdictions', jurisdictionListResponseSchema, { signal })).jurisdictions
}

export async function getJurisdiction(id: string, signal?: AbortSignal): Promise<Jurisdiction> {
  return (await apiRequest(`/jurisdictions/${encodeURIComponent(id)}`, jurisdictionResponseSchema, { signal }))
    .jurisdiction
}

export async function listPlans(jurisdictionId: string, signal?: AbortSignal): Promise<PlanSummary[]> {
  return (
    await apiRequest(`/jurisdictions/${encodeURIComponent(jurisdictionId)}/plans`, planListResponseSchema, { signal })
  ).plans
}

export async function createPlan(jurisdictionId: string, title: string): Promise<PlanSummary> {
  return apiRequest(`/jurisdictions/${encodeURIComponent(jurisdictionId)}/plans`, planSummarySchema, {
    method: 'POST',
    body: { title },
  })
}

export async function getPlan(id: string, signal?: AbortSignal, beforeSignIn = false): Promise<PlanSummary> {
  return apiRequest(`/plans/${encodeURIComponent(id)}`, planSummarySchema, { signal, beforeSignIn })
}

/** What the signed-in person lands on: their plans and what needs them (`GET /api/home`). */
export async function getHome(signal?: AbortSignal): Promise<HomeResponse> {
  return apiRequest('/home', homeResponseSchema, { signal })
}
