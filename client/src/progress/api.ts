import {
  type CheckInsDueResponse,
  type CohortOverviewResponse,
  checkInsDueResponseSchema,
  cohortOverviewResponseSchema,
  type ReportingCalendar,
  type ReportingCalendarResponse,
  reportingCalendarResponseSchema,
} from '@lever/shared'
import { apiRequest } from '../api/http.ts'

/** Typed calls to the progress API (`/api/cohort/...`). */

export function getCohortOverview(signal?: AbortSignal): Promise<CohortOverviewResponse> {
  return apiRequest('/cohort/overview', cohortOverviewResponseSchema, { signal })
}

export function getReportingCalendar(signal?: AbortSignal): Promise<ReportingCalendarResponse> {
  return apiRequest('/cohort/calendar', reportingCalendarResponseSchema, { signal })
}

export function setReportingCalendar(calendar: ReportingCalendar): Promise<ReportingCalendarResponse> {
  return apiRequest('/cohort/calendar', reportingCalendarResponseSchema, { method: 'PUT', body: calendar })
}

/** Reopens (or closes again) a reporting period; facilitators only. */
export function setPeriodOpen(period: string, open: boolean): Promise<ReportingCalendarResponse> {
  return apiRequest(
    `/cohort/periods/${encodeURIComponent(period)}/${open ? 'reopen' : 'close'}`,
    reportingCalendarResponseSchema,
    { method: 'POST' },
  )
}

export function getCheckInsDue(signal?: AbortSignal): Promise<CheckInsDueResponse> {
  return apiRequest('/cohort/check-ins/due', checkInsDueResponseSchema, { signal })
}
