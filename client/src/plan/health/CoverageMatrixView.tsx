import { useDerived } from '../derived.tsx'
import { domIds } from '../domIds.ts'

/** Levers × the eight components of job quality, counting initiatives. */
export function CoverageMatrixView() {
  const { coverage } = useDerived()
  const max = Math.max(1, ...Object.values(coverage.counts).flatMap((row) => Object.values(row)))
  return (
    <section id={domIds.coverage} className="health-block" aria-labelledby={`${domIds.coverage}-heading`}>
      <h3 id={`${domIds.coverage}-heading`} tabIndex={-1}>
        Coverage of job quality
      </h3>
      <p className="field-hint">Initiatives under each lever that address each component.</p>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard */}
      <section className="table-scroll table-scroll--inner" aria-label="Coverage table" tabIndex={0}>
        <table className="coverage" data-testid="coverage-matrix">
          <caption className="visually-hidden">Number of initiatives by lever and component of job quality</caption>
          <thead>
            <tr>
              <th scope="col">Lever</th>
              {coverage.components.map((c) => (
                <th key={c.id} scope="col">
                  {c.label}
                </th>
              ))}
              <th scope="col">Total</th>
            </tr>
          </thead>
          <tbody>
            {coverage.levers.map((l) => (
              <tr key={l.id}>
                <th scope="row">{l.label}</th>
                {coverage.components.map((c) => {
                  const n = coverage.counts[l.id]?.[c.id] ?? 0
                  const level = n === 0 ? 0 : Math.ceil((n / max) * 3)
                  return (
                    <td key={c.id} className={`coverage__cell coverage__cell--${level}`} data-component={c.id}>
                      {n}
                    </td>
                  )
                })}
                <td className="coverage__total">{coverage.byLever[l.id] ?? 0}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">All levers</th>
              {coverage.components.map((c) => (
                <td key={c.id} className={coverage.byComponent[c.id] ? 'coverage__total' : 'coverage__total is-gap'}>
                  {coverage.byComponent[c.id] ?? 0}
                </td>
              ))}
              <td className="coverage__total">{Object.values(coverage.byLever).reduce((a, b) => a + b, 0)}</td>
            </tr>
          </tfoot>
        </table>
      </section>
    </section>
  )
}
