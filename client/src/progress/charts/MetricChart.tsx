import type { MetricSeries } from '@lever/shared'
import { dayLabel } from '../format.ts'
import { ChartFigure } from './ChartFigure.tsx'
import { SeriesLegend, type TimeSeries, TimeSeriesSvg } from './TimeSeriesSvg.tsx'

const number = (v: number) => v.toLocaleString('en-US', { maximumFractionDigits: 2 })

/** One metric's reported actuals over time against its baseline and target. */
export function MetricChart({ metric }: { metric: MetricSeries }) {
  const series: TimeSeries[] = [
    {
      label: 'Actual',
      color: '#1d4ed8',
      marker: 'circle',
      points: metric.actuals.map((a) => ({ date: a.date, value: a.value })),
    },
  ]
  const references = [
    ...(metric.baseline !== null
      ? [{ label: `Baseline ${number(metric.baseline)}`, value: metric.baseline, dashed: true }]
      : []),
    ...(metric.target !== null ? [{ label: `Target ${number(metric.target)}`, value: metric.target }] : []),
  ]
  const last = metric.actuals.at(-1)
  const summary =
    (last ? `Latest actual ${number(last.value)} on ${dayLabel(last.date)}` : 'No actuals reported yet') +
    (metric.baseline !== null ? `; baseline ${number(metric.baseline)}` : '') +
    (metric.target !== null
      ? `; target ${number(metric.target)}${metric.targetDate ? ` by ${dayLabel(metric.targetDate)}` : ''}`
      : '') +
    '.'
  return (
    <ChartFigure
      title={`${metric.name} (${metric.initiativeTitle})`}
      summary={summary}
      testId="chart-metric"
      chart={(labelledBy) => (
        <>
          <TimeSeriesSvg
            title={metric.name}
            labelledBy={labelledBy}
            series={series}
            references={references}
            markers={metric.targetDate ? [{ label: 'Target date', date: metric.targetDate }] : []}
            format={number}
          />
          <SeriesLegend series={series} />
        </>
      )}
      table={
        <table className="data-table">
          <caption>{metric.name}: actuals</caption>
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">Actual</th>
            </tr>
          </thead>
          <tbody>
            {metric.actuals.length === 0 ? (
              <tr>
                <td colSpan={2}>No actuals reported yet.</td>
              </tr>
            ) : (
              metric.actuals.map((a) => (
                <tr key={`${a.period}-${a.date}`}>
                  <th scope="row">{dayLabel(a.date)}</th>
                  <td>{number(a.value)}</td>
                </tr>
              ))
            )}
            <tr>
              <th scope="row">Baseline</th>
              <td>{metric.baseline === null ? 'not a number' : number(metric.baseline)}</td>
            </tr>
            <tr>
              <th scope="row">Target</th>
              <td>
                {metric.target === null ? 'not a number' : number(metric.target)}
                {metric.targetDate ? ` by ${dayLabel(metric.targetDate)}` : ''}
              </td>
            </tr>
          </tbody>
        </table>
      }
    />
  )
}
