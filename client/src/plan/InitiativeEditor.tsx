import {
  EVIDENCE_TIERS,
  type EvidenceTier,
  INITIATIVE_STATUSES,
  type InitiativeModel,
  type InitiativeStatus,
  initiativeDescriptionField,
  JOB_QUALITY_COMPONENTS,
  LABOR_PRACTICES,
  type LeverDef,
  TITLE_MAX,
} from '@lever/shared'
import { useMemo } from 'react'
import { tryEdit } from '../collab/sessionHooks.ts'
import { announce } from '../ui/announce.ts'
import { CheckGroup } from '../ui/CheckGroup.tsx'
import { DraftField, parseDate } from '../ui/DraftField.tsx'
import { SelectField } from '../ui/SelectField.tsx'
import { TextField } from '../ui/TextField.tsx'
import { useDerivedValue } from './derived.tsx'
import { domIds } from './domIds.ts'
import { FundingEditor } from './FundingEditor.tsx'
import { LibraryCitations } from './LibraryCitations.tsx'
import { MetricsEditor } from './MetricsEditor.tsx'
import { MilestonesEditor } from './MilestonesEditor.tsx'
import { usePlanSession, usePlanValue } from './PlanContext.tsx'
import { focusAfterRender } from './PlanUi.tsx'
import { ProvenanceNote } from './Provenance.tsx'
import { RichTextEditor } from './RichTextEditor.tsx'

function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/** Every field of one initiative, each bound to the plan document so edits are live. */
export function InitiativeEditor({ id, initiative }: { id: string; initiative: InitiativeModel }) {
  const session = usePlanSession()
  const iid = initiative.id
  const f = (field: string) => domIds.initiativeField(iid, field)
  // A funding line's own problems are listed beside its amounts and dates (FundingEditor).
  const warnings = useDerivedValue((d) => d.warningsFor(iid)).filter((w) => w.item?.kind !== 'funding')
  // Levers live outside the initiative (the card re-renders for its initiative only): followed here.
  const leversJson = usePlanValue((s) => JSON.stringify(s.model.leverList()))
  const levers = useMemo(() => JSON.parse(leversJson) as LeverDef[], [leversJson])
  const description = initiative.description
  const provenance = initiative.provenance
  return (
    <div className="initiative-editor" id={id}>
      {provenance ? <ProvenanceNote provenance={provenance} /> : null}
      {warnings.length > 0 ? (
        <ul className="initiative-warnings" aria-label="Warnings for this initiative">
          {warnings.map((w) => (
            <li key={w.code} className={`warning warning--${w.severity}`}>
              {sentence(w.message.slice(w.message.indexOf(': ') + 2))}
            </li>
          ))}
        </ul>
      ) : null}

      <div className="form-grid">
        <TextField
          id={f('title')}
          label="Initiative title"
          hint={`Up to ${TITLE_MAX} characters.`}
          text={initiative.text('title')}
          maxLength={TITLE_MAX}
          className="span-2"
        />
        <TextField
          id={f('owner')}
          label="Owner"
          hint="The person or office accountable."
          text={initiative.text('owner')}
        />
        <SelectField<InitiativeStatus>
          id={f('status')}
          label="Status"
          value={initiative.status}
          options={INITIATIVE_STATUSES}
          onChange={(v) => tryEdit(session, () => initiative.setStatus(v ?? 'notStarted'))}
        />
        <DraftField
          id={f('startDate')}
          label="Start date"
          value={initiative.date('startDate')}
          parse={parseDate}
          commit={(v) => tryEdit(session, () => initiative.setDate('startDate', v))}
          inputProps={{ type: 'date' }}
        />
        <DraftField
          id={f('dueDate')}
          label="Due date"
          value={initiative.date('dueDate')}
          parse={parseDate}
          commit={(v) => tryEdit(session, () => initiative.setDate('dueDate', v))}
          inputProps={{ type: 'date' }}
        />
        <TextField
          id={f('partners')}
          label="Partners"
          hint="Agencies, employers, unions or community groups involved."
          text={initiative.text('partners')}
          multiline
          className="span-2"
        />
        <SelectField<string>
          id={f('lever')}
          label="Lever"
          hint="Moving it puts it last under the other lever."
          value={initiative.lever}
          options={levers}
          onChange={(v) => {
            if (!v || v === initiative.lever) return null
            const count = session.model.initiatives(v).length
            const error = tryEdit(session, () => session.model.moveInitiative(iid, v, count))
            if (!error) {
              announce(`Moved to ${levers.find((l) => l.id === v)?.label ?? v}.`)
              focusAfterRender(f('lever'))
            }
            return error
          }}
        />
      </div>

      <div className="editor-block">
        <h5 id={`${f('description')}-label`}>Description</h5>
        <p className="field-hint" id={`${f('description')}-hint`}>
          What the initiative does and for whom.
        </p>
        {description ? (
          <RichTextEditor
            id={f('description')}
            fragment={description}
            anchorField={initiativeDescriptionField(iid)}
            labelledBy={`${f('description')}-label`}
            describedBy={`${f('description')}-hint`}
            label="Description"
          />
        ) : (
          <p className="is-missing">This initiative has no description field.</p>
        )}
      </div>

      <div className="form-grid">
        <CheckGroup
          legend="Components of job quality addressed"
          idPrefix={f('component')}
          options={JOB_QUALITY_COMPONENTS}
          checked={initiative.components}
          onToggle={(c, on) => tryEdit(session, () => initiative.setComponent(c, on))}
        />
        <CheckGroup
          legend="Labor practices"
          hint="Where they apply to this work."
          idPrefix={f('labor')}
          options={LABOR_PRACTICES}
          checked={initiative.laborPractices}
          onToggle={(p, on) => tryEdit(session, () => initiative.setLaborPractice(p, on))}
        />
      </div>

      <FundingEditor initiative={initiative} />

      <fieldset className="editor-block">
        <legend>Evidence</legend>
        <div className="form-grid">
          <SelectField<EvidenceTier>
            id={f('evidence')}
            label="Evidence tier"
            hint="Strong and moderate evidence count as evidence-based."
            value={initiative.evidenceTier}
            options={EVIDENCE_TIERS}
            emptyLabel="Not set"
            onChange={(v) => tryEdit(session, () => initiative.setEvidenceTier(v))}
          />
          <TextField
            id={f('citation')}
            label="Citation"
            hint="A study or clearinghouse entry."
            text={initiative.evidenceText('citation')}
          />
          <TextField
            id={f('evaluationDesign')}
            label="Evaluation design"
            hint="Needed for evidence-building work: how you will learn whether it works."
            text={initiative.evidenceText('evaluationDesign')}
            multiline
            className="span-2"
          />
          <LibraryCitations initiative={initiative} idPrefix={f('citations')} />
        </div>
      </fieldset>

      <MetricsEditor initiative={initiative} />
      <MilestonesEditor initiative={initiative} />

      <TextField
        id={f('risks')}
        label="Risks"
        hint="What could get in the way, and what you will do about it."
        text={initiative.text('risks')}
        multiline
      />
    </div>
  )
}
