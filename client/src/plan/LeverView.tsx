import type { InitiativeModel, LeverDef } from '@lever/shared'
import { memo, useEffect, useMemo, useRef, useState } from 'react'
import type * as Y from 'yjs'
import { AddFromTemplate } from '../templates/PlanCopies.tsx'
import { announce } from '../ui/announce.ts'
import { EmptyState } from '../ui/Panels.tsx'
import { domIds } from './domIds.ts'
import { InitiativeCard } from './InitiativeCard.tsx'
import { usePlanPart, usePlanSession } from './PlanContext.tsx'
import { usePlanUi } from './PlanUi.tsx'

/** Whether a model still reads the collections its map holds now (it keeps those it found when made). */
function sameCollections(model: InitiativeModel): boolean {
  return (
    model.funding.map === model.map.get('funding') &&
    model.metrics.map === model.map.get('metrics') &&
    model.milestones.map === model.map.get('milestones')
  )
}

/** One lever of change with its initiatives, in order, and a button to add one. */
export const LeverView = memo(function LeverView({ lever }: { lever: LeverDef }) {
  const session = usePlanSession()
  const ui = usePlanUi()
  // The list follows the initiatives (not the prose): it re-renders when one is added, moved,
  // removed or edited, and hands each card the same model object for the same initiative map, so
  // the cards (memoized, each following its own initiative) re-render only for their own changes.
  usePlanPart(session.model.initiativesMap)
  const models = useMemo(() => new WeakMap<Y.Map<unknown>, InitiativeModel>(), [])
  const initiatives = session.model.initiatives(lever.id).map((initiative) => {
    const known = models.get(initiative.map)
    if (known && sameCollections(known)) return known
    models.set(initiative.map, initiative)
    return initiative
  })
  const removed = useRemovedWhileOpen(lever.id)
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
      {removed.notice ? (
        <div className="notice" role="alert" tabIndex={-1} ref={removed.noticeRef} data-testid="removed-while-open">
          <p>
            “{removed.notice.name}” was removed while you had it open (by someone else, or in another tab). Anything
            typed in it since was not kept. Whoever removed it can undo that, which brings back what it held.
          </p>
          <button type="button" className="button button--small" onClick={removed.dismiss}>
            Dismiss
          </button>
        </div>
      ) : null}
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

/**
 * Notices when someone else removes an initiative of this lever that this person has open: its
 * card would just vanish, with their focus (and their next keystrokes) in it. The notice names it
 * and takes the focus if the focus was in the card.
 */
function useRemovedWhileOpen(leverId: string) {
  const session = usePlanSession()
  const ui = usePlanUi()
  const open = useRef(ui.openInitiatives)
  open.current = ui.openInitiatives
  const [notice, setNotice] = useState<{ name: string; hadFocus: boolean; at: number } | null>(null)
  const noticeRef = useRef<HTMLDivElement>(null)
  const { setInitiativeOpen } = ui
  useEffect(() => {
    const map = session.model.initiativesMap
    const onChange = (event: Y.YMapEvent<Y.Map<unknown>>) => {
      if (event.transaction.local) return
      for (const [id, change] of event.changes.keys) {
        if (change.action !== 'delete' || !open.current.has(id)) continue
        // Read before the page re-renders without the card: its name, its lever, where the focus is.
        const card = document.getElementById(domIds.initiative(id))
        if (!card?.closest(`#${CSS.escape(domIds.lever(leverId))}`)) continue
        const name = document.getElementById(domIds.initiativeHeading(id))?.textContent?.trim() || 'An initiative'
        setNotice({ name, hadFocus: card.contains(document.activeElement), at: Date.now() })
        setInitiativeOpen(id, false)
      }
    }
    map.observe(onChange)
    return () => map.unobserve(onChange)
  }, [session, leverId, setInitiativeOpen])
  useEffect(() => {
    if (notice?.hadFocus) noticeRef.current?.focus()
  }, [notice])
  return { notice, noticeRef, dismiss: () => setNotice(null) }
}
