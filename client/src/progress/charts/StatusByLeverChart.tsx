import { INITIATIVE_STATUSES, type InitiativeStatus, type StatusCounts } from '@lever/shared'
import { AxisBottom, AxisLeft } from '@visx/axis'
import { Group } from '@visx/group'
import { scaleBand, scaleLinear } from '@visx/scale'
import { BarStackHorizontal } from '@visx/shape'
import { useId } from 'react'
import { STATUS_LABELS, STATUS_STYLE } from '../format.ts'
import { ChartFigure } from './ChartFigure.tsx'
import { StatusPatterns, StatusSwatch, statusFill } from './Patterns.tsx'

const STATUSES = INITIATIVE_STATUSES.map((s) => s.id)
const WIDTH = 520
const MARGIN = { top: 8, right: 16, bottom: 32, left: 120 }
const ROW = 34

type Row = { leverId: string; label: string } & StatusCounts

/** Initiatives of each lever by status: stacked bars with the count on each segment. */
export function StatusByLeverChart({
  levers,
}: {
  levers: Array<{ leverId: string; label: string; counts: StatusCounts }>
}) {
  const prefix = `status${useId().replace(/[^a-zA-Z0-9]/g, '')}`
  const rows: Row[] = levers.map((l) => ({ leverId: l.leverId, label: l.label, ...l.counts }))
  const total = (r: Row) => STATUSES.reduce((n, s) => n + r[s], 0)
  const max = Math.max(1, ...rows.map(total))
  const height = MARGIN.top + MARGIN.bottom + Math.max(1, rows.length) * ROW
  const x = scaleLinear<number>({ domain: [0, max], range: [0, WIDTH - MARGIN.left - MARGIN.right], nice: true })
  const y = scaleBand<string>({
    domain: rows.map((r) => r.label),
    range: [0, height - MARGIN.top - MARGIN.bottom],
    padding: 0.25,
  })
  const all = rows.reduce((n, r) => n + total(r), 0)
  const byStatus = STATUSES.map((s) => [s, rows.reduce((n, r) => n + r[s], 0)] as const).filter(([, n]) => n > 0)
  const summary =
    all === 0
      ? 'No initiatives yet.'
      : `${all} initiative${all === 1 ? '' : 's'}: ${byStatus.map(([s, n]) => `${n} ${STATUS_LABELS[s].toLowerCase()}`).join(', ')}. ` +
        rows.map((r) => `${r.label}: ${total(r)}`).join('; ') +
        '.'
  return (
    <ChartFigure
      title="Initiatives by lever and status"
      summary={summary}
      testId="chart-status"
      chart={(labelledBy) => (
        <>
          <svg viewBox={`0 0 ${WIDTH} ${height}`} className="chart__svg" role="img" aria-labelledby={labelledBy}>
            <title>Initiatives by lever and status</title>
            <StatusPatterns prefix={prefix} />
            <Group left={MARGIN.left} top={MARGIN.top}>
              <BarStackHorizontal<Row, InitiativeStatus>
                data={rows}
                keys={STATUSES}
                y={(r) => r.label}
                xScale={x}
                yScale={y}
                color={(status) => STATUS_STYLE[status].color}
              >
                {(stacks) =>
                  stacks.map((stack) =>
                    stack.bars.map((bar) => {
                      const count = bar.bar.data[stack.key]
                      if (!count) return null
                      return (
                        <g key={`${stack.key}-${bar.index}`}>
                          <rect
                            x={bar.x}
                            y={bar.y}
                            width={bar.width}
                            height={bar.height}
                            fill={statusFill(stack.key, prefix)}
                            stroke="#ffffff"
                            strokeWidth={1}
                          />
                          {bar.width >= 30 ? (
                            <g>
                              <rect
                                x={bar.x + bar.width / 2 - 15}
                                y={bar.y + bar.height / 2 - 9}
                                width={30}
                                height={18}
                                rx={9}
                                fill="#ffffff"
                                stroke="#374151"
                              />
                              <text
                                x={bar.x + bar.width / 2}
                                y={bar.y + bar.height / 2}
                                dy="0.35em"
                                textAnchor="middle"
                                fontSize={11}
                                fontWeight={700}
                                fill="#111827"
                              >
                                {STATUS_STYLE[stack.key].symbol} {count}
                              </text>
                            </g>
                          ) : null}
                        </g>
                      )
                    }),
                  )
                }
              </BarStackHorizontal>
              <AxisLeft
                scale={y}
                hideTicks
                tickLabelProps={{ fontSize: 12, fill: '#1f2937', textAnchor: 'end', dy: '0.33em' }}
              />
              <AxisBottom
                top={height - MARGIN.top - MARGIN.bottom}
                scale={x}
                numTicks={Math.min(max, 6)}
                tickFormat={(v) => String(v)}
                label="Initiatives"
                tickLabelProps={{ fontSize: 11, fill: '#374151', textAnchor: 'middle' }}
                labelProps={{ fontSize: 11, fill: '#374151', textAnchor: 'middle' }}
              />
            </Group>
          </svg>
          <p className="legend" aria-hidden="true">
            {STATUSES.map((s) => (
              <StatusSwatch key={s} status={s} prefix={prefix} label={STATUS_LABELS[s]} />
            ))}
          </p>
        </>
      )}
      table={
        <table className="data-table">
          <caption>Initiatives by lever and status</caption>
          <thead>
            <tr>
              <th scope="col">Lever</th>
              {STATUSES.map((s) => (
                <th key={s} scope="col">
                  {STATUS_LABELS[s]}
                </th>
              ))}
              <th scope="col">Total</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.leverId}>
                <th scope="row">{r.label}</th>
                {STATUSES.map((s) => (
                  <td key={s}>{r[s]}</td>
                ))}
                <td>{total(r)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    />
  )
}
