import type { SectionId, VersionSummary } from '@lever/shared'
import { type FormEvent, useState } from 'react'
import { ApiRequestError } from '../api/http.ts'
import { useApi } from '../api/useApi.ts'
import { useIdentity } from '../app/identity.ts'
import { ConfirmButton } from '../ui/ConfirmButton.tsx'
import { Field } from '../ui/Field.tsx'
import { compareVersion, deleteVersion, getVersion, renameVersion, restoreVersion } from './api.ts'
import { CompareView } from './CompareView.tsx'
import { peopleList, versionTime, versionTitle } from './labels.ts'
import { VersionView } from './VersionView.tsx'

const message = (error: unknown) => (error instanceof ApiRequestError ? error.message : 'Something went wrong.')

function ViewTab({
  planId,
  version,
  restorePart,
}: {
  planId: string
  version: VersionSummary
  restorePart: Parameters<typeof VersionView>[0]['restorePart']
}) {
  const [state] = useApi(['versions', 'view', version.id], (signal) => getVersion(planId, version.id, signal))
  if (state.status === 'loading') return <p className="history-empty">Loading the version…</p>
  if (state.status === 'error') return <p role="alert">{state.error.message}</p>
  return <VersionView detail={state.data} restorePart={restorePart} />
}

function CompareTab({
  planId,
  version,
  versions,
}: {
  planId: string
  version: VersionSummary
  versions: VersionSummary[]
}) {
  const [other, setOther] = useState('current')
  const [state] = useApi(['versions', 'compare', version.id, other], (signal) =>
    compareVersion(planId, version.id, other, signal),
  )
  return (
    <div>
      <Field id="history-compare-with" label="Compare with">
        {(a11y) => (
          <select {...a11y} value={other} onChange={(e) => setOther(e.target.value)}>
            <option value="current">The plan now</option>
            {versions
              .filter((v) => v.id !== version.id)
              .map((v) => (
                <option key={v.id} value={v.id}>
                  {versionTitle(v)}, {versionTime(v)}
                </option>
              ))}
          </select>
        )}
      </Field>
      {state.status === 'loading' ? <p className="history-empty">Comparing…</p> : null}
      {state.status === 'error' ? <p role="alert">{state.error.message}</p> : null}
      {state.status === 'ready' ? <CompareView result={state.data} /> : null}
    </div>
  )
}

function RenameForm({
  planId,
  version,
  onRenamed,
}: {
  planId: string
  version: VersionSummary
  onRenamed: () => void
}) {
  const [name, setName] = useState(version.name ?? '')
  const [error, setError] = useState<string | null>(null)
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    try {
      await renameVersion(planId, version.id, name)
      setError(null)
      onRenamed()
    } catch (err) {
      setError(message(err))
    }
  }
  return (
    <form className="history-inline-form" onSubmit={submit}>
      <Field id="history-rename" label={version.name ? 'Rename this version' : 'Name this version'} error={error}>
        {(a11y) => <input {...a11y} value={name} maxLength={120} onChange={(e) => setName(e.target.value)} />}
      </Field>
      <button type="submit" className="button button--small">
        Save name
      </button>
    </form>
  )
}

/** One version: see it as it was or compare it; editors name it and restore it (whole or in part). */
export function VersionPane({
  planId,
  version,
  versions,
  canEdit,
  onChanged,
  onRestored,
  onDeleted,
}: {
  planId: string
  version: VersionSummary
  versions: VersionSummary[]
  canEdit: boolean
  onChanged: () => void
  onRestored: (beforeRestore: string, what: string) => void
  onDeleted: (what: string) => void
}) {
  const facilitator = useIdentity()?.user.role === 'facilitator'
  const [mode, setMode] = useState<'view' | 'compare'>('view')
  const [error, setError] = useState<string | null>(null)
  const restore = async (
    request: { section: SectionId } | { initiativeId: string } | Record<string, never>,
    what: string,
  ) => {
    try {
      setError(null)
      onRestored(await restoreVersion(planId, version.id, request), what)
    } catch (err) {
      setError(message(err))
    }
  }
  const remove = async () => {
    try {
      setError(null)
      await deleteVersion(planId, version.id)
      onDeleted(`“${versionTitle(version)}”`)
    } catch (err) {
      setError(message(err))
    }
  }
  const authors = peopleList(version.authors)
  const restorePart = canEdit
    ? (part: { section: SectionId } | { initiativeId: string }, label: string) => (
        <ConfirmButton
          className="button button--small"
          confirmClassName="button button--primary"
          title={`Restore the ${label}?`}
          body={
            <p>
              The {label} becomes as it was in this version. A version of the plan as it is now is kept first, so you
              can undo this.
            </p>
          }
          confirmLabel="Restore"
          onConfirm={() => void restore(part, `the ${label}`)}
        >
          Restore this {label.split(' ')[0]}
          <span className="visually-hidden"> ({label})</span>
        </ConfirmButton>
      )
    : null
  return (
    <section className="history-pane" aria-labelledby="history-pane-heading">
      <header className="history-pane__head">
        <h3 id="history-pane-heading" tabIndex={-1}>
          {versionTitle(version)}
        </h3>
        <p className="history-meta">
          {versionTime(version)}
          {version.createdBy ? ` · by ${version.createdBy.name}` : ''}
          {authors ? ` · changes by ${authors}` : ''}
        </p>
        <fieldset className="history-actions">
          <legend className="visually-hidden">What to do with this version</legend>
          <button
            type="button"
            className="button button--small"
            aria-pressed={mode === 'view'}
            onClick={() => setMode('view')}
          >
            See this version
          </button>
          <button
            type="button"
            className="button button--small"
            aria-pressed={mode === 'compare'}
            onClick={() => setMode('compare')}
          >
            Compare
          </button>
          {canEdit ? (
            <ConfirmButton
              className="button button--small button--primary"
              confirmClassName="button button--primary"
              title="Restore this version?"
              body={
                <p>
                  The plan becomes as it was in this version, for everyone. Comments stay. A version of the plan as it
                  is now is kept first, so you can undo this.
                </p>
              }
              confirmLabel="Restore"
              onConfirm={() => void restore({}, `“${versionTitle(version)}”`)}
            >
              Restore this version
            </ConfirmButton>
          ) : null}
          {facilitator ? (
            <ConfirmButton
              className="button button--small"
              confirmClassName="button button--danger"
              title="Delete this version?"
              body={
                <p>
                  “{versionTitle(version)}” leaves the plan’s history for good, for everyone. The plan itself does not
                  change. Delete versions to make room when the history is full.
                </p>
              }
              confirmLabel="Delete version"
              onConfirm={() => void remove()}
            >
              Delete this version
            </ConfirmButton>
          ) : null}
        </fieldset>
        {error ? (
          <p role="alert" className="field-error">
            {error}
          </p>
        ) : null}
        {canEdit ? <RenameForm key={version.id} planId={planId} version={version} onRenamed={onChanged} /> : null}
      </header>
      {mode === 'view' ? (
        <ViewTab planId={planId} version={version} restorePart={restorePart} />
      ) : (
        <CompareTab planId={planId} version={version} versions={versions} />
      )}
    </section>
  )
}
