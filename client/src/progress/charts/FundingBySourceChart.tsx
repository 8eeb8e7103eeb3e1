import type { SourceFunding } from '@lever/shared'
import { AxisBottom, AxisLeft } from '@visx/axis'
import { Group } from '@visx/group'
import { PatternLines } from '@visx/pattern'
import { scaleBand, scaleLinear } from '@visx/scale'
import { Bar } from '@visx/shape'
import { useId } from 'react'
import { dollars } from '../format.ts'
import { ChartFigure } from './ChartFigure.tsx'

const WIDTH = 520
const MARGIN = { top: 8, right: 90, bottom: 34, left: 120 }
const GROUP = 66
const KINDS = [
  { key: 'budgeted', label: 'Budgeted', fill: '#ffffff', stroke: '#1f2937' },
  { key: 'obligated', label: 'Obligated', fill: 'hatch', stroke: '#0e7490' },
  { key: 'spent', label: 'Spent', fill: '#0e7490', stroke: '#0e7490' },
] as const

const SHORT: Record<string, string> = {
  slfrf: 'SLFRF',
  iija: 'IIJA',
  local: 'Local or state',
  other: 'Other',
  unspecified: 'Not set',
}

/** Each funding source's budget, with what is obligated and spent against it. */
export function FundingBySourceChart({ sources }: { sources: SourceFunding[] }) {
  const hatch = `hatch${useId().replace(/[^a-zA-Z0-9]/g, '')}`
  const shown = sources.filter((s) => s.budgeted + s.obligated + s.spent > 0)
  const height = MARGIN.top + MARGIN.bottom + Math.max(1, shown.length) * GROUP
  const max = Math.max(1, ...shown.flatMap((s) => [s.budgeted, s.obligated, s.spent]))
  const x = scaleLinear<number>({ domain: [0, max], range: [0, WIDTH - MARGIN.left - MARGIN.right], nice: true })
  const y = scaleBand<string>({
    domain: shown.map((s) => s.source),
    range: [0, height - MARGIN.top - MARGIN.bottom],
    padding: 0.15,
  })
  const inner = scaleBand<string>({ domain: KINDS.map((k) => k.key), range: [0, y.bandwidth()], padding: 0.1 })
  const summary =
    shown.length === 0
      ? 'No funding lines with amounts yet.'
      : `${shown
          .map(
            (s) =>
              `${SHORT[s.source] ?? s.label}: ${dollars(s.budgeted)} budgeted, ${dollars(s.obligated)} obligated, ${dollars(s.spent)} spent`,
          )
          .join('; ')}.`
  return (
    <ChartFigure
      title="Funding by source against budget"
      summary={summary}
      testId="chart-funding"
      chart={(labelledBy) => (
        <>
          <svg viewBox={`0 0 ${WIDTH} ${height}`} className="chart__svg" role="img" aria-labelledby={labelledBy}>
            <title>Funding by source against budget</title>
            <defs>
              <PatternLines
                id={hatch}
                height={6}
                width={6}
                stroke="#0e7490"
                strokeWidth={2}
                orientation={['diagonal']}
                background="#cffafe"
              />
            </defs>
            <Group left={MARGIN.left} top={MARGIN.top}>
              {shown.map((s) => (
                <Group key={s.source} top={y(s.source) ?? 0}>
                  {KINDS.map((k) => {
                    const value = s[k.key]
                    const w = x(value)
                    const top = inner(k.key) ?? 0
                    return (
                      <g key={k.key}>
                        <Bar
                          x={0}
                          y={top}
                          width={Math.max(w, value > 0 ? 1 : 0)}
                          height={inner.bandwidth()}
                          fill={k.fill === 'hatch' ? `url(#${hatch})` : k.fill}
                          stroke={k.stroke}
                          strokeWidth={1.5}
                        />
                        <text x={w + 4} y={top + inner.bandwidth() / 2} dy="0.35em" fontSize={11} fill="#111827">
                          {k.label.charAt(0)} {dollars(value)}
                        </text>
                      </g>
                    )
                  })}
                </Group>
              ))}
              <AxisLeft
                scale={y}
                hideTicks
                tickFormat={(v) => SHORT[v] ?? v}
                tickLabelProps={{ fontSize: 12, fill: '#1f2937', textAnchor: 'end', dy: '0.33em' }}
              />
              <AxisBottom
                top={height - MARGIN.top - MARGIN.bottom}
                scale={x}
                numTicks={4}
                tickFormat={(v) => dollars(Number(v))}
                tickLabelProps={{ fontSize: 10, fill: '#374151', textAnchor: 'middle' }}
              />
            </Group>
          </svg>
          <p className="legend" aria-hidden="true">
            {KINDS.map((k) => (
              <span key={k.key} className="legend__item">
                <svg width="14" height="14" aria-hidden="true" focusable="false">
                  <rect
                    width="14"
                    height="14"
                    fill={k.fill === 'hatch' ? `url(#${hatch})` : k.fill}
                    stroke={k.stroke}
                  />
                </svg>
                {k.label.charAt(0)} = {k.label}
              </span>
            ))}
          </p>
        </>
      )}
      table={
        <table className="data-table">
          <caption>Funding by source (US dollars)</caption>
          <thead>
            <tr>
              <th scope="col">Source</th>
              <th scope="col">Budgeted</th>
              <th scope="col">Obligated</th>
              <th scope="col">Spent</th>
            </tr>
          </thead>
          <tbody>
            {sources.map((s) => (
              <tr key={s.source}>
                <th scope="row">{s.label}</th>
                <td>{dollars(s.budgeted)}</td>
                <td>{dollars(s.obligated)}</td>
                <td>{dollars(s.spent)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    />
  )
}
