import { dashboardFigures, progressInputOf } from '@lever/shared'
import { useMemo } from 'react'
import { usePlanSession, usePlanVersion } from '../plan/PlanContext.tsx'
import { fallbackCalendar, useReportingCalendar } from './calendar.ts'
import { FundingBySourceChart } from './charts/FundingBySourceChart.tsx'
import { HeatmapTable } from './charts/HeatmapTable.tsx'
import { MetricChart } from './charts/MetricChart.tsx'
import { SlfrfTimelineChart } from './charts/SlfrfTimelineChart.tsx'
import { StatusByLeverChart } from './charts/StatusByLeverChart.tsx'
import { dayLabel } from './format.ts'
import './progress.css'

/**
 * The plan's dashboard tab: status by lever, funding against budget and the SLFRF deadlines,
 * metric actuals over time, coverage, overdue milestones. Computed live from the open document
 * with the same functions the server's projection uses.
 */
export function PlanDashboard() {
  const session = usePlanSession()
  const version = usePlanVersion()
  const [calendarState] = useReportingCalendar()
  const calendar = calendarState.status === 'ready' ? calendarState.data : fallbackCalendar()
  const period = calendar.current.id
  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` is what says the plan changed
  const figures = useMemo(() => {
    const input = progressInputOf(session.doc)
    return dashboardFigures(input.plan, input.checkIns, { period, today: calendar.today })
  }, [session, version, period, calendar.today])
  const f = figures.figures
  const total = Object.values(f.initiatives).reduce((a, b) => a + b, 0)
  return (
    <div className="dashboard" data-testid="plan-dashboard">
      <h2 id="dashboard-heading" tabIndex={-1}>
        Dashboard
      </h2>
      <p className="lede">
        {total} initiative{total === 1 ? '' : 's'} · {f.warnings} warning{f.warnings === 1 ? '' : 's'} · check-ins for{' '}
        {calendar.current.label}: {f.checkIns.done} of {f.checkIns.due} done ·{' '}
        <button type="button" className="link-button" onClick={() => window.print()}>
          Print the dashboard
        </button>
      </p>
      <div className="dashboard__grid">
        <StatusByLeverChart levers={figures.statusByLever} />
        <FundingBySourceChart sources={figures.fundingBySource} />
        <SlfrfTimelineChart points={figures.slfrfOverTime} budget={figures.slfrfBudget} deadlines={figures.deadlines} />
      </div>
      <section aria-labelledby="dashboard-metrics">
        <h3 id="dashboard-metrics">Metrics: actuals against baseline and target</h3>
        {figures.metrics.length === 0 ? (
          <p>No metrics yet. Add metrics to initiatives, then report actuals in the Progress tab.</p>
        ) : (
          <div className="dashboard__grid">
            {figures.metrics.map((m) => (
              <MetricChart key={`${m.initiativeId}-${m.metricId}`} metric={m} />
            ))}
          </div>
        )}
      </section>
      <section aria-labelledby="dashboard-coverage">
        <h3 id="dashboard-coverage">Coverage of job quality</h3>
        {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard */}
        <section className="table-scroll" aria-label="Coverage by lever and component" tabIndex={0}>
          <HeatmapTable
            caption="Initiatives by lever and component of job quality"
            rowHeader="Lever"
            columns={figures.coverage.components}
            rows={figures.coverage.levers.map((l) => ({
              id: l.id,
              label: l.label,
              cells: figures.coverage.counts[l.id] ?? {},
            }))}
            testId="dashboard-coverage"
          />
        </section>
      </section>
      <section aria-labelledby="dashboard-overdue">
        <h3 id="dashboard-overdue">Overdue milestones</h3>
        {figures.overdueMilestones.length === 0 ? (
          <p data-testid="overdue-none">No milestone is overdue.</p>
        ) : (
          <table className="data-table" data-testid="overdue-milestones">
            <caption className="visually-hidden">Milestones past their due date and not done</caption>
            <thead>
              <tr>
                <th scope="col">Milestone</th>
                <th scope="col">Initiative</th>
                <th scope="col">Was due</th>
              </tr>
            </thead>
            <tbody>
              {figures.overdueMilestones.map((m) => (
                <tr key={m.milestoneId}>
                  <th scope="row">
                    <span aria-hidden="true">⚠ </span>
                    {m.title}
                  </th>
                  <td>{m.initiativeTitle}</td>
                  <td>{dayLabel(m.dueDate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  )
}
