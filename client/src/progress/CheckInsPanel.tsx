import { CheckInsModel, emptyCheckIn, type ReportingPeriod } from '@lever/shared'
import { useState } from 'react'
import { useIdentity } from '../app/identity.ts'
import { usePlanSession, usePlanVersion } from '../plan/PlanContext.tsx'
import { announce } from '../ui/announce.ts'
import { ReadOnlyContext, useReadOnly } from '../ui/readOnly.ts'
import { setPeriodOpen } from './api.ts'
import { CheckInCard } from './CheckInCard.tsx'
import { fallbackCalendar, useReportingCalendar } from './calendar.ts'
import { dayLabel, dueLabel } from './format.ts'
import './progress.css'

/**
 * The Progress tab: each initiative's check-in for a reporting period. Check-ins are part of the
 * plan document (co-edited, offline, versioned); a closed period is read-only here and refused
 * by the server, until a facilitator reopens it.
 */
export function CheckInsPanel() {
  const session = usePlanSession()
  usePlanVersion()
  const identity = useIdentity()
  const planReadOnly = useReadOnly()
  const [calendarState, reloadCalendar] = useReportingCalendar()
  const calendar = calendarState.status === 'ready' ? calendarState.data : fallbackCalendar()
  const [chosen, setChosen] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const period: ReportingPeriod = calendar.periods.find((p) => p.id === chosen) ?? calendar.current
  const isCurrent = period.id === calendar.current.id
  const closed = period.closed
  const facilitator = identity?.user.role === 'facilitator'
  const checkIns = new CheckInsModel(session.doc)
  const levers = new Map(session.model.leverList().map((l) => [l.id, l.label]))
  const initiatives = session.model.initiatives()
  const ofPeriod = new Map(
    checkIns
      .list()
      .filter((c) => c.period === period.id)
      .map((c) => [c.initiativeId, c]),
  )
  const checkInOf = (id: string) => ofPeriod.get(id) ?? emptyCheckIn(period.id, id)
  const done = initiatives.filter((i) => checkInOf(i.id).status !== null).length

  const toggle = async (open: boolean) => {
    setBusy(true)
    setError(null)
    try {
      await setPeriodOpen(period.id, open)
      reloadCalendar()
      announce(open ? `${period.label} reopened.` : `${period.label} closed.`)
    } catch (e) {
      setError((e as Error).message)
    } finally {
      setBusy(false)
    }
  }

  return (
    <section className="checkins" aria-labelledby="checkins-heading" data-testid="check-ins">
      <h2 id="checkins-heading" tabIndex={-1}>
        Progress check-ins
      </h2>
      <div className="checkins__bar">
        <div className="field">
          <label htmlFor="checkins-period">Reporting period</label>
          <select id="checkins-period" value={period.id} onChange={(e) => setChosen(e.target.value)}>
            {calendar.periods.map((p) => (
              <option key={p.id} value={p.id}>
                {p.label}
                {p.closed ? ' (closed)' : p.id === calendar.current.id ? ' (current)' : ''}
              </option>
            ))}
          </select>
        </div>
        <p role="status" className="checkins__summary" data-testid="check-ins-summary">
          {done} of {initiatives.length} checked in ·{' '}
          {closed
            ? `closed after ${dayLabel(period.closesAfter)}`
            : `due ${dueLabel(period.dueDate, calendar.today)}${period.reopened ? ' (reopened)' : ''}`}
        </p>
        {facilitator && (closed || period.reopened) ? (
          <button type="button" className="button" disabled={busy} onClick={() => toggle(closed)}>
            {closed ? `Reopen ${period.label}` : `Close ${period.label} again`}
          </button>
        ) : null}
      </div>
      {error ? <p className="field-error">{error}</p> : null}
      {closed ? (
        <p className="notice" data-testid="period-closed">
          <span aria-hidden="true">🔒 </span>
          {period.label} is closed: its check-ins are read-only. {facilitator ? '' : 'A facilitator can reopen it.'}
        </p>
      ) : null}
      {initiatives.length === 0 ? (
        <p>No initiatives yet: add initiatives to the plan's levers, then check in on them here.</p>
      ) : (
        <ReadOnlyContext.Provider value={planReadOnly || closed}>
          <ul className="checkins__list">
            {initiatives.map((initiative) => (
              <CheckInCard
                key={`${period.id}-${initiative.id}`}
                initiative={initiative}
                leverLabel={levers.get(initiative.lever) ?? initiative.lever}
                checkIn={checkInOf(initiative.id)}
                periodLabel={period.label}
                target={{
                  session,
                  period: period.id,
                  isCurrent,
                  initiativeId: initiative.id,
                  by: identity?.userId ?? '',
                }}
              />
            ))}
          </ul>
        </ReadOnlyContext.Provider>
      )}
    </section>
  )
}
