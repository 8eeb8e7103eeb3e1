import { type EvidenceCitation, type InitiativeModel, matchesEvidenceQuery } from '@lever/shared'
import { useEffect, useRef, useState } from 'react'
import { Link, useParams } from 'react-router'
import { ApiRequestError } from '../api/http.ts'
import { citeEntry, removeCitation } from '../library/api.ts'
import { RatingBadge } from '../library/EvidenceCard.tsx'
import { refreshEvidenceIndex, useEvidenceIndex } from '../library/evidenceIndex.ts'
import { dateText } from '../library/labels.ts'
import '../library/library.css'
import { announce } from '../ui/announce.ts'
import { useReadOnly } from '../ui/readOnly.ts'
import { usePlanVersion } from './PlanContext.tsx'

/**
 * Library entries cited in an initiative's evidence: each as it was when cited (title, rating),
 * marked "Updated since cited" when the entry has changed since. People who edit the plan cite
 * more from the library and remove citations; both are made by the server in the plan document.
 */
export function LibraryCitations({ initiative, idPrefix }: { initiative: InitiativeModel; idPrefix: string }) {
  usePlanVersion()
  const { planId = '' } = useParams()
  const readOnly = useReadOnly()
  const index = useEvidenceIndex()
  const [picking, setPicking] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const citations = initiative.citations
  const headingId = `${idPrefix}-heading`

  const remove = async (citation: EvidenceCitation) => {
    setError(null)
    try {
      await removeCitation(planId, initiative.id, citation.id)
      announce(`Removed the citation of “${citation.title}”`)
    } catch (err) {
      setError(err instanceof ApiRequestError ? err.message : 'The citation could not be removed.')
    }
  }

  return (
    <section className="citations" aria-labelledby={headingId} data-testid="library-citations">
      <h5 className="citations__heading" id={headingId}>
        From the library
      </h5>
      {citations.length === 0 ? <p className="field-hint">No library entries cited yet.</p> : null}
      {citations.length > 0 ? (
        <ul className="citations__list">
          {citations.map((c) => {
            const current = index?.get(c.entryId)
            const updated = current !== undefined && current.revision > c.revision
            return (
              <li key={c.id} className="citation" data-testid="citation">
                <Link className="citation__title" to={`/library/evidence/${encodeURIComponent(c.entryId)}`}>
                  {c.title}
                </Link>
                <span>
                  <span className="citation__meta">As cited: </span>
                  <RatingBadge rating={c.rating} />
                </span>
                {updated ? (
                  <span className="citation__updated" title="The library entry has changed since it was cited">
                    Updated since cited
                  </span>
                ) : null}
                <span className="citation__meta">
                  Cited by {c.byName} on {dateText(c.at)}
                </span>
                {readOnly ? null : (
                  <button
                    type="button"
                    className="button button--small button--quiet citation__remove"
                    aria-label={`Remove the citation of “${c.title}”`}
                    onClick={() => void remove(c)}
                  >
                    Remove
                  </button>
                )}
              </li>
            )
          })}
        </ul>
      ) : null}
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      {readOnly ? null : (
        <button type="button" className="button button--small" aria-haspopup="dialog" onClick={() => setPicking(true)}>
          Cite from library
        </button>
      )}
      {picking ? (
        <CitePicker
          cited={new Set(citations.map((c) => c.entryId))}
          onClose={() => setPicking(false)}
          onPick={async (entryId) => {
            const citation = await citeEntry(planId, initiative.id, entryId)
            refreshEvidenceIndex()
            announce(`Cited “${citation.title}”`)
            setPicking(false)
          }}
        />
      ) : null}
    </section>
  )
}

/** A searchable list of the library's entries, in a modal dialog; "Cite" cites one. */
function CitePicker({
  cited,
  onClose,
  onPick,
}: {
  cited: Set<string>
  onClose: () => void
  onPick: (entryId: string) => Promise<void>
}) {
  const dialog = useRef<HTMLDialogElement>(null)
  const index = useEvidenceIndex()
  const [q, setQ] = useState('')
  const [busy, setBusy] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    const el = dialog.current
    if (el && !el.open) el.showModal()
  }, [])
  const entries = index ? [...index.values()].filter((e) => matchesEvidenceQuery(e, { q })) : []
  entries.sort((a, b) => a.title.localeCompare(b.title))

  return (
    <dialog
      ref={dialog}
      className="library-dialog cite-picker"
      aria-labelledby="cite-picker-heading"
      onClose={onClose}
      onCancel={(e) => {
        e.preventDefault()
        onClose()
      }}
    >
      <h2 id="cite-picker-heading">Cite from the library</h2>
      <div className="field">
        <label htmlFor="cite-picker-search">Search the evidence</label>
        <input
          id="cite-picker-search"
          type="search"
          value={q}
          autoComplete="off"
          placeholder="Words in the title, summary or source"
          onChange={(e) => setQ(e.target.value)}
        />
      </div>
      <p className="visually-hidden" role="status">
        {index ? `${entries.length} entries` : 'Loading the library…'}
      </p>
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      {index === null ? <p>Loading the library…</p> : null}
      {index !== null && entries.length === 0 ? <p>No entry matches “{q}”.</p> : null}
      <ul className="cite-picker__results" aria-label="Library entries">
        {entries.map((e) => (
          <li key={e.id} className="cite-picker__result">
            <div>
              <div className="citation__title">{e.title}</div>
              <RatingBadge rating={e.rating} />
            </div>
            {cited.has(e.id) ? (
              <span className="citation__meta">Cited</span>
            ) : (
              <button
                type="button"
                className="button button--small button--primary"
                aria-label={`Cite “${e.title}”`}
                disabled={busy !== null}
                onClick={async () => {
                  setBusy(e.id)
                  setError(null)
                  try {
                    await onPick(e.id)
                  } catch (err) {
                    setError(err instanceof ApiRequestError ? err.message : 'The entry could not be cited.')
                    setBusy(null)
                  }
                }}
              >
                {busy === e.id ? 'Citing…' : 'Cite'}
              </button>
            )}
          </li>
        ))}
      </ul>
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
      </div>
    </dialog>
  )
}
