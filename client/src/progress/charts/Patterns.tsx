import type { InitiativeStatus } from '@lever/shared'
import { PatternCircles, PatternLines } from '@visx/pattern'
import { STATUS_STYLE } from '../format.ts'

/** The fill of a status: a pattern id (from <StatusPatterns>) or a plain colour. */
export function statusFill(status: InitiativeStatus, prefix: string): string {
  const style = STATUS_STYLE[status]
  return style.pattern === 'solid' ? style.color : `url(#${prefix}-${status})`
}

type LinePattern = 'lines' | 'cross' | 'empty'

/** How each hatched status pattern is drawn, given the status colour. */
const LINE_PATTERNS: Record<
  LinePattern,
  (color: string) => {
    size: number
    stroke: string
    strokeWidth: number
    orientation: ('diagonal' | 'diagonalRightToLeft' | 'horizontal')[]
    background: string
  }
> = {
  lines: (color) => ({ size: 6, stroke: color, strokeWidth: 2, orientation: ['diagonal'], background: '#fde68a' }),
  cross: (color) => ({
    size: 6,
    stroke: '#ffffff',
    strokeWidth: 1.5,
    orientation: ['diagonal', 'diagonalRightToLeft'],
    background: color,
  }),
  empty: (color) => ({ size: 5, stroke: color, strokeWidth: 1, orientation: ['horizontal'], background: '#f3f4f6' }),
}

/** SVG patterns for statuses, so bars differ by texture as well as colour. */
export function StatusPatterns({ prefix }: { prefix: string }) {
  return (
    <defs>
      {(Object.keys(STATUS_STYLE) as InitiativeStatus[]).map((status) => {
        const { color, pattern } = STATUS_STYLE[status]
        const id = `${prefix}-${status}`
        if (pattern === 'dots')
          return (
            <PatternCircles
              key={id}
              id={id}
              height={6}
              width={6}
              radius={1.5}
              fill="#ffffff"
              background={color}
              complement
            />
          )
        if (pattern === 'solid') return null
        const { size, ...lines } = LINE_PATTERNS[pattern](color)
        return <PatternLines key={id} id={id} height={size} width={size} {...lines} />
      })}
    </defs>
  )
}

/** A small legend swatch for a status (the pattern, the symbol and the label). */
export function StatusSwatch({ status, prefix, label }: { status: InitiativeStatus; prefix: string; label: string }) {
  return (
    <span className="legend__item">
      <svg width="14" height="14" aria-hidden="true" focusable="false">
        <rect width="14" height="14" fill={statusFill(status, prefix)} stroke={STATUS_STYLE[status].color} />
      </svg>
      <span aria-hidden="true">{STATUS_STYLE[status].symbol}</span> {label}
    </span>
  )
}
