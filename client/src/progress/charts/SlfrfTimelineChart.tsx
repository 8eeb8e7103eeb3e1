import type { DashboardFigures } from '@lever/shared'
import { dayLabel, dollars } from '../format.ts'
import { ChartFigure } from './ChartFigure.tsx'
import { SeriesLegend, type TimeSeries, TimeSeriesSvg } from './TimeSeriesSvg.tsx'

/** SLFRF obligated and spent over the check-ins, against the budget and Treasury's two deadlines. */
export function SlfrfTimelineChart({
  points,
  budget,
  deadlines,
}: {
  points: DashboardFigures['slfrfOverTime']
  budget: number
  deadlines: DashboardFigures['deadlines']
}) {
  const series: TimeSeries[] = [
    {
      label: 'Obligated',
      color: '#0e7490',
      dashed: true,
      marker: 'square',
      points: points.map((p) => ({ date: p.date, value: p.obligated })),
    },
    {
      label: 'Spent',
      color: '#7c3aed',
      marker: 'circle',
      points: points.map((p) => ({ date: p.date, value: p.spent })),
    },
  ]
  const last = points.at(-1)
  const summary =
    (budget > 0 ? `SLFRF budget ${dollars(budget)}. ` : 'No SLFRF budget. ') +
    (last
      ? `As of ${dayLabel(last.date)}: ${dollars(last.obligated)} obligated, ${dollars(last.spent)} spent. `
      : 'No check-in has reported SLFRF amounts yet. ') +
    `Funds must be obligated by ${dayLabel(deadlines.obligateBy)} and spent by ${dayLabel(deadlines.spendBy)}.`
  return (
    <ChartFigure
      title="SLFRF obligated and spent against the deadlines"
      summary={summary}
      testId="chart-slfrf"
      chart={(labelledBy) => (
        <>
          <TimeSeriesSvg
            title="SLFRF obligated and spent against the deadlines"
            labelledBy={labelledBy}
            series={series}
            references={budget > 0 ? [{ label: `Budget ${dollars(budget)}`, value: budget }] : []}
            markers={[
              { label: `Obligate by ${dayLabel(deadlines.obligateBy)}`, date: deadlines.obligateBy },
              { label: `Spend by ${dayLabel(deadlines.spendBy)}`, date: deadlines.spendBy },
            ]}
            format={dollars}
          />
          <SeriesLegend series={series} />
        </>
      )}
      table={
        <table className="data-table">
          <caption>SLFRF as of each reporting period (US dollars)</caption>
          <thead>
            <tr>
              <th scope="col">As of</th>
              <th scope="col">Obligated</th>
              <th scope="col">Spent</th>
            </tr>
          </thead>
          <tbody>
            {points.length === 0 ? (
              <tr>
                <td colSpan={3}>No check-ins with SLFRF amounts yet.</td>
              </tr>
            ) : (
              points.map((p) => (
                <tr key={p.period}>
                  <th scope="row">{dayLabel(p.date)}</th>
                  <td>{dollars(p.obligated)}</td>
                  <td>{dollars(p.spent)}</td>
                </tr>
              ))
            )}
            <tr>
              <th scope="row">Budget</th>
              <td colSpan={2}>{dollars(budget)}</td>
            </tr>
          </tbody>
        </table>
      }
    />
  )
}
