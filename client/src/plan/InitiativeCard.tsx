import { INITIATIVE_STATUSES, type InitiativeModel, JOB_QUALITY_COMPONENTS, labelOf } from '@lever/shared'
import { memo } from 'react'
import { CommentOnButton, ThreadCount } from '../comments/CommentButtons.tsx'
import { CopyToMyPlan, InitiativeOrigin } from '../templates/PlanCopies.tsx'
import { formatDateWith } from '../ui/time.ts'
import { useDerivedValue } from './derived.tsx'
import { domIds } from './domIds.ts'
import { InitiativeEditor } from './InitiativeEditor.tsx'
import { ItemControls } from './ItemControls.tsx'
import { usePlanPart, usePlanPeersAt, usePlanSession } from './PlanContext.tsx'
import { usePlanUi } from './PlanUi.tsx'
import { provenanceShort } from './Provenance.tsx'
import { FocusZone, PeersHere } from './presenceUi.tsx'

export function initiativeName(title: string): string {
  return title.trim() || 'Untitled initiative'
}

const dateFormat = new Intl.DateTimeFormat('en-US', {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  timeZone: 'UTC',
})

function formatDate(iso: string | null): string {
  if (!iso) return 'not set'
  return formatDateWith(dateFormat, new Date(`${iso}T00:00:00Z`))
}

/** An initiative as a card: its key facts, its warnings, and (when open) its editor. */
export const InitiativeCard = memo(function InitiativeCard({
  initiative,
  index,
  total,
  leverLabel,
}: {
  initiative: InitiativeModel
  index: number
  total: number
  leverLabel: string
}) {
  const session = usePlanSession()
  const ui = usePlanUi()
  const id = initiative.id
  // The card re-renders when its own initiative changes, not when someone types elsewhere.
  usePlanPart(initiative.map)
  const warnings = useDerivedValue((d) => d.warningsFor(id))
  const open = ui.openInitiatives.has(id)
  const name = initiativeName(initiative.title)
  const status = INITIATIVE_STATUSES.find((s) => s.id === initiative.status) ?? INITIATIVE_STATUSES[0]
  const owner = initiative.text('owner')?.toString().trim() ?? ''
  const components = initiative.components
  const provenance = initiative.provenance
  const serious = warnings.filter((w) => w.severity === 'high').length
  const editorId = `${domIds.initiative(id)}-editor`
  return (
    <li className="initiative-list__item">
      <FocusZone
        as="article"
        focus={{ kind: 'initiative', id }}
        className={`item-card initiative-card${open ? ' initiative-card--open' : ''}`}
        id={domIds.initiative(id)}
        aria-labelledby={domIds.initiativeHeading(id)}
      >
        <div className="initiative-card__head">
          <h4 id={domIds.initiativeHeading(id)} tabIndex={-1} className={initiative.title.trim() ? '' : 'is-untitled'}>
            {name}
          </h4>
          <span className={`pill pill--${status.tone}`}>{status.label}</span>
          <PeersHere kind="initiative" id={id} />
        </div>
        <dl className="initiative-card__facts">
          <div>
            <dt>Owner</dt>
            <dd className={owner ? '' : 'is-missing'}>{owner || 'No owner yet'}</dd>
          </div>
          <div>
            <dt>Dates</dt>
            <dd>
              {formatDate(initiative.date('startDate'))} – {formatDate(initiative.date('dueDate'))}
            </dd>
          </div>
          <div>
            <dt>Components</dt>
            <dd className={components.length ? '' : 'is-missing'}>
              {components.length ? components.map((c) => labelOf(JOB_QUALITY_COMPONENTS, c)).join(', ') : 'None yet'}
            </dd>
          </div>
          {provenance ? (
            <div>
              <dt>From</dt>
              <dd data-testid="provenance-short">{provenanceShort(provenance)}</dd>
            </div>
          ) : null}
          <InitiativeOrigin initiative={initiative} />
          {warnings.length > 0 ? (
            <div>
              <dt>Warnings</dt>
              <dd className={serious ? 'is-serious' : 'is-warning'}>
                {warnings.length} {warnings.length === 1 ? 'warning' : 'warnings'}
                {serious ? ` (${serious} about SLFRF deadlines or funds)` : ''}
              </dd>
            </div>
          ) : null}
        </dl>
        <div className="initiative-card__actions">
          <button
            type="button"
            id={domIds.initiativeToggle(id)}
            className="button button--small"
            aria-expanded={open}
            aria-controls={editorId}
            onClick={() => ui.setInitiativeOpen(id, !open)}
          >
            {open ? 'Close' : session.readOnly ? 'Open' : 'Edit'}
            <span className="visually-hidden"> {name}</span>
          </button>
          <CommentOnButton
            draft={{ kind: 'initiative', initiativeId: id, label: name }}
            name={`initiative “${name}”`}
          />
          <ThreadCount initiativeId={id} name={`initiative “${name}”`} />
          <CopyToMyPlan initiative={initiative} name={name} />
          <ItemControls
            idPrefix={domIds.initiative(id)}
            index={index}
            total={total}
            kind="initiative"
            itemLabel={`initiative “${name}”`}
            onMove={(to) => session.edit(() => session.model.moveInitiative(id, initiative.lever, to))}
            onRemove={() => session.edit(() => session.model.removeInitiative(id))}
            removeBody={<RemoveInitiativeBody id={id} name={name} leverLabel={leverLabel} />}
            afterRemoveFocus={domIds.addInitiative(initiative.lever)}
          />
        </div>
        {open ? <InitiativeEditor id={editorId} initiative={initiative} /> : null}
      </FocusZone>
    </li>
  )
})

/** What removing an initiative does, and who is working in it right now (they would lose their place). */
function RemoveInitiativeBody({ id, name, leverLabel }: { id: string; name: string; leverLabel: string }) {
  const here = usePlanPeersAt('initiative', id)
  const names = here.map((p) => p.name)
  const who = names.length <= 2 ? names.join(' and ') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`
  return (
    <>
      <p>
        “{name}” and everything in it (funding, metrics, milestones) will be removed from {leverLabel} for everyone. You
        can undo this right after.
      </p>
      {names.length > 0 ? (
        <p className="notice" data-testid="remove-while-editing">
          {who} {names.length === 1 ? 'is' : 'are'} working on it right now: what they type in it from now on will not
          be kept.
        </p>
      ) : null}
    </>
  )
}
