import { BRIEFING_BOOK_CSS, type Jurisdiction, type PlanSummary } from '@lever/shared'
import { useEffect, useMemo, useRef } from 'react'
import { Link } from 'react-router'
import type { PlanSession } from '../collab/PlanSession.ts'
import { useDocStatus, useDocVersion } from '../collab/sessionHooks.ts'
import { LoadingPanel } from '../ui/Panels.tsx'
import { briefingBookHtml } from './briefingBook.ts'
import './export.css'

/** The briefing book's stylesheet, once per page. */
function BriefingBookStyles() {
  return <style>{BRIEFING_BOOK_CSS}</style>
}

/** The renderer escapes every value it writes, so its HTML is safe to insert. */
function BookHtml({ html, className }: { html: string; className?: string }) {
  // biome-ignore lint/security/noDangerouslySetInnerHtml: briefingBookBody escapes everything it writes
  return <div className={className} dangerouslySetInnerHTML={{ __html: html }} />
}

/**
 * `/plans/:planId/print`: the plan as its briefing book, live, with the same layout as the PDF
 * export; the browser's print gives the book.
 */
export function PlanPrintView({
  session,
  plan,
  jurisdiction,
}: {
  session: PlanSession
  plan: PlanSummary
  jurisdiction: Jurisdiction | null
}) {
  const version = useDocVersion(session)
  const status = useDocStatus(session)
  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` changes with the document
  const html = useMemo(
    () => (status.loaded ? briefingBookHtml(session.doc, plan, jurisdiction) : ''),
    [status.loaded, version, session, plan, jurisdiction],
  )
  const title = session.model.title || plan.title
  useEffect(() => {
    document.title = `${title} (print view) — Lever`
  }, [title])
  if (!status.loaded) return <LoadingPanel>Loading “{plan.title}”…</LoadingPanel>
  return (
    <div className="print-view">
      <div className="print-view__bar">
        <Link to={`/plans/${encodeURIComponent(plan.id)}`}>Back to the plan</Link>
        <button type="button" className="button" onClick={() => window.print()}>
          Print
        </button>
      </div>
      <BriefingBookStyles />
      <BookHtml html={html} />
    </div>
  )
}

/**
 * On the plan page: nothing on screen, but when the browser prints (Ctrl+P) the page prints as
 * the briefing book instead of the editor (see export.css). The book is made just before printing.
 */
export function PrintableBriefingBook({
  session,
  plan,
  jurisdiction,
}: {
  session: PlanSession
  plan: PlanSummary
  jurisdiction: Jurisdiction | null
}) {
  const ref = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const before = () => {
      if (ref.current) ref.current.innerHTML = briefingBookHtml(session.doc, plan, jurisdiction)
    }
    const after = () => {
      if (ref.current) ref.current.innerHTML = ''
    }
    window.addEventListener('beforeprint', before)
    window.addEventListener('afterprint', after)
    return () => {
      window.removeEventListener('beforeprint', before)
      window.removeEventListener('afterprint', after)
    }
  }, [session, plan, jurisdiction])
  return (
    <>
      <BriefingBookStyles />
      <div ref={ref} className="print-book" />
    </>
  )
}
