import { type ReactNode, useId, useRef, useState } from 'react'

/**
 * A button that asks before doing something destructive, in a modal dialog (focus moves into it,
 * Escape cancels, focus returns to the button on cancel).
 */
export function ConfirmButton({
  children,
  buttonLabel,
  title,
  body,
  confirmLabel,
  onConfirm,
  className = 'button button--quiet button--danger',
  confirmClassName = 'button button--danger',
  id,
}: {
  children: ReactNode
  /** Accessible name when the visible content is not enough (e.g. "Remove metric “Jobs placed”"). */
  buttonLabel?: string
  title: string
  body: ReactNode
  confirmLabel: string
  onConfirm: () => void
  className?: string
  /** The confirm button's look (destructive by default). */
  confirmClassName?: string
  id?: string
}) {
  const dialog = useRef<HTMLDialogElement>(null)
  const cancel = useRef<HTMLButtonElement>(null)
  const titleId = useId()
  const bodyId = useId()
  // The body is rendered only while the dialog is open: it may follow live state (who is where).
  const [open, setOpen] = useState(false)
  return (
    <>
      <button
        type="button"
        id={id}
        className={className}
        aria-label={buttonLabel}
        aria-haspopup="dialog"
        onClick={() => {
          setOpen(true)
          dialog.current?.showModal()
          // The safe choice gets focus.
          cancel.current?.focus()
        }}
      >
        {children}
      </button>
      <dialog
        ref={dialog}
        className="confirm-dialog"
        aria-labelledby={titleId}
        aria-describedby={bodyId}
        onClose={() => setOpen(false)}
      >
        <h2 id={titleId}>{title}</h2>
        <div id={bodyId}>{open ? body : null}</div>
        <div className="dialog-actions">
          <button
            type="button"
            className={confirmClassName}
            onClick={() => {
              dialog.current?.close()
              onConfirm()
            }}
          >
            {confirmLabel}
          </button>
          <button type="button" className="button" ref={cancel} onClick={() => dialog.current?.close()}>
            Cancel
          </button>
        </div>
      </dialog>
    </>
  )
}
