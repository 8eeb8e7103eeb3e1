import { COHORT_EXPORT_FORMATS, PLAN_EXPORT_FORMATS } from '@lever/shared'
import { useEffect, useId, useRef, useState } from 'react'
import { Link } from 'react-router'
import { announce } from '../ui/announce.ts'
import { downloadExport } from './download.ts'
import './export.css'

type Format = { id: string; label: string; extension: string; slow: boolean }

type State =
  | { kind: 'idle' }
  | { kind: 'working'; label: string }
  | { kind: 'done'; name: string }
  | { kind: 'failed'; message: string }

/**
 * A disclosure of export formats. Picking one downloads it; slower formats (PDF, Word) show a
 * progress indicator, and a failure says why (e.g. the server has no browser for PDF).
 */
function ExportDisclosure({
  title,
  formats,
  pathFor,
  fallbackName,
  children,
}: {
  title: string
  formats: readonly Format[]
  pathFor: (format: string) => string
  fallbackName: string
  children?: React.ReactNode
}) {
  const [state, setState] = useState<State>({ kind: 'idle' })
  const abort = useRef<AbortController | null>(null)
  const statusId = useId()
  useEffect(() => () => abort.current?.abort(), [])

  const run = async (format: Format) => {
    abort.current?.abort()
    const controller = new AbortController()
    abort.current = controller
    setState({ kind: 'working', label: format.label })
    try {
      const name = await downloadExport(pathFor(format.id), `${fallbackName}.${format.extension}`, controller.signal)
      setState({ kind: 'done', name })
      announce(`Downloaded ${name}`)
    } catch (error) {
      if ((error as Error).name === 'AbortError') return
      setState({ kind: 'failed', message: (error as Error).message })
    }
  }

  return (
    <details className="export-menu">
      <summary className="button button--small">{title}</summary>
      <div className="export-menu__panel">
        {children}
        <ul className="export-menu__list" aria-describedby={statusId}>
          {formats.map((f) => (
            <li key={f.id}>
              <button
                type="button"
                className="button button--small button--quiet"
                disabled={state.kind === 'working'}
                onClick={() => void run(f)}
              >
                {f.label}
              </button>
            </li>
          ))}
        </ul>
        <div id={statusId} role="status" aria-live="polite" className="export-menu__status">
          {state.kind === 'working' ? (
            <>
              <progress aria-label={`Preparing ${state.label}`} />
              <span>
                Preparing {state.label}…
                {formats.find((f) => f.label === state.label)?.slow ? ' This can take a minute for a large plan.' : ''}
              </span>
              <button
                type="button"
                className="button button--small button--quiet"
                onClick={() => abort.current?.abort()}
              >
                Cancel
              </button>
            </>
          ) : null}
          {state.kind === 'done' ? <span>Downloaded {state.name}.</span> : null}
        </div>
        {state.kind === 'failed' ? (
          <p className="export-menu__error" role="alert">
            The export failed: {state.message}
          </p>
        ) : null}
      </div>
    </details>
  )
}

/** The plan page's export menu: every format, the comments appendix option, and the print view. */
export function PlanExportMenu({ planId, title }: { planId: string; title: string }) {
  const [comments, setComments] = useState(false)
  const checkId = useId()
  return (
    <ExportDisclosure
      title="Export"
      formats={PLAN_EXPORT_FORMATS}
      fallbackName={title || 'plan'}
      pathFor={(format) =>
        `/plans/${encodeURIComponent(planId)}/export?format=${format}${comments ? '&comments=1' : ''}`
      }
    >
      <div className="field field--check">
        <input id={checkId} type="checkbox" checked={comments} onChange={(e) => setComments(e.target.checked)} />
        <label htmlFor={checkId}>Include open comment threads (PDF, Word, Markdown)</label>
      </div>
      <p className="export-menu__print">
        <Link to={`/plans/${encodeURIComponent(planId)}/print`}>Open the print view</Link> (or press Ctrl+P here)
      </p>
    </ExportDisclosure>
  )
}

/** The cohort page's roll-up export, for facilitators. */
export function CohortExportMenu() {
  return (
    <ExportDisclosure
      title="Export the cohort roll-up"
      formats={COHORT_EXPORT_FORMATS}
      fallbackName="cohort-roll-up"
      pathFor={(format) => `/cohort/export?format=${format}`}
    />
  )
}
