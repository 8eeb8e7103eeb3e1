import {
  type CompareResponse,
  compareResponseSchema,
  type RestoreRequest,
  restoreResponseSchema,
  type VersionDetailResponse,
  type VersionSummary,
  versionDetailResponseSchema,
  versionListResponseSchema,
  versionSummarySchema,
} from '@lever/shared'
import { apiRequest, noContent } from '../api/http.ts'

const base = (planId: string) => `/plans/${encodeURIComponent(planId)}/versions`

/** A plan's versions, newest first. */
export async function listVersions(planId: string, signal?: AbortSignal): Promise<VersionSummary[]> {
  return (await apiRequest(base(planId), versionListResponseSchema, { signal })).versions
}

/** Names the plan as it is now. */
export function nameVersion(planId: string, name: string): Promise<VersionSummary> {
  return apiRequest(base(planId), versionSummarySchema, { method: 'POST', body: { name } })
}

export function renameVersion(planId: string, versionId: string, name: string): Promise<VersionSummary> {
  return apiRequest(`${base(planId)}/${encodeURIComponent(versionId)}`, versionSummarySchema, {
    method: 'PATCH',
    body: { name },
  })
}

export function getVersion(planId: string, versionId: string, signal?: AbortSignal): Promise<VersionDetailResponse> {
  return apiRequest(`${base(planId)}/${encodeURIComponent(versionId)}`, versionDetailResponseSchema, { signal })
}

/** Compares a version with the plan now (`current`) or with another version. */
export function compareVersion(
  planId: string,
  versionId: string,
  other: string,
  signal?: AbortSignal,
): Promise<CompareResponse> {
  const query = `?with=${encodeURIComponent(other)}`
  return apiRequest(`${base(planId)}/${encodeURIComponent(versionId)}/compare${query}`, compareResponseSchema, {
    signal,
  })
}

/** Restores a version, or one initiative or section of it; answers the id of the version taken just before. */
export async function restoreVersion(planId: string, versionId: string, request: RestoreRequest = {}): Promise<string> {
  const res = await apiRequest(`${base(planId)}/${encodeURIComponent(versionId)}/restore`, restoreResponseSchema, {
    method: 'POST',
    body: request,
  })
  return res.beforeRestore
}

/** Deletes a version (facilitators only: to make room in a plan's full history). */
export async function deleteVersion(planId: string, versionId: string): Promise<void> {
  await apiRequest(`${base(planId)}/${encodeURIComponent(versionId)}`, noContent, { method: 'DELETE' })
}
