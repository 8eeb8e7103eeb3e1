import type { ReactNode } from 'react'

export interface HeatmapRow {
  id: string
  label: ReactNode
  cells: Record<string, number>
}

/**
 * A table whose cells are shaded by their count: the number is always written in the cell, so
 * the shading only helps the eye (and a zero is marked with a dash pattern, not just white).
 */
export function HeatmapTable({
  caption,
  rowHeader,
  columns,
  rows,
  testId,
}: {
  caption: string
  rowHeader: string
  columns: Array<{ id: string; label: string }>
  rows: HeatmapRow[]
  testId?: string
}) {
  const max = Math.max(1, ...rows.flatMap((r) => Object.values(r.cells)))
  return (
    <table className="heatmap" data-testid={testId}>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{rowHeader}</th>
          {columns.map((c) => (
            <th key={c.id} scope="col">
              {c.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.id}>
            <th scope="row">{r.label}</th>
            {columns.map((c) => {
              const n = r.cells[c.id] ?? 0
              const level = n === 0 ? 0 : Math.min(4, Math.ceil((n / max) * 4))
              return (
                <td key={c.id} className={`heatmap__cell heatmap__cell--${level}`}>
                  {n}
                </td>
              )
            })}
          </tr>
        ))}
      </tbody>
    </table>
  )
}
