import type { InitiativeModel, LeverDef } from '@lever/shared'
import { memo, useMemo } from 'react'
import { AddFromTemplate } from '../templates/PlanCopies.tsx'
import { announce } from '../ui/announce.ts'
import { EmptyState } from '../ui/Panels.tsx'
import { domIds } from './domIds.ts'
import { InitiativeCard } from './InitiativeCard.tsx'
import { usePlanSession, usePlanValue } from './PlanContext.tsx'
import { usePlanUi } from './PlanUi.tsx'

/** One lever of change with its initiatives, in order, and a button to add one. */
export const LeverView = memo(function LeverView({ lever }: { lever: LeverDef }) {
  const session = usePlanSession()
  const ui = usePlanUi()
  // The lever's initiatives in order, as ids: the list re-renders when they change, not on every
  // keystroke; each card follows its own initiative.
  const ids = usePlanValue((s) =>
    s.model
      .initiatives(lever.id)
      .map((i) => i.id)
      .join(' '),
  )
  // biome-ignore lint/correctness/useExhaustiveDependencies: `ids` is what says the list changed
  const initiatives = useMemo(() => session.model.initiatives(lever.id), [session, lever.id, ids])
  const add = () => {
    let created: InitiativeModel | null = null
    session.edit(() => {
      created = session.model.addInitiative(lever.id)
    })
    const id = (created as InitiativeModel | null)?.id
    if (!id) return
    announce(`Added an initiative to ${lever.label}. Give it a title.`)
    ui.reveal(domIds.initiativeField(id, 'title'), { initiativeId: id })
  }
  return (
    <section id={domIds.lever(lever.id)} className="lever" aria-labelledby={domIds.leverHeading(lever.id)}>
      <div className="lever__head">
        <h3 id={domIds.leverHeading(lever.id)} tabIndex={-1}>
          {lever.label}
        </h3>
        <span className="lever__count">
          {initiatives.length === 1 ? '1 initiative' : `${initiatives.length} initiatives`}
        </span>
      </div>
      <p className="lever__description">{lever.description}</p>
      {initiatives.length === 0 ? (
        <EmptyState>
          <p>
            No initiatives under {lever.label} yet. Add one: what you will do, who owns it, and how you will know it
            worked.
          </p>
        </EmptyState>
      ) : (
        <ol className="stack-list initiative-list" aria-label={`Initiatives under ${lever.label}`}>
          {initiatives.map((initiative, index) => (
            <InitiativeCard
              key={initiative.id}
              initiative={initiative}
              index={index}
              total={initiatives.length}
              leverLabel={lever.label}
            />
          ))}
        </ol>
      )}
      {session.readOnly ? null : (
        <div className="lever__add">
          <button type="button" id={domIds.addInitiative(lever.id)} className="button button--primary" onClick={add}>
            Add initiative to {lever.label}
          </button>
          <AddFromTemplate lever={lever} />
        </div>
      )}
    </section>
  )
})
