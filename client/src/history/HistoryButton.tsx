import { useRef, useState } from 'react'
import { HistoryDialog } from './HistoryDialog.tsx'

/** Opens the plan's version history; focus returns to the button when it closes. */
export function HistoryButton({ planId, canEdit }: { planId: string; canEdit: boolean }) {
  const [open, setOpen] = useState(false)
  const button = useRef<HTMLButtonElement>(null)
  return (
    <>
      <button
        ref={button}
        type="button"
        className="button button--small"
        aria-haspopup="dialog"
        onClick={() => setOpen(true)}
      >
        History
      </button>
      {open ? (
        <HistoryDialog
          planId={planId}
          canEdit={canEdit}
          onClose={() => {
            setOpen(false)
            button.current?.focus()
          }}
        />
      ) : null}
    </>
  )
}
