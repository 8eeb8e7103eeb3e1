import { AxisBottom, AxisLeft } from '@visx/axis'
import { Group } from '@visx/group'
import { scaleLinear, scaleUtc } from '@visx/scale'
import { Line, LinePath } from '@visx/shape'
import { timeTicks } from './timeTicks.ts'

const WIDTH = 520
const HEIGHT = 240
const MARGIN = { top: 24, right: 24, bottom: 34, left: 72 }

export interface TimeSeries {
  label: string
  points: Array<{ date: string; value: number }>
  color: string
  /** Dashed lines and square markers tell a series apart without its colour. */
  dashed?: boolean
  marker: 'circle' | 'square'
}

const at = (iso: string) => new Date(`${iso}T00:00:00Z`)

/**
 * Values over time: series as lines with markers, horizontal reference lines (a budget, a
 * baseline, a target) and vertical date markers (deadlines), each labelled in the picture.
 */
export function TimeSeriesSvg({
  title,
  labelledBy,
  series,
  references = [],
  markers = [],
  format,
  extraDates = [],
}: {
  title: string
  labelledBy: string
  series: TimeSeries[]
  references?: Array<{ label: string; value: number; dashed?: boolean }>
  markers?: Array<{ label: string; date: string }>
  format: (value: number) => string
  /** Dates the time axis must include besides the points and markers (e.g. a target date). */
  extraDates?: string[]
}) {
  const dates = [...series.flatMap((s) => s.points.map((p) => p.date)), ...markers.map((m) => m.date), ...extraDates]
  const sorted = dates.length ? [...dates].sort() : [new Date().toISOString().slice(0, 10)]
  let start = at(sorted[0] as string)
  let end = at(sorted.at(-1) as string)
  if (start.getTime() === end.getTime()) {
    start = new Date(start.getTime() - 30 * 86_400_000)
    end = new Date(end.getTime() + 30 * 86_400_000)
  }
  const pad = (end.getTime() - start.getTime()) * 0.06
  const values = [...series.flatMap((s) => s.points.map((p) => p.value)), ...references.map((r) => r.value), 0]
  const innerW = WIDTH - MARGIN.left - MARGIN.right
  const innerH = HEIGHT - MARGIN.top - MARGIN.bottom
  const x = scaleUtc<number>({
    domain: [new Date(start.getTime() - pad), new Date(end.getTime() + pad)],
    range: [0, innerW],
  })
  const [from, to] = x.domain() as [Date, Date]
  const ticks = timeTicks(from, to)
  const y = scaleLinear<number>({
    domain: [Math.min(...values), Math.max(1, ...values) * 1.1],
    range: [innerH, 0],
    nice: true,
  })
  return (
    <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} className="chart__svg" role="img" aria-labelledby={labelledBy}>
      <title>{title}</title>
      <Group left={MARGIN.left} top={MARGIN.top}>
        {references.map((r) => (
          <g key={`ref-${r.label}`}>
            <Line
              from={{ x: 0, y: y(r.value) }}
              to={{ x: innerW, y: y(r.value) }}
              stroke="#4b5563"
              strokeWidth={1.5}
              strokeDasharray={r.dashed ? '2 3' : undefined}
            />
            <text
              x={4}
              y={y(r.value) - 4}
              textAnchor="start"
              fontSize={11}
              fill="#1f2937"
              stroke="#ffffff"
              strokeWidth={3}
              paintOrder="stroke"
            >
              {r.label}
            </text>
          </g>
        ))}
        {markers.map((m, i) => (
          <g key={`marker-${m.label}`}>
            <Line
              from={{ x: x(at(m.date)), y: 0 }}
              to={{ x: x(at(m.date)), y: innerH }}
              stroke="#7c2d12"
              strokeWidth={2}
              strokeDasharray="6 3"
            />
            <text
              x={x(at(m.date))}
              y={i % 2 === 0 ? -8 : 10}
              textAnchor={x(at(m.date)) > innerW * 0.75 ? 'end' : x(at(m.date)) < innerW * 0.25 ? 'start' : 'middle'}
              fontSize={11}
              fontWeight={600}
              fill="#7c2d12"
              stroke="#ffffff"
              strokeWidth={3}
              paintOrder="stroke"
            >
              {m.label}
            </text>
          </g>
        ))}
        {series.map((s) => (
          <g key={s.label}>
            <LinePath
              data={s.points}
              x={(p) => x(at(p.date))}
              y={(p) => y(p.value)}
              stroke={s.color}
              strokeWidth={2.5}
              strokeDasharray={s.dashed ? '7 4' : undefined}
            />
            {s.points.map((p) =>
              s.marker === 'circle' ? (
                <circle
                  key={`${p.date}-${p.value}`}
                  cx={x(at(p.date))}
                  cy={y(p.value)}
                  r={4.5}
                  fill={s.color}
                  stroke="#ffffff"
                  strokeWidth={1.5}
                />
              ) : (
                <rect
                  key={`${p.date}-${p.value}`}
                  x={x(at(p.date)) - 4.5}
                  y={y(p.value) - 4.5}
                  width={9}
                  height={9}
                  fill="#ffffff"
                  stroke={s.color}
                  strokeWidth={2.5}
                />
              ),
            )}
          </g>
        ))}
        <AxisLeft
          scale={y}
          numTicks={5}
          tickFormat={(v) => format(Number(v))}
          tickLabelProps={{ fontSize: 10, fill: '#374151', textAnchor: 'end', dy: '0.33em' }}
        />
        <AxisBottom
          top={innerH}
          scale={x}
          tickValues={ticks.values}
          tickFormat={(v) => ticks.format(v as Date)}
          tickLabelProps={{ fontSize: 10, fill: '#374151', textAnchor: 'middle' }}
        />
      </Group>
    </svg>
  )
}

/** The legend of a time series chart: each line's marker and dash, and its name. */
export function SeriesLegend({ series }: { series: TimeSeries[] }) {
  return (
    <p className="legend" aria-hidden="true">
      {series.map((s) => (
        <span key={s.label} className="legend__item">
          <svg width="28" height="12" aria-hidden="true" focusable="false">
            <line
              x1="0"
              y1="6"
              x2="28"
              y2="6"
              stroke={s.color}
              strokeWidth="2.5"
              strokeDasharray={s.dashed ? '7 4' : undefined}
            />
            {s.marker === 'circle' ? (
              <circle cx="14" cy="6" r="4" fill={s.color} />
            ) : (
              <rect x="10" y="2" width="8" height="8" fill="#fff" stroke={s.color} strokeWidth="2" />
            )}
          </svg>
          {s.label}
        </span>
      ))}
    </p>
  )
}
