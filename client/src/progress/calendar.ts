import {
  DEFAULT_REPORTING_CALENDAR,
  describePeriod,
  periodOf,
  type ReportingCalendarResponse,
  recentPeriods,
  todayIso,
} from '@lever/shared'
import { useApi } from '../api/useApi.ts'
import { getReportingCalendar } from './api.ts'

/** The cohort's reporting calendar from the server; `reload()` after a facilitator changes it. */
export function useReportingCalendar() {
  return useApi(['calendar'], getReportingCalendar)
}

/** What the page assumes while the calendar loads or when it cannot be loaded (monthly, default grace). */
export function fallbackCalendar(): ReportingCalendarResponse {
  const today = todayIso()
  const cal = DEFAULT_REPORTING_CALENDAR
  const periods = recentPeriods(cal, today, 12).map((p) => describePeriod(p, cal, today, []))
  return {
    calendar: cal,
    today,
    current: describePeriod(periodOf(today, cal.frequency), cal, today, []),
    periods,
    reopened: [],
  }
}
