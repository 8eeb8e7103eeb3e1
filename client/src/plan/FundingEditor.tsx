import {
  countdownText,
  FUNDING_SOURCES,
  type FundingDateField,
  type FundingLineModel,
  type FundingProblem,
  type FundingSource,
  formatDollars,
  fundingLineProblems,
  type InitiativeModel,
  labelOf,
  SLFRF_CATEGORIES,
  SLFRF_DEADLINES,
  type SlfrfCategory,
  type SlfrfCountdown,
} from '@lever/shared'
import { tryEdit } from '../collab/sessionHooks.ts'
import { DraftField, formatAmount, parseAmount, parseDate } from '../ui/DraftField.tsx'
import { SelectField } from '../ui/SelectField.tsx'
import { TextField } from '../ui/TextField.tsx'
import { useDerivedValue } from './derived.tsx'
import { domIds } from './domIds.ts'
import { ItemControls } from './ItemControls.tsx'
import { ItemListEditor } from './ItemListEditor.tsx'
import { usePlanSession } from './PlanContext.tsx'

const AMOUNTS = [
  { kind: 'budgeted', label: 'Budgeted' },
  { kind: 'obligated', label: 'Obligated' },
  { kind: 'spent', label: 'Spent' },
] as const

const DATES: ReadonlyArray<{ field: FundingDateField; label: string; hint: string }> = [
  { field: 'obligatedBy', label: 'Obligated by', hint: 'When this money is (or will be) obligated.' },
  { field: 'spentBy', label: 'Spent by', hint: 'When this money is (or will be) spent.' },
]

const CATEGORY_OPTIONS = SLFRF_CATEGORIES.map((c) => ({ id: c.id, label: `${c.id} ${c.label}` }))

const NO_LINES: never[] = []

/** The funding lines of an initiative: source, program, SLFRF category and amounts. */
export function FundingEditor({ initiative }: { initiative: InitiativeModel }) {
  const session = usePlanSession()
  const snapshotLines = useDerivedValue(
    (d) => d.snapshot.initiatives.find((i) => i.id === initiative.id)?.funding ?? NO_LINES,
  )
  const slfrfCountdownOf = useDerivedValue((d) => d.slfrfCountdownOf)
  const lines = initiative.funding.list()
  const addId = domIds.initiativeField(initiative.id, 'add-funding')
  return (
    <ItemListEditor
      legend="Funding"
      hint={
        <p className="field-hint">
          SLFRF must be obligated by {SLFRF_DEADLINES.obligateBy} and spent by {SLFRF_DEADLINES.spendBy}.
        </p>
      }
      count={lines.length}
      empty="No funding lines yet."
      addLabel="Add funding line"
      addId={addId}
      added="Added a funding line."
      add={(id) => initiative.funding.add(id)}
      firstField={(id) => domIds.fundingField(id, 'source')}
    >
      {lines.map((line, index) => {
        const fid = (field: string) => domIds.fundingField(line.id, field)
        const name = line.source ? labelOf(FUNDING_SOURCES, line.source) : 'funding line'
        return (
          <li key={line.id} className="item-list__item">
            <div className="form-grid form-grid--3 funding-line">
              <SelectField<FundingSource>
                id={fid('source')}
                label="Source"
                value={line.source}
                options={FUNDING_SOURCES}
                emptyLabel="Choose a source"
                onChange={(v) => tryEdit(session, () => line.setSource(v))}
                className="span-2"
              />
              <TextField
                id={fid('program')}
                label="Program"
                hint="e.g. the IIJA program or grant name."
                text={line.program}
              />
              {line.source === 'slfrf' ? (
                <SelectField<SlfrfCategory>
                  id={fid('category')}
                  label="SLFRF expenditure category"
                  hint={
                    line.category
                      ? `${line.category} ${labelOf(SLFRF_CATEGORIES, line.category)}`
                      : "The final rule's categories, 1.1 to 7.2."
                  }
                  value={line.category}
                  options={CATEGORY_OPTIONS}
                  emptyLabel="Choose a category"
                  onChange={(v) => tryEdit(session, () => line.setCategory(v))}
                  className="span-all"
                />
              ) : null}
              {AMOUNTS.map((a) => (
                <DraftField<number>
                  key={a.kind}
                  id={fid(a.kind)}
                  label={`${a.label} ($)`}
                  value={line.amount(a.kind)}
                  parse={parseAmount}
                  format={formatAmount}
                  commit={(v) => tryEdit(session, () => line.setAmount(a.kind, v))}
                  inputProps={{ inputMode: 'decimal', autoComplete: 'off' }}
                />
              ))}
              {DATES.map((d) => (
                <DraftField
                  key={d.field}
                  id={fid(d.field)}
                  label={d.label}
                  hint={
                    line.source === 'slfrf'
                      ? `${d.hint} SLFRF deadline: ${d.field === 'obligatedBy' ? SLFRF_DEADLINES.obligateBy : SLFRF_DEADLINES.spendBy}.`
                      : d.hint
                  }
                  value={line.date(d.field)}
                  parse={parseDate}
                  commit={(v) => tryEdit(session, () => line.setDate(d.field, v))}
                  inputProps={{ type: 'date' }}
                />
              ))}
              <LineStatus line={line} countdown={slfrfCountdownOf(line.id)} />
            </div>
            <LineProblems
              id={fid('problems')}
              problems={fundingLineProblems(snapshotLines.find((f) => f.id === line.id) ?? null)}
            />
            <ItemControls
              idPrefix={fid('item')}
              index={index}
              total={lines.length}
              kind="funding line"
              itemLabel={`funding line ${index + 1} (${name})`}
              onMove={(to) => session.edit(() => initiative.funding.move(line.id, to))}
              onRemove={() => session.edit(() => initiative.funding.remove(line.id))}
              removeBody={<p>This funding line and its amounts will be removed for everyone.</p>}
              afterRemoveFocus={addId}
            />
          </li>
        )
      })}
    </ItemListEditor>
  )
}

/**
 * The unspent SLFRF money of a line and the days left to spend it; "All of it is spent" only when
 * what was spent is exactly what was committed (more is a problem the line lists, none is no news).
 */
function LineStatus({ line, countdown }: { line: FundingLineModel; countdown: SlfrfCountdown | null }) {
  if (line.source !== 'slfrf') return null
  const committed = line.amount('obligated') ?? line.amount('budgeted')
  const spent = line.amount('spent') ?? 0
  if (!countdown && (!committed || spent > committed)) return null
  return (
    <p className="funding-countdown" data-testid="slfrf-countdown">
      {countdown ? (
        <>
          <strong>{formatDollars(countdown.unspent)}</strong> unspent: {countdownText(countdown)}.
        </>
      ) : (
        'All of it is spent.'
      )}
    </p>
  )
}

/** What is wrong with this line's amounts or dates, next to them. */
function LineProblems({ id, problems }: { id: string; problems: FundingProblem[] }) {
  if (problems.length === 0) return null
  return (
    <ul className="line-problems" id={id} aria-label="Problems with this funding line">
      {problems.map((p) => (
        <li key={p.code} className="warning warning--high">
          {p.message.charAt(0).toUpperCase() + p.message.slice(1)}
        </li>
      ))}
    </ul>
  )
}
