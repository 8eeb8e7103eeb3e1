import { useDerivedValue } from '../derived.tsx'
import { domIds } from '../domIds.ts'

/**
 * Levers × the eight components of job quality, counting initiatives. Headers are short so the
 * whole table fits a laptop screen; each keeps the component's full name for screen readers (and
 * as a tooltip). Components the plan says it targets are marked, and a target no initiative
 * addresses shows as a gap.
 */
export function CoverageMatrixView() {
  const coverage = useDerivedValue((d) => d.coverage)
  const max = Math.max(1, ...Object.values(coverage.counts).flatMap((row) => Object.values(row)))
  const anyTarget = coverage.components.some((c) => c.targeted)
  return (
    <section id={domIds.coverage} className="health-block" aria-labelledby={`${domIds.coverage}-heading`}>
      <h3 id={`${domIds.coverage}-heading`} tabIndex={-1}>
        Coverage of job quality
      </h3>
      <p className="field-hint">
        Initiatives under each lever that address each component.{' '}
        {anyTarget ? (
          <>
            <span className="coverage__star" aria-hidden="true">
              ★
            </span>{' '}
            marks a component the plan targets.
          </>
        ) : (
          'The plan targets no component yet.'
        )}
      </p>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard */}
      <section className="table-scroll table-scroll--inner" aria-label="Coverage table" tabIndex={0}>
        <table className="coverage" data-testid="coverage-matrix">
          <caption className="visually-hidden">Number of initiatives by lever and component of job quality</caption>
          <colgroup>
            <col className="coverage__lever-col" />
            {coverage.components.map((c) => (
              <col key={c.id} />
            ))}
            <col className="coverage__total-col" />
          </colgroup>
          <thead>
            <tr>
              <th scope="col">Lever</th>
              {coverage.components.map((c) => (
                <th
                  key={c.id}
                  scope="col"
                  title={c.label}
                  data-component={c.id}
                  className={c.targeted ? 'is-targeted' : undefined}
                >
                  <span aria-hidden="true">
                    {c.short}
                    {c.targeted ? <span className="coverage__star coverage__star--head">★</span> : null}
                  </span>
                  <span className="visually-hidden">
                    {c.label}
                    {c.targeted ? ' (targeted by the plan)' : ''}
                  </span>
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
              {coverage.components.map((c) => {
                const n = coverage.byComponent[c.id] ?? 0
                const targetGap = c.targeted && n === 0
                return (
                  <td key={c.id} className={n ? 'coverage__total' : 'coverage__total is-gap'} data-component={c.id}>
                    {n}
                    {targetGap ? <span className="visually-hidden"> (targeted, but no initiative yet)</span> : null}
                  </td>
                )
              })}
              <td className="coverage__total" data-testid="coverage-total">
                {Object.values(coverage.byLever).reduce((a, b) => a + b, 0)}
              </td>
            </tr>
          </tfoot>
        </table>
      </section>
    </section>
  )
}
