import { CloseCode, type Jurisdiction, type LeverDef, type PlanSummary } from '@lever/shared'
import { useEffect, useMemo, useState } from 'react'
import { useLocation, useSearchParams } from 'react-router'
import type { PlanSession } from '../collab/PlanSession.ts'
import { useLeaveGuard } from '../collab/sessionHooks.ts'
import { CommentsProvider, useComments } from '../comments/CommentsContext.tsx'
import { CommentsSidebar } from '../comments/CommentsSidebar.tsx'
import { PlanExportMenu } from '../export/ExportMenu.tsx'
import { PrintableBriefingBook } from '../export/PrintView.tsx'
import { PlanTabs } from '../progress/PlanTabs.tsx'
import { PlanCopiesProvider } from '../templates/PlanCopies.tsx'
import { ErrorPanel, LoadingPanel } from '../ui/Panels.tsx'
import { ReadOnlyContext } from '../ui/readOnly.ts'
import { ReplacedChoiceNotices } from './choices/ReplacedChoiceNotices.tsx'
import { DerivedProvider } from './derived.tsx'
import { PlanHealth } from './health/PlanHealth.tsx'
import { LeverView } from './LeverView.tsx'
import { PlanSessionContext, usePlanSession, usePlanStatus, usePlanValue } from './PlanContext.tsx'
import { PlanHeader } from './PlanHeader.tsx'
import { PlanNav } from './PlanNav.tsx'
import { PlanUiProvider } from './PlanUi.tsx'
import { ProseGroup } from './ProseGroup.tsx'
import { StatusBar } from './StatusBar.tsx'

/** Close codes after which the plan's content is no longer shown (access revoked, plan deleted). */
const GONE = new Set<number>([CloseCode.Forbidden, CloseCode.DocumentNotFound])

/** The plan page: one open plan document, its editors, presence and derived views. */
export function PlanWorkspace({
  session,
  plan,
  jurisdiction,
}: {
  session: PlanSession
  plan: PlanSummary
  jurisdiction: Jurisdiction | null
}) {
  useLeaveGuard(session)
  return (
    <PlanSessionContext.Provider value={session}>
      <ReadOnlyContext.Provider value={session.readOnly}>
        <PlanUiProvider>
          <UndoShortcuts session={session} />
          <PlanBody plan={plan} jurisdiction={jurisdiction} />
        </PlanUiProvider>
      </ReadOnlyContext.Provider>
    </PlanSessionContext.Provider>
  )
}

function PlanBody({ plan, jurisdiction }: { plan: PlanSummary; jurisdiction: Jurisdiction | null }) {
  const status = usePlanStatus()
  const session = usePlanSession()
  // The page reads only the title from the document; each part below follows its own part.
  const modelTitle = usePlanValue((s) => s.model.title)
  const title = status.loaded ? modelTitle || plan.title : plan.title
  useEffect(() => {
    document.title = `${title} — Lever`
  }, [title])

  if (!status.loaded) {
    if (status.connection === 'closed') {
      return (
        <ErrorPanel title="This plan cannot be opened">
          <p>{status.closedMessage}</p>
        </ErrorPanel>
      )
    }
    if (status.connection === 'offline') {
      return (
        <ErrorPanel title="The plan could not be loaded">
          <p>Lever’s server cannot be reached. The page keeps trying; check your connection.</p>
        </ErrorPanel>
      )
    }
    return <LoadingPanel>Loading “{plan.title}”…</LoadingPanel>
  }
  if (status.connection === 'closed' && GONE.has(status.closeCode ?? 0)) {
    // The person may no longer see the plan (or it was deleted): what the page still holds goes.
    return (
      <ErrorPanel title="This plan is no longer available to you">
        <p>{status.closedMessage}</p>
      </ErrorPanel>
    )
  }
  return (
    <DerivedProvider>
      <CommentsProvider plan={plan}>
        <PlanCopiesProvider plan={plan}>
          <PrintableBriefingBook session={session} plan={plan} jurisdiction={jurisdiction} />
          <div className="plan-page">
            <StatusBar planId={plan.id} />
            <div className="export-bar">
              <PlanExportMenu planId={plan.id} title={title} />
            </div>
            <PlanHeader plan={plan} jurisdiction={jurisdiction} />
            <PlanTabs plan={<PlanLayout />} />
            <ReplacedChoiceNotices />
          </div>
        </PlanCopiesProvider>
      </CommentsProvider>
    </DerivedProvider>
  )
}

/** Contents, the plan, and (when open) the comments beside it. */
function PlanLayout() {
  const comments = useComments()
  const shown = usePartsShown()
  return (
    <div
      className={`plan-layout${comments.sidebarOpen ? ' plan-layout--comments' : ''}`}
      // Assistive technology waits for the page to be complete before reading its changes.
      aria-busy={shown < LATER_PARTS ? true : undefined}
    >
      {/* The contents read the plan's derived views (its warnings, completeness), computed with
          the first later part rather than before the first section can be typed in. */}
      {shown >= 1 ? <PlanNav /> : <div className="plan-nav" />}
      <div className="plan-content">
        <ProseGroup group="Strategy" withTargets first={shown >= 1 ? undefined : 1} />
        {shown >= 1 ? <ProseGroup group="Equity" /> : null}
        {shown >= 2 ? <LeverViews /> : null}
        {shown >= 3 ? <PlanHealth /> : null}
      </div>
      {comments.sidebarOpen && shown >= 4 ? <CommentsSidebar /> : null}
    </div>
  )
}

/**
 * The parts of the plan page built after its first section: the contents and other sections,
 * levers, health, comments.
 */
const LATER_PARTS = 4

/**
 * How many of the later parts of the plan are on the page. The first render holds the top of the
 * page and the first section, which can be typed in at once; each later part (on a large plan,
 * tens to hundreds of milliseconds of work) follows after the one before has been drawn, so the
 * page takes keystrokes between them. A link to a place in the plan (a fragment, a thread)
 * builds the whole plan at once, so that the place is there when the page looks for it.
 */
function usePartsShown(): number {
  const { hash } = useLocation()
  const [params] = useSearchParams()
  const [shown, setShown] = useState(() => (hash.length > 1 || params.has('thread') ? LATER_PARTS : 0))
  useEffect(() => {
    if (shown >= LATER_PARTS) return
    // After the next frame (or a moment, in a hidden tab, which gets no frames).
    let timer = 0
    const next = () => {
      cancelAnimationFrame(frame)
      window.clearTimeout(timer)
      timer = window.setTimeout(() => setShown((n) => n + 1), 0)
    }
    const frame = requestAnimationFrame(next)
    timer = window.setTimeout(next, 100)
    return () => {
      cancelAnimationFrame(frame)
      window.clearTimeout(timer)
    }
  }, [shown])
  return shown
}

function LeverViews() {
  // The levers as JSON: the same string while no lever changes, so a keystroke elsewhere leaves them.
  const leversJson = usePlanValue((s) => JSON.stringify(s.model.leverList()))
  const levers = useMemo(() => JSON.parse(leversJson) as LeverDef[], [leversJson])
  return (
    <section className="plan-group" aria-labelledby="group-levers">
      <h2 id="group-levers" className="plan-group__title" tabIndex={-1}>
        Levers and initiatives
      </h2>
      {levers.map((lever) => (
        <LeverView key={lever.id} lever={lever} />
      ))}
    </section>
  )
}

/**
 * Ctrl/Cmd+Z undoes, Ctrl/Cmd+Shift+Z and Ctrl+Y redo, anywhere on the plan page. Tiptap
 * editors handle the keys themselves with the same undo manager (and mark the event handled).
 * Moving to another field starts a new undo step.
 */
function UndoShortcuts({ session }: { session: PlanSession }) {
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey || !(e.ctrlKey || e.metaKey)) return
      const key = e.key.toLowerCase()
      const undo = key === 'z' && !e.shiftKey
      const redo = (key === 'z' && e.shiftKey) || (key === 'y' && !e.shiftKey && !e.metaKey)
      if (!undo && !redo) return
      if ((e.target as Element | null)?.closest?.('dialog[open]')) return
      e.preventDefault()
      if (undo) session.undo()
      else session.redo()
    }
    const onFocusIn = () => session.undoManager.stopCapturing()
    document.addEventListener('keydown', onKeyDown)
    document.addEventListener('focusin', onFocusIn)
    return () => {
      document.removeEventListener('keydown', onKeyDown)
      document.removeEventListener('focusin', onFocusIn)
    }
  }, [session])
  return null
}
