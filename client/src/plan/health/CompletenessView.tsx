import { useDerivedNow, useDerivedValue } from '../derived.tsx'
import { domIds } from '../domIds.ts'
import { usePlanUi } from '../PlanUi.tsx'
import { completenessTarget } from './targets.ts'

/** How much of the plan is filled in, and a way to each missing part. */
export function CompletenessView() {
  const completeness = useDerivedValue((d) => d.completeness)
  const now = useDerivedNow()
  const ui = usePlanUi()
  const missing = completeness.items.filter((i) => !i.done)
  return (
    <section id={domIds.completeness} className="health-block" aria-labelledby={`${domIds.completeness}-heading`}>
      <h3 id={`${domIds.completeness}-heading`} tabIndex={-1}>
        Completeness
      </h3>
      <div className="completeness__summary">
        <progress
          id="completeness-progress"
          max={100}
          value={completeness.percent}
          aria-label="Plan completeness"
          aria-valuetext={`${completeness.percent}%`}
        />
        <p data-testid="completeness-percent">
          <strong>{completeness.percent}%</strong> complete · {completeness.done} of {completeness.total} parts filled
          in
        </p>
      </div>
      {missing.length === 0 ? (
        <p className="all-good">Everything is filled in.</p>
      ) : (
        <>
          <p className="field-hint">Still empty — choose one to go there:</p>
          <ul className="missing-list" aria-label="Still empty">
            {missing.map((item) => (
              <li key={item.key}>
                <button
                  type="button"
                  className="link-button"
                  onClick={() => {
                    const t = completenessTarget(now().snapshot, item)
                    ui.reveal(t.elementId, t.initiativeId ? { initiativeId: t.initiativeId } : {})
                  }}
                >
                  {item.label}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  )
}
