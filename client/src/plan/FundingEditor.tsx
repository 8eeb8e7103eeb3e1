import {
  FUNDING_SOURCES,
  type FundingSource,
  type InitiativeModel,
  labelOf,
  SLFRF_CATEGORIES,
  SLFRF_DEADLINES,
  type SlfrfCategory,
} from '@lever/shared'
import { tryEdit } from '../collab/sessionHooks.ts'
import { DraftField, formatAmount, parseAmount } from '../ui/DraftField.tsx'
import { SelectField } from '../ui/SelectField.tsx'
import { TextField } from '../ui/TextField.tsx'
import { domIds } from './domIds.ts'
import { ItemControls } from './ItemControls.tsx'
import { ItemListEditor } from './ItemListEditor.tsx'
import { usePlanSession } from './PlanContext.tsx'

const AMOUNTS = [
  { kind: 'budgeted', label: 'Budgeted' },
  { kind: 'obligated', label: 'Obligated' },
  { kind: 'spent', label: 'Spent' },
] as const

/** The funding lines of an initiative: source, program, SLFRF category and amounts. */
export function FundingEditor({ initiative }: { initiative: InitiativeModel }) {
  const session = usePlanSession()
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
            <div className="form-grid form-grid--3">
              <SelectField<FundingSource>
                id={fid('source')}
                label="Source"
                value={line.source}
                options={FUNDING_SOURCES}
                emptyLabel="Choose a source"
                onChange={(v) => tryEdit(session, () => line.setSource(v))}
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
                  value={line.category}
                  options={SLFRF_CATEGORIES.map((c) => ({ id: c.id, label: `${c.id} ${c.label}` }))}
                  emptyLabel="Choose a category"
                  onChange={(v) => tryEdit(session, () => line.setCategory(v))}
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
            </div>
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
