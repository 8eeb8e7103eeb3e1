import { newId } from '@lever/shared'
import type { ReactNode } from 'react'
import { announce } from '../ui/announce.ts'
import { useReadOnly } from '../ui/readOnly.ts'
import { usePlanSession } from './PlanContext.tsx'
import { focusWhenReady } from './PlanUi.tsx'

/**
 * One ordered list of an initiative (funding lines, metrics, milestones): its items, what it
 * says while empty, and an "Add" button that adds an item, says so, and puts focus in its first field.
 */
export function ItemListEditor({
  legend,
  hint,
  count,
  empty,
  addLabel,
  addId,
  added,
  add,
  firstField,
  children,
}: {
  legend: string
  hint?: ReactNode
  /** How many items there are (the empty text shows at 0). */
  count: number
  empty: string
  addLabel: string
  /** The id of the Add button (focus goes there when an item is removed). */
  addId: string
  /** What is announced once an item is added, e.g. "Added a metric." */
  added: string
  /** Adds the item with this id to the document (inside the session's edit). */
  add: (id: string) => void
  /** The element id of the first field of the item with this id. */
  firstField: (id: string) => string
  /** The items, each an `<li className="item-list__item">`. */
  children: ReactNode
}) {
  const session = usePlanSession()
  const readOnly = useReadOnly()
  const onAdd = () => {
    const id = newId()
    session.edit(() => add(id))
    announce(added)
    focusWhenReady(firstField(id))
  }
  return (
    <fieldset className="editor-block list-block">
      <legend>{legend}</legend>
      {hint}
      {count === 0 ? <p className="list-block__empty">{empty}</p> : null}
      <ol className="item-list">{children}</ol>
      {readOnly ? null : (
        <button type="button" id={addId} className="button" onClick={onAdd}>
          {addLabel}
        </button>
      )}
    </fieldset>
  )
}
