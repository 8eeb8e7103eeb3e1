import type { VersionSummary } from '@lever/shared'
import { type FormEvent, useEffect, useRef, useState } from 'react'
import { ApiRequestError } from '../api/http.ts'
import { useApi } from '../api/useApi.ts'
import { announce } from '../ui/announce.ts'
import { Field } from '../ui/Field.tsx'
import { listVersions, nameVersion, restoreVersion } from './api.ts'
import { kindLabel, peopleList, versionTime, versionTitle } from './labels.ts'
import { VersionPane } from './VersionPane.tsx'
import './history.css'

const errorText = (error: unknown) => (error instanceof ApiRequestError ? error.message : 'Something went wrong.')

/**
 * The plan's version history in a modal dialog: versions newest first with who and when, one
 * selected to see or compare; editors name the current state and restore (and undo a restore).
 */
export function HistoryDialog({ planId, canEdit, onClose }: { planId: string; canEdit: boolean; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null)
  const [state, reload] = useApi(['versions', planId], (signal) => listVersions(planId, signal))
  const [selected, setSelected] = useState<string | null>(null)
  const [name, setName] = useState('')
  const [nameError, setNameError] = useState<string | null>(null)
  const [notice, setNotice] = useState<{ text: string; undo: string | null } | null>(null)

  useEffect(() => {
    const el = dialog.current
    if (el && !el.open) el.showModal()
  }, [])

  const saveName = async (e: FormEvent) => {
    e.preventDefault()
    try {
      const version = await nameVersion(planId, name)
      setName('')
      setNameError(null)
      setSelected(version.id)
      setNotice({ text: `Saved “${version.name}”.`, undo: null })
      reload()
    } catch (err) {
      setNameError(errorText(err))
    }
  }

  const restored = (beforeRestore: string, what: string) => {
    const text = `Restored ${what}. Everyone in the plan sees it now; comments are kept.`
    setNotice({ text, undo: beforeRestore })
    announce(text)
    reload()
  }

  const deleted = (what: string) => {
    const text = `Deleted ${what} from the history.`
    setSelected(null)
    setNotice({ text, undo: null })
    announce(text)
    reload()
    // The pane and its buttons are gone: keyboard focus goes back to the top of the history.
    requestAnimationFrame(() => document.getElementById('history-heading')?.focus())
  }

  const undo = async (beforeRestore: string) => {
    try {
      await restoreVersion(planId, beforeRestore)
      const text = 'The restore is undone: the plan is back as it was before it.'
      setNotice({ text, undo: null })
      announce(text)
      reload()
    } catch (err) {
      setNotice({ text: errorText(err), undo: beforeRestore })
    }
  }

  // While the list reloads (after naming or restoring), the previous one stays on screen.
  const [shown, setShown] = useState<VersionSummary[]>([])
  useEffect(() => {
    if (state.status === 'ready') setShown(state.data)
  }, [state])
  const versions = state.status === 'ready' ? state.data : shown
  const current = versions.find((v) => v.id === selected) ?? null
  return (
    <dialog
      ref={dialog}
      className="history-dialog"
      aria-labelledby="history-heading"
      // React hands the close event of a nested (confirmation) dialog to this one too.
      onClose={(e) => e.target === e.currentTarget && onClose()}
    >
      <div className="history-dialog__top">
        <h2 id="history-heading" tabIndex={-1}>
          Version history
        </h2>
        <button type="button" className="button button--small" onClick={() => dialog.current?.close()}>
          Close
        </button>
      </div>
      {notice ? (
        <div className="history-notice" role="status">
          <p>{notice.text}</p>
          {notice.undo ? (
            <button type="button" className="button button--small" onClick={() => void undo(notice.undo as string)}>
              Undo the restore
            </button>
          ) : null}
        </div>
      ) : null}
      <div className="history-dialog__body">
        <div className="history-list-pane">
          {canEdit ? (
            <form className="history-inline-form" onSubmit={saveName}>
              <Field id="history-name" label="Name the plan as it is now" error={nameError}>
                {(a11y) => (
                  <input
                    {...a11y}
                    value={name}
                    maxLength={120}
                    placeholder="e.g. Submitted to council, March"
                    onChange={(e) => setName(e.target.value)}
                  />
                )}
              </Field>
              <button type="submit" className="button button--small">
                Save version
              </button>
            </form>
          ) : null}
          {state.status === 'loading' && versions.length === 0 ? (
            <p className="history-empty">Loading versions…</p>
          ) : null}
          {state.status === 'error' ? <p role="alert">{state.error.message}</p> : null}
          {state.status === 'ready' && versions.length === 0 ? <p className="history-empty">No versions yet.</p> : null}
          <ol className="history-list" aria-label="Versions, newest first">
            {versions.map((v) => {
              const authors = peopleList(v.authors)
              const isSelected = v.id === selected
              return (
                <li key={v.id}>
                  <button
                    type="button"
                    className={`history-item${isSelected ? ' history-item--selected' : ''}`}
                    aria-current={isSelected ? 'true' : undefined}
                    onClick={() => {
                      setSelected(v.id)
                      requestAnimationFrame(() => document.getElementById('history-pane-heading')?.focus())
                    }}
                  >
                    <span className="history-item__title">
                      {isSelected ? <span aria-hidden="true">▶ </span> : null}
                      {versionTitle(v)}
                    </span>
                    <span className="history-item__meta">
                      {versionTime(v)}
                      {v.name ? ` · ${kindLabel(v)}` : ''}
                    </span>
                    <span className="history-item__meta">
                      {v.createdBy
                        ? `By ${v.createdBy.name}`
                        : authors
                          ? `Changes by ${authors}`
                          : 'No changes by anyone yet'}
                    </span>
                  </button>
                </li>
              )
            })}
          </ol>
        </div>
        {current ? (
          <VersionPane
            key={current.id}
            planId={planId}
            version={current}
            versions={versions}
            canEdit={canEdit}
            onChanged={reload}
            onRestored={restored}
            onDeleted={deleted}
          />
        ) : (
          <p className="history-empty history-pane">Choose a version to see the plan as it was, or to compare it.</p>
        )}
      </div>
    </dialog>
  )
}
