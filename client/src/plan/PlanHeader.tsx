import {
  EARLIEST_REVIEW,
  type Jurisdiction,
  localToday,
  PLAN_STATUSES,
  type PlanStatus,
  type PlanSummary,
  planTitleSchema,
} from '@lever/shared'
import { useState } from 'react'
import { tryEdit } from '../collab/sessionHooks.ts'
import { Breadcrumbs } from '../ui/Breadcrumbs.tsx'
import { DraftField, parseDate } from '../ui/DraftField.tsx'
import { Field } from '../ui/Field.tsx'
import { usePlanSession, usePlanValue } from './PlanContext.tsx'

/** Breadcrumbs, the plan's title and its whole-plan fields (status, sharing, last reviewed). */
export function PlanHeader({ plan, jurisdiction }: { plan: PlanSummary; jurisdiction: Jurisdiction | null }) {
  const session = usePlanSession()
  const model = session.model
  // Each value read on its own: the header re-renders when one of them changes, not with every
  // keystroke anywhere in the plan.
  const title = usePlanValue((s) => s.model.title)
  const status = usePlanValue((s) => s.model.status)
  const lastReviewed = usePlanValue((s) => s.model.lastReviewed)
  const shared = usePlanValue((s) => s.model.sharedWithCohort)
  const readOnly = usePlanValue((s) => s.readOnly)
  const [statusError, setStatusError] = useState<string | null>(null)
  return (
    <header className="plan-header">
      <Breadcrumbs
        trail={[
          { to: '/cohort', label: 'Cohort' },
          {
            to: `/jurisdictions/${encodeURIComponent(plan.jurisdictionId)}`,
            label: jurisdiction?.name ?? plan.jurisdictionId,
          },
        ]}
        current={title || plan.title}
      />
      <h1 className="visually-hidden">{title || plan.title}</h1>
      <DraftField
        id="plan-title"
        label="Plan title"
        className="plan-title-field"
        value={title}
        parse={(draft) => {
          const parsed = planTitleSchema.safeParse(draft)
          return parsed.success
            ? { ok: true, value: parsed.data }
            : { ok: false, error: `${parsed.error.issues[0]?.message ?? 'Check the title'}.` }
        }}
        format={(v) => v ?? ''}
        commit={(next) => tryEdit(session, () => model.setTitle(next ?? ''))}
        inputProps={{ className: 'plan-title-input', autoComplete: 'off' }}
      />
      <div className="plan-meta">
        <p className="plan-meta__jurisdiction">
          {jurisdiction ? `${jurisdiction.name} · ${jurisdiction.agency}` : plan.jurisdictionId}
          {plan.template ? (
            <span data-testid="plan-template">
              {' '}
              · Started from the template “{plan.template.title}” (version {plan.template.version})
            </span>
          ) : null}
        </p>
        <Field id="plan-status" label="Plan status" error={statusError}>
          {(a11y) => (
            <select
              {...a11y}
              disabled={readOnly}
              value={status}
              onChange={(e) => setStatusError(tryEdit(session, () => model.setStatus(e.target.value as PlanStatus)))}
            >
              {PLAN_STATUSES.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <DraftField
          id="plan-last-reviewed"
          label="Last reviewed"
          value={lastReviewed}
          parse={parseDate}
          commit={(date) => tryEdit(session, () => model.setLastReviewed(date))}
          inputProps={{ type: 'date', min: EARLIEST_REVIEW, max: localToday() }}
        />
        <div className="field field--check">
          <input
            id="plan-shared"
            type="checkbox"
            checked={shared}
            disabled={readOnly}
            aria-describedby="plan-shared-hint"
            onChange={(e) => session.edit(() => model.setSharedWithCohort(e.target.checked))}
          />
          <label htmlFor="plan-shared">Shared with the cohort</label>
          <p className="field-hint" id="plan-shared-hint">
            Other jurisdictions in the cohort can read a shared plan.
          </p>
        </div>
      </div>
    </header>
  )
}
