import type { ReactNode } from 'react'
import { announce } from '../ui/announce.ts'
import { ConfirmButton } from '../ui/ConfirmButton.tsx'
import { useReadOnly } from '../ui/readOnly.ts'
import { focusWhenReady } from './PlanUi.tsx'

/**
 * Move up / move down / remove for one item of an ordered list (initiatives, funding lines,
 * metrics, milestones). The move buttons keep focus after the item moved; at the ends they are
 * aria-disabled rather than disabled, so focus is never lost.
 */
export function ItemControls({
  idPrefix,
  index,
  total,
  itemLabel,
  kind,
  onMove,
  onRemove,
  removeBody,
  afterRemoveFocus,
  extra,
}: {
  /** Prefix of the buttons' ids, unique per item. */
  idPrefix: string
  index: number
  total: number
  /** How the item is named to people, e.g. "metric “Jobs placed”". */
  itemLabel: string
  /** The kind of item, e.g. "metric". */
  kind: string
  onMove: (toIndex: number) => void
  onRemove: () => void
  removeBody: ReactNode
  /** Element to focus once the item is gone. */
  afterRemoveFocus: string
  extra?: ReactNode
}) {
  const readOnly = useReadOnly()
  if (readOnly) return extra ? <div className="item-controls">{extra}</div> : null
  const move = (delta: -1 | 1, buttonId: string) => {
    const to = index + delta
    if (to < 0 || to >= total) return
    onMove(to)
    announce(`Moved ${itemLabel} to position ${to + 1} of ${total}.`)
    requestAnimationFrame(() => focusWhenReady(buttonId))
  }
  const upId = `${idPrefix}-move-up`
  const downId = `${idPrefix}-move-down`
  return (
    <div className="item-controls">
      {extra}
      <button
        type="button"
        id={upId}
        className="button button--small button--quiet"
        aria-disabled={index === 0}
        aria-label={`Move ${itemLabel} up`}
        onClick={() => move(-1, upId)}
      >
        <span aria-hidden="true">↑</span> Up
      </button>
      <button
        type="button"
        id={downId}
        className="button button--small button--quiet"
        aria-disabled={index === total - 1}
        aria-label={`Move ${itemLabel} down`}
        onClick={() => move(1, downId)}
      >
        <span aria-hidden="true">↓</span> Down
      </button>
      <ConfirmButton
        id={`${idPrefix}-remove`}
        className="button button--small button--quiet button--danger"
        buttonLabel={`Remove ${itemLabel}`}
        title={`Remove this ${kind}?`}
        body={removeBody}
        confirmLabel={`Remove ${kind}`}
        onConfirm={() => {
          onRemove()
          announce(`Removed ${itemLabel}. Undo brings it back.`)
          focusWhenReady(afterRemoveFocus)
        }}
      >
        Remove
      </ConfirmButton>
    </div>
  )
}
