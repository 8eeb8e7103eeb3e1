import {
  DEFAULT_REPORTING_CALENDAR,
  isPeriodClosed,
  type ReportingCalendar,
  reportingCalendarSchema,
  todayIso,
} from '@lever/shared'
import type { Database, Statement } from 'better-sqlite3'
import { preparedStatements } from '../db/preparedStatements.ts'

/**
 * The cohort's reporting calendar (monthly by default) and the periods facilitators reopened,
 * in SQLite. The check-in write rule asks it, for every change to a check-in, whether the
 * change's period is closed, so both answers are cached in memory and refreshed on writes.
 */
export class ReportingCalendarService {
  private readonly sql: (sql: string) => Statement
  private calendarCache: ReportingCalendar | null = null
  private reopenedCache: string[] | null = null

  constructor(db: Database) {
    this.sql = preparedStatements(db)
  }

  get(): ReportingCalendar {
    if (!this.calendarCache) {
      const row = this.sql('SELECT frequency, grace_days FROM reporting_calendar WHERE id = 1').get() as
        | { frequency: string; grace_days: number }
        | undefined
      const parsed = reportingCalendarSchema.safeParse(
        row ? { frequency: row.frequency, graceDays: row.grace_days } : DEFAULT_REPORTING_CALENDAR,
      )
      this.calendarCache = parsed.success ? parsed.data : DEFAULT_REPORTING_CALENDAR
    }
    return this.calendarCache
  }

  set(calendar: ReportingCalendar, by: string | null): ReportingCalendar {
    this.sql(
      `INSERT INTO reporting_calendar (id, frequency, grace_days, updated_by, updated_at) VALUES (1, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET frequency = excluded.frequency, grace_days = excluded.grace_days,
         updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
    ).run(calendar.frequency, calendar.graceDays, by, new Date().toISOString())
    this.calendarCache = null
    return this.get()
  }

  /** Periods a facilitator reopened, oldest first. */
  reopened(): string[] {
    this.reopenedCache ??= (
      this.sql('SELECT period FROM reporting_reopened ORDER BY period').all() as Array<{ period: string }>
    ).map((r) => r.period)
    return this.reopenedCache
  }

  /** Lets check-ins of a closed period be written again. */
  reopen(period: string, by: string | null): void {
    this.sql('INSERT OR IGNORE INTO reporting_reopened (period, reopened_by, reopened_at) VALUES (?, ?, ?)').run(
      period,
      by,
      new Date().toISOString(),
    )
    this.reopenedCache = null
  }

  /** Undoes a reopening: the period follows the calendar again. */
  close(period: string): void {
    this.sql('DELETE FROM reporting_reopened WHERE period = ?').run(period)
    this.reopenedCache = null
  }

  isClosed(period: string, today = todayIso()): boolean {
    return isPeriodClosed(period, this.get(), today, this.reopened())
  }
}
