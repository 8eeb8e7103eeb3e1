import { type ReactNode, useId } from 'react'

/**
 * One chart as the dashboard shows it: an SVG in a `<figure>` with a caption, a text summary
 * (what a screen reader announces for the picture) and the data table beside it, so every
 * number can be read without the picture, on screen and on paper.
 */
export function ChartFigure({
  title,
  summary,
  chart,
  table,
  testId,
}: {
  title: string
  /** One or two sentences saying what the chart shows. */
  summary: string
  /** The SVG (rendered with `role="img"`, labelled by the summary). */
  chart: (labelledBy: string) => ReactNode
  table: ReactNode
  testId?: string
}) {
  const id = useId()
  return (
    <figure className="chart" aria-labelledby={`${id}-caption`} data-testid={testId}>
      <figcaption id={`${id}-caption`} className="chart__caption">
        {title}
      </figcaption>
      <p id={`${id}-summary`} className="chart__summary">
        {summary}
      </p>
      <div className="chart__body">
        <div className="chart__picture">{chart(`${id}-caption ${id}-summary`)}</div>
        {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard */}
        <section className="chart__data table-scroll" aria-label={`${title}: data`} tabIndex={0}>
          {table}
        </section>
      </div>
    </figure>
  )
}
