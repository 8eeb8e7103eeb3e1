import {
  type CreateEvidenceRequest,
  type CreateResourceLink,
  citationResponseSchema,
  type EditablePlan,
  type EvidenceCitation,
  type EvidenceDetail,
  type EvidenceEntry,
  type EvidenceQuery,
  editablePlansResponseSchema,
  evidenceDetailResponseSchema,
  evidenceEntryResponseSchema,
  evidenceListResponseSchema,
  initiativeFromEvidenceResponseSchema,
  type Resource,
  resourceListResponseSchema,
  resourceResponseSchema,
  resourceSchema,
  type UpdateEvidenceRequest,
  type UpdateResourceRequest,
} from '@lever/shared'
import { ApiRequestError, apiRequest, noContent } from '../api/http.ts'

export async function listEvidence(query: EvidenceQuery = {}, signal?: AbortSignal): Promise<EvidenceEntry[]> {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) if (value) params.set(key, value)
  const search = params.toString()
  return (await apiRequest(`/library/evidence${search ? `?${search}` : ''}`, evidenceListResponseSchema, { signal }))
    .entries
}

export function getEvidence(id: string, signal?: AbortSignal): Promise<EvidenceDetail> {
  return apiRequest(`/library/evidence/${encodeURIComponent(id)}`, evidenceDetailResponseSchema, { signal })
}

const oneEntry = evidenceEntryResponseSchema

export async function createEvidence(body: CreateEvidenceRequest): Promise<EvidenceEntry> {
  return (await apiRequest('/library/evidence', oneEntry, { method: 'POST', body })).entry
}

export async function updateEvidence(id: string, body: UpdateEvidenceRequest): Promise<EvidenceEntry> {
  return (await apiRequest(`/library/evidence/${encodeURIComponent(id)}`, oneEntry, { method: 'PATCH', body })).entry
}

export async function listResources(signal?: AbortSignal): Promise<Resource[]> {
  return (await apiRequest('/library/resources', resourceListResponseSchema, { signal })).resources
}

const oneResource = resourceResponseSchema

export async function addResourceLink(body: CreateResourceLink): Promise<Resource> {
  return (await apiRequest('/library/resources', oneResource, { method: 'POST', body })).resource
}

/** Uploads a file as a resource (multipart form data; the server checks its size and type). */
export async function uploadResource(form: FormData): Promise<Resource> {
  let res: Response
  try {
    res = await fetch('/api/library/resources', { method: 'POST', body: form, credentials: 'same-origin' })
  } catch {
    throw new ApiRequestError(0, 'network', 'Lever’s server cannot be reached. Check your connection and try again.')
  }
  const body = (await res.json().catch(() => null)) as {
    resource?: unknown
    error?: { code: string; message: string; details?: unknown }
  } | null
  if (!res.ok) {
    if (body?.error) throw new ApiRequestError(res.status, body.error.code, body.error.message, body.error.details)
    throw new ApiRequestError(res.status, 'http', `The server answered ${res.status}. Try again in a moment.`)
  }
  const parsed = resourceSchema.safeParse(body?.resource)
  if (!parsed.success) throw new ApiRequestError(res.status, 'bad_response', 'The server sent an unexpected answer.')
  return parsed.data
}

export function deleteResource(id: string): Promise<null> {
  return apiRequest(`/library/resources/${encodeURIComponent(id)}`, noContent, { method: 'DELETE' })
}

export async function listEditablePlans(signal?: AbortSignal): Promise<EditablePlan[]> {
  return (await apiRequest('/library/plans', editablePlansResponseSchema, { signal })).plans
}

export async function citeEntry(planId: string, initiativeId: string, entryId: string): Promise<EvidenceCitation> {
  const path = `/plans/${encodeURIComponent(planId)}/initiatives/${encodeURIComponent(initiativeId)}/citations`
  return (await apiRequest(path, citationResponseSchema, { method: 'POST', body: { entryId } })).citation
}

export function removeCitation(planId: string, initiativeId: string, citationId: string): Promise<null> {
  const path = `/plans/${encodeURIComponent(planId)}/initiatives/${encodeURIComponent(initiativeId)}/citations/${encodeURIComponent(citationId)}`
  return apiRequest(path, noContent, { method: 'DELETE' })
}

export async function startInitiative(planId: string, entryId: string, lever: string): Promise<string> {
  const path = `/plans/${encodeURIComponent(planId)}/initiatives/from-evidence`
  return (await apiRequest(path, initiativeFromEvidenceResponseSchema, { method: 'POST', body: { entryId, lever } }))
    .initiativeId
}

export async function updateResource(id: string, body: UpdateResourceRequest): Promise<Resource> {
  return (await apiRequest(`/library/resources/${encodeURIComponent(id)}`, oneResource, { method: 'PATCH', body }))
    .resource
}
