import { type ReportingFrequency, reportingCalendarSchema } from '@lever/shared'
import { type FormEvent, useEffect, useState } from 'react'
import { announce } from '../ui/announce.ts'
import { setReportingCalendar } from './api.ts'
import { useReportingCalendar } from './calendar.ts'
import { dayLabel } from './format.ts'

/** Facilitators set the cohort's reporting rhythm: monthly or quarterly, and the grace days. */
export function CalendarSettings() {
  const [state, reload] = useReportingCalendar()
  const [frequency, setFrequency] = useState<ReportingFrequency>('monthly')
  const [grace, setGrace] = useState('7')
  const [error, setError] = useState<string | null>(null)
  const [saving, setSaving] = useState(false)
  useEffect(() => {
    if (state.status !== 'ready') return
    setFrequency(state.data.calendar.frequency)
    setGrace(String(state.data.calendar.graceDays))
  }, [state])
  if (state.status !== 'ready') return null
  const current = state.data.current
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault()
    const parsed = reportingCalendarSchema.safeParse({ frequency, graceDays: Number(grace) })
    if (!parsed.success || grace.trim() === '') {
      setError('Grace days must be a whole number from 0 to 60.')
      return
    }
    setSaving(true)
    setError(null)
    try {
      await setReportingCalendar(parsed.data)
      reload()
      announce('Reporting calendar saved.')
    } catch (err) {
      setError((err as Error).message)
    } finally {
      setSaving(false)
    }
  }
  return (
    <details className="calendar-settings">
      <summary>
        Reporting calendar: {state.data.calendar.frequency}, current period {current.label}, due{' '}
        {dayLabel(current.dueDate)}
      </summary>
      <form onSubmit={onSubmit} className="filters" aria-label="Reporting calendar">
        <div className="field">
          <label htmlFor="calendar-frequency">Check-ins are written</label>
          <select
            id="calendar-frequency"
            value={frequency}
            onChange={(e) => setFrequency(e.target.value as ReportingFrequency)}
          >
            <option value="monthly">Monthly</option>
            <option value="quarterly">Quarterly</option>
          </select>
        </div>
        <div className={`field${error ? ' field--invalid' : ''}`}>
          <label htmlFor="calendar-grace">Days a period stays open after it ends</label>
          <input
            id="calendar-grace"
            type="number"
            min={0}
            max={60}
            value={grace}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'calendar-grace-error' : undefined}
            onChange={(e) => setGrace(e.target.value)}
          />
          {error ? (
            <p className="field-error" id="calendar-grace-error">
              {error}
            </p>
          ) : null}
        </div>
        <button type="submit" className="button button--primary" disabled={saving}>
          Save the calendar
        </button>
      </form>
    </details>
  )
}
