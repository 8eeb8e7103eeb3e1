import {
  CHECK_IN_STATUSES,
  CHECK_IN_UPDATE_MAX,
  type CheckInSnapshot,
  FUNDING_SOURCES,
  type InitiativeModel,
  labelOf,
  todayIso,
} from '@lever/shared'
import { useEffect, useRef, useState } from 'react'
import { DraftField, formatAmount, type Parsed, parseAmount, parseDate } from '../ui/DraftField.tsx'
import { useReadOnly } from '../ui/readOnly.ts'
import { type CheckInTarget, reportFunding, reportMetric, reportStatus, reportUpdate } from './checkInActions.ts'
import { STATUS_STYLE } from './format.ts'

function parseNumber(draft: string): Parsed<number> {
  const s = draft.replace(/[,\s]/g, '')
  if (s === '') return { ok: true, value: null }
  const n = Number(s)
  return Number.isFinite(n) && /^-?\d+(\.\d+)?$/.test(s)
    ? { ok: true, value: n }
    : { ok: false, error: 'Enter a number, like 12 or 3.5.' }
}

/** One initiative's check-in for a period: status, a short update, metric actuals, funding as of. */
export function CheckInCard({
  initiative,
  leverLabel,
  checkIn,
  target,
  periodLabel,
}: {
  initiative: InitiativeModel
  leverLabel: string
  checkIn: CheckInSnapshot
  target: CheckInTarget
  periodLabel: string
}) {
  const readOnly = useReadOnly()
  const [statusError, setStatusError] = useState<string | null>(null)
  const id = (field: string) => `checkin-${initiative.id}-${field}`
  const title = initiative.title.trim() || 'Untitled initiative'
  const metrics = initiative.metrics.list()
  const lines = initiative.funding.list()
  return (
    <li className="checkin" data-testid="check-in">
      <article aria-labelledby={id('title')}>
        <h3 id={id('title')} className="checkin__title">
          {title} <span className="checkin__lever">{leverLabel}</span>
          {checkIn.status ? (
            <span className="checkin__done">
              <span aria-hidden="true">✓ </span>checked in
            </span>
          ) : (
            <span className="checkin__due">due</span>
          )}
        </h3>
        <fieldset className="checkin__status" aria-describedby={statusError ? id('status-error') : undefined}>
          <legend>Status for {periodLabel}</legend>
          {CHECK_IN_STATUSES.map((s) => (
            <label key={s.id} className={`status-choice status-choice--${s.id}`}>
              <input
                type="radio"
                name={id('status')}
                value={s.id}
                checked={checkIn.status === s.id}
                disabled={readOnly}
                onChange={() => setStatusError(reportStatus(target, s.id))}
              />
              <span aria-hidden="true" style={{ color: STATUS_STYLE[s.id].color }}>
                {s.symbol}
              </span>{' '}
              {s.label}
            </label>
          ))}
          {statusError ? (
            <p className="field-error" id={id('status-error')}>
              {statusError}
            </p>
          ) : null}
        </fieldset>
        <UpdateField
          id={id('update')}
          value={checkIn.update}
          readOnly={readOnly}
          write={(text) => reportUpdate(target, text)}
        />
        {metrics.length > 0 ? (
          <fieldset className="checkin__group">
            <legend>Metric actuals</legend>
            {metrics.map((m) => {
              const name = m.text('name')?.toString().trim() || 'Unnamed metric'
              const actual = checkIn.metrics[m.id] ?? null
              return (
                <div key={m.id} className="form-grid form-grid--3">
                  <DraftField<number>
                    id={id(`metric-${m.id}-value`)}
                    label={`${name}: actual`}
                    value={actual?.value ?? null}
                    parse={parseNumber}
                    inputProps={{ inputMode: 'decimal' }}
                    commit={(value) =>
                      reportMetric(target, m.id, value === null ? null : { value, date: actual?.date ?? todayIso() })
                    }
                  />
                  <DraftField<string>
                    id={id(`metric-${m.id}-date`)}
                    label={`${name}: measured on`}
                    value={actual?.date ?? null}
                    parse={parseDate}
                    inputProps={{ type: 'date' }}
                    commit={(date) =>
                      actual === null
                        ? 'Enter the actual value first.'
                        : reportMetric(target, m.id, { value: actual.value, date: date ?? todayIso() })
                    }
                  />
                </div>
              )
            })}
          </fieldset>
        ) : null}
        {lines.length > 0 ? (
          <fieldset className="checkin__group">
            <legend>Funding as of {periodLabel}</legend>
            {lines.map((line) => {
              const name = line.source ? labelOf(FUNDING_SOURCES, line.source) : 'Funding line'
              // This period starts from the plan's current amounts, so changing one keeps the other.
              const asOf =
                checkIn.funding[line.id] ??
                (target.isCurrent
                  ? { obligated: line.amount('obligated'), spent: line.amount('spent') }
                  : { obligated: null, spent: null })
              return (
                <div key={line.id} className="form-grid form-grid--3">
                  <p className="checkin__line">
                    {name}
                    {line.amount('budgeted') !== null ? ` · budget $${formatAmount(line.amount('budgeted'))}` : ''}
                  </p>
                  <DraftField<number>
                    id={id(`funding-${line.id}-obligated`)}
                    label="Obligated ($)"
                    value={asOf.obligated}
                    parse={parseAmount}
                    format={formatAmount}
                    inputProps={{ inputMode: 'decimal' }}
                    commit={(obligated) => reportFunding(target, line.id, { ...asOf, obligated })}
                  />
                  <DraftField<number>
                    id={id(`funding-${line.id}-spent`)}
                    label="Spent ($)"
                    value={asOf.spent}
                    parse={parseAmount}
                    format={formatAmount}
                    inputProps={{ inputMode: 'decimal' }}
                    commit={(spent) => reportFunding(target, line.id, { ...asOf, spent })}
                  />
                </div>
              )
            })}
          </fieldset>
        ) : null}
      </article>
    </li>
  )
}

/**
 * The short update: what the person types is kept in the field (so the caret never jumps) and
 * written at once; a change from someone else replaces it unless the field is being typed in.
 */
function UpdateField({
  id,
  value,
  readOnly,
  write,
}: {
  id: string
  value: string
  readOnly: boolean
  write: (text: string) => string | null
}) {
  const [draft, setDraft] = useState(value)
  const [error, setError] = useState<string | null>(null)
  const ref = useRef<HTMLTextAreaElement>(null)
  useEffect(() => {
    if (document.activeElement !== ref.current) setDraft(value)
  }, [value])
  return (
    <div className={`field${error ? ' field--invalid' : ''}`}>
      <label htmlFor={id}>Short update</label>
      <textarea
        ref={ref}
        id={id}
        rows={2}
        maxLength={CHECK_IN_UPDATE_MAX}
        readOnly={readOnly}
        value={draft}
        placeholder="What moved this period, what is stuck, what help is needed"
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(e) => {
          setDraft(e.target.value)
          setError(write(e.target.value))
        }}
        onBlur={() => {
          if (!error) setDraft(value)
        }}
      />
      {error ? (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  )
}
