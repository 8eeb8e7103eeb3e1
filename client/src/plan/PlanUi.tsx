import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react'

export interface PlanUi {
  /** Initiatives whose editor is open (this person's view only). */
  openInitiatives: ReadonlySet<string>
  setInitiativeOpen(id: string, open: boolean): void
  /** Opens what is needed, then scrolls to the element and focuses it. */
  reveal(elementId: string, options?: { initiativeId?: string }): void
}

const PlanUiContext = createContext<PlanUi | null>(null)

export function usePlanUi(): PlanUi {
  const ui = useContext(PlanUiContext)
  if (!ui) throw new Error('usePlanUi() outside a plan page')
  return ui
}

/** Focuses an element once it exists (editors and opened initiatives mount a moment later). */
export function focusWhenReady(elementId: string, tries = 60): void {
  const el = document.getElementById(elementId)
  if (el) {
    el.scrollIntoView({ block: 'center' })
    el.focus({ preventScroll: true })
    return
  }
  if (tries > 0) requestAnimationFrame(() => focusWhenReady(elementId, tries - 1))
}

/** Focuses an element after the plan has re-rendered (e.g. once a moved item is in its new place). */
export function focusAfterRender(elementId: string): void {
  requestAnimationFrame(() => requestAnimationFrame(() => focusWhenReady(elementId)))
}

export function PlanUiProvider({ children }: { children: ReactNode }) {
  const [openInitiatives, setOpen] = useState<ReadonlySet<string>>(() => new Set())
  const pending = useRef<string | null>(null)

  const setInitiativeOpen = useCallback((id: string, open: boolean) => {
    setOpen((prev) => {
      if (prev.has(id) === open) return prev
      const next = new Set(prev)
      if (open) next.add(id)
      else next.delete(id)
      return next
    })
  }, [])

  const [revealTick, setRevealTick] = useState(0)
  const reveal = useCallback(
    (elementId: string, options: { initiativeId?: string } = {}) => {
      if (options.initiativeId) setInitiativeOpen(options.initiativeId, true)
      pending.current = elementId
      setRevealTick((n) => n + 1)
    },
    [setInitiativeOpen],
  )

  useEffect(() => {
    if (revealTick === 0 || !pending.current) return
    const id = pending.current
    pending.current = null
    focusWhenReady(id)
  }, [revealTick])

  const value = useMemo(
    () => ({ openInitiatives, setInitiativeOpen, reveal }),
    [openInitiatives, setInitiativeOpen, reveal],
  )
  return <PlanUiContext.Provider value={value}>{children}</PlanUiContext.Provider>
}
