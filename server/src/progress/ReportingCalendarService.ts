import {
  DEFAULT_REPORTING_CALENDAR,
  isPeriodClosed,
  type ReportingCalendar,
  reportingCalendarSchema,
  todayIso,
} from '@lever/shared'
import type { Db } from '../db/queries.ts'

/** How often the cached calendar is read again, for changes made through other servers. */
export const CALENDAR_REFRESH_MS = 5_000

/**
 * The cohort's reporting calendar (monthly by default) and the periods facilitators reopened.
 *
 * The check-in write rule asks, for every change to a check-in on the collaboration path, whether
 * the change's period is closed, synchronously (the update policy cannot wait for a query). So
 * both are kept in memory: read by `load()` before the server accepts connections, read again
 * after every change made through this server, and every few seconds (`startRefreshing`) for
 * changes made through another server sharing the database. `get`, `reopened` and `isClosed`
 * answer from that copy.
 */
export class ReportingCalendarService {
  private calendar: ReportingCalendar = DEFAULT_REPORTING_CALENDAR
  private reopenedPeriods: string[] = []
  /** Refreshes started, and the latest whose result is in the cache (an older one finishing late is dropped). */
  private started = 0
  private applied = 0
  private timer: NodeJS.Timeout | null = null
  /** The read the timer started last (awaited when refreshing stops, so none outlives the database). */
  private polled: Promise<void> = Promise.resolve()

  constructor(private readonly db: Db) {}

  /** Reads the calendar and the reopened periods into memory; await it before serving. */
  load(): Promise<void> {
    return this.refresh()
  }

  /** Reads the calendar and the reopened periods again (both replace the cached copy at once). */
  async refresh(): Promise<void> {
    const mine = ++this.started
    const row = await this.db
      .selectFrom('reporting_calendar')
      .select(['frequency', 'grace_days'])
      .where('id', '=', 1)
      .executeTakeFirst()
    const reopened = await this.db.selectFrom('reporting_reopened').select('period').orderBy('period').execute()
    // A refresh started later read a state at least as new as this one: it wins.
    if (mine < this.applied) return
    this.applied = mine
    const parsed = reportingCalendarSchema.safeParse(
      row ? { frequency: row.frequency, graceDays: row.grace_days } : DEFAULT_REPORTING_CALENDAR,
    )
    this.calendar = parsed.success ? parsed.data : DEFAULT_REPORTING_CALENDAR
    // Sorted here: PostgreSQL's collation may order text otherwise than SQLite's.
    this.reopenedPeriods = reopened.map((r) => r.period).sort()
  }

  /**
   * Reads the calendar again every `everyMs`, so a change made through another server reaches
   * this one. Until it does, this server answers from the copy it has, for at most `everyMs`
   * (plus a query): a facilitator's reopening or closing takes effect here a few seconds later,
   * as it would had the facilitator clicked a few seconds later. That is safe because the write
   * rule asks again for every update: nothing is decided once for a connection or a document, so
   * the first update after the refresh follows the new calendar. Failed reads keep the copy.
   */
  startRefreshing(onError: (error: unknown) => void, everyMs = CALENDAR_REFRESH_MS): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = setInterval(() => {
      this.polled = this.refresh().catch(onError)
    }, everyMs)
    this.timer.unref()
  }

  /** Stops reading on an interval; resolves once a read under way has ended. */
  async stopRefreshing(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    await this.polled
  }

  get(): ReportingCalendar {
    return this.calendar
  }

  async set(calendar: ReportingCalendar, by: string | null): Promise<ReportingCalendar> {
    await this.db
      .insertInto('reporting_calendar')
      .values({
        id: 1,
        frequency: calendar.frequency,
        grace_days: calendar.graceDays,
        updated_by: by,
        updated_at: new Date().toISOString(),
      })
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          frequency: eb.ref('excluded.frequency'),
          grace_days: eb.ref('excluded.grace_days'),
          updated_by: eb.ref('excluded.updated_by'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute()
    await this.refresh()
    return this.get()
  }

  /** Periods a facilitator reopened, oldest first. */
  reopened(): string[] {
    return this.reopenedPeriods
  }

  /** Lets check-ins of a closed period be written again. */
  async reopen(period: string, by: string | null): Promise<void> {
    await this.db
      .insertInto('reporting_reopened')
      .values({ period, reopened_by: by, reopened_at: new Date().toISOString() })
      .onConflict((oc) => oc.column('period').doNothing())
      .execute()
    await this.refresh()
  }

  /** Undoes a reopening: the period follows the calendar again. */
  async close(period: string): Promise<void> {
    await this.db.deleteFrom('reporting_reopened').where('period', '=', period).execute()
    await this.refresh()
  }

  /** Whether check-ins of `period` may no longer be written (from the copy in memory: see the class comment). */
  isClosed(period: string, today = todayIso()): boolean {
    return isPeriodClosed(period, this.calendar, today, this.reopenedPeriods)
  }
}
