import {
  type BorrowCounts,
  type BorrowRequest,
  borrowCountsResponseSchema,
  type CreateTemplateRequest,
  type PlanSummary,
  planSummarySchema,
  type TemplateSummary,
  templateListResponseSchema,
  templateSummarySchema,
} from '@lever/shared'
import { apiRequest, type ResponseSchema } from '../api/http.ts'

/** Typed calls for templates and for copying initiatives between plans. */

export async function listTemplates(signal?: AbortSignal): Promise<TemplateSummary[]> {
  return (await apiRequest('/templates', templateListResponseSchema, { signal })).templates
}

export async function getTemplate(id: string, signal?: AbortSignal): Promise<TemplateSummary> {
  return apiRequest(`/templates/${encodeURIComponent(id)}`, templateSummarySchema, { signal })
}

export async function createTemplate(body: CreateTemplateRequest): Promise<TemplateSummary> {
  return apiRequest('/templates', templateSummarySchema, { method: 'POST', body })
}

export async function startPlanFromTemplate(
  templateId: string,
  body: { jurisdictionId: string; title: string },
): Promise<PlanSummary> {
  return apiRequest(`/templates/${encodeURIComponent(templateId)}/instantiate`, planSummarySchema, {
    method: 'POST',
    body,
  })
}

const addedSchema: ResponseSchema<{ initiativeId: string }> = {
  safeParse(value: unknown) {
    const id = (value as { initiativeId?: unknown } | null)?.initiativeId
    return typeof id === 'string' ? { success: true, data: { initiativeId: id } } : { success: false }
  },
}

export async function addInitiativeFromTemplate(
  planId: string,
  body: { templateId: string; lever: string },
): Promise<{ initiativeId: string }> {
  return apiRequest(`/plans/${encodeURIComponent(planId)}/initiatives/from-template`, addedSchema, {
    method: 'POST',
    body,
  })
}

export async function borrowInitiative(targetPlanId: string, body: BorrowRequest): Promise<{ initiativeId: string }> {
  return apiRequest(`/plans/${encodeURIComponent(targetPlanId)}/borrow`, addedSchema, { method: 'POST', body })
}

export async function borrowCounts(planId: string, signal?: AbortSignal): Promise<BorrowCounts> {
  return (await apiRequest(`/plans/${encodeURIComponent(planId)}/borrows`, borrowCountsResponseSchema, { signal }))
    .initiatives
}
