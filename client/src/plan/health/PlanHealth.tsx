import { domIds } from '../domIds.ts'
import { CompletenessView } from './CompletenessView.tsx'
import { CoverageMatrixView } from './CoverageMatrixView.tsx'
import { FundingSummaryView } from './FundingSummaryView.tsx'
import { WarningsView } from './WarningsView.tsx'

/** The derived views of the plan, recomputed live as anyone edits. */
export function PlanHealth() {
  return (
    <section className="plan-group" id={domIds.health} aria-labelledby={`${domIds.health}-heading`} tabIndex={-1}>
      <h2 id={`${domIds.health}-heading`} className="plan-group__title">
        Plan health
      </h2>
      <WarningsView />
      <CoverageMatrixView />
      <FundingSummaryView />
      <CompletenessView />
    </section>
  )
}
