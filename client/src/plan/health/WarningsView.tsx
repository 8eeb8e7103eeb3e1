import type { PlanWarning } from '@lever/shared'
import { useDerivedNow, useDerivedValue } from '../derived.tsx'
import { domIds } from '../domIds.ts'
import { usePlanSession } from '../PlanContext.tsx'
import { usePlanUi } from '../PlanUi.tsx'
import { gapTarget, warningTarget } from './targets.ts'

/** Problems the program cares about: SLFRF deadlines first, then missing metrics, owners, evidence. */
export function WarningsView() {
  const warnings = useDerivedValue((d) => d.warnings)
  const gaps = useDerivedValue((d) => d.gaps)
  const now = useDerivedNow()
  const ui = usePlanUi()
  // Those who only read or comment are taken to the field to see it, not told to fix it.
  const action = usePlanSession().readOnly ? 'Show me' : 'Fix this'
  const serious = warnings.filter((w) => w.severity === 'high')
  const other = warnings.filter((w) => w.severity !== 'high')
  const item = (w: PlanWarning, i: number) => (
    <li key={`${w.initiativeId}-${w.code}-${i}`} className={`warning warning--${w.severity}`}>
      <span>{w.message}</span>{' '}
      <button
        type="button"
        className="link-button"
        aria-label={`${action}: ${w.message}`}
        onClick={() => {
          const t = warningTarget(now().snapshot, w)
          ui.reveal(t.elementId, t.initiativeId ? { initiativeId: t.initiativeId } : {})
        }}
      >
        {action}
      </button>
    </li>
  )
  return (
    <section id={domIds.warnings} className="health-block" aria-labelledby={`${domIds.warnings}-heading`}>
      <h3 id={`${domIds.warnings}-heading`} tabIndex={-1}>
        Warnings
      </h3>
      {gaps.length > 0 ? (
        <div className="callout callout--gaps" data-testid="plan-gaps">
          <h4>{warnings.length === 0 ? 'Nothing to check yet' : 'Still missing'}</h4>
          <ul className="warning-list">
            {gaps.map((g) => (
              <li key={g.key} className="warning warning--medium">
                <span>{g.message}</span>{' '}
                <button
                  type="button"
                  className="link-button"
                  aria-label={`Go there: ${g.message}`}
                  onClick={() => {
                    const t = gapTarget(now().snapshot, g)
                    ui.reveal(t.elementId, {})
                  }}
                >
                  Go there
                </button>
              </li>
            ))}
          </ul>
        </div>
      ) : warnings.length === 0 ? (
        <p className="all-good" data-testid="no-warnings">
          No warnings. Initiatives have owners, metrics and evidence, and SLFRF dates fit the deadlines.
        </p>
      ) : null}
      {serious.length > 0 ? (
        <div className="callout callout--serious" data-testid="serious-warnings">
          <h4>SLFRF deadlines and funds</h4>
          <ul className="warning-list">{serious.map(item)}</ul>
        </div>
      ) : null}
      {other.length > 0 ? (
        <ul className="warning-list" data-testid="other-warnings" aria-label="Other warnings">
          {other.map(item)}
        </ul>
      ) : null}
    </section>
  )
}
