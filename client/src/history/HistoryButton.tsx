import { Suspense, useRef, useState } from 'react'
import { lazyPart } from '../app/lazyPage.tsx'

// The history's code (versions, their views, comparing) loads when it is first opened or pointed at.
const HistoryDialog = lazyPart(async () => (await import('./HistoryDialog.tsx')).HistoryDialog, {
  title: 'The version history',
  level: 2,
})

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
        onPointerEnter={HistoryDialog.preload}
        onFocus={HistoryDialog.preload}
      >
        History
      </button>
      {open ? (
        <Suspense fallback={<span role="status">Opening the history…</span>}>
          <HistoryDialog
            planId={planId}
            canEdit={canEdit}
            onClose={() => {
              setOpen(false)
              button.current?.focus()
            }}
          />
        </Suspense>
      ) : null}
    </>
  )
}
