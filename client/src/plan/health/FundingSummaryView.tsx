import { countdownText, formatDollars } from '@lever/shared'
import { useDerivedValue } from '../derived.tsx'
import { domIds } from '../domIds.ts'

/** Budgeted, obligated and spent per lever and for the plan, and what SLFRF money is left to spend. */
export function FundingSummaryView() {
  const funding = useDerivedValue((d) => d.funding)
  const headingId = `${domIds.funding}-heading`
  return (
    <section id={domIds.funding} className="health-block" aria-labelledby={headingId}>
      <h3 id={headingId} tabIndex={-1}>
        Funding
      </h3>
      {funding.slfrf ? (
        <p className="callout callout--gaps" data-testid="slfrf-plan-countdown">
          <strong>{formatDollars(funding.slfrf.unspent)}</strong> of SLFRF is not spent yet:{' '}
          {countdownText(funding.slfrf)}.
        </p>
      ) : null}
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard */}
      <section className="table-scroll table-scroll--inner" aria-label="Funding table" tabIndex={0}>
        <table className="data-table funding-totals" data-testid="funding-totals">
          <caption className="visually-hidden">Funding per lever and for the whole plan</caption>
          <thead>
            <tr>
              <th scope="col">Lever</th>
              <th scope="col" className="num">
                Budgeted
              </th>
              <th scope="col" className="num">
                Obligated
              </th>
              <th scope="col" className="num">
                Spent
              </th>
              <th scope="col">SLFRF left to spend</th>
            </tr>
          </thead>
          <tbody>
            {funding.levers.map((l) => (
              <tr key={l.id}>
                <th scope="row">{l.label}</th>
                <td className="num">{formatDollars(l.totals.budgeted)}</td>
                <td className="num">{formatDollars(l.totals.obligated)}</td>
                <td className="num">{formatDollars(l.totals.spent)}</td>
                <td>{l.slfrf ? `${formatDollars(l.slfrf.unspent)} · ${l.slfrf.daysLeft} days left` : '—'}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">Whole plan</th>
              <td className="num">{formatDollars(funding.plan.budgeted)}</td>
              <td className="num">{formatDollars(funding.plan.obligated)}</td>
              <td className="num">{formatDollars(funding.plan.spent)}</td>
              <td>
                {funding.slfrf ? `${formatDollars(funding.slfrf.unspent)} · ${funding.slfrf.daysLeft} days left` : '—'}
              </td>
            </tr>
          </tfoot>
        </table>
      </section>
    </section>
  )
}
