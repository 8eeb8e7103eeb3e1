import {
  createResourceLinkSchema,
  DEFAULT_LEVERS,
  JOB_QUALITY_COMPONENTS,
  RESOURCE_ACCEPT,
  RESOURCE_FILE_TYPES,
  type Resource,
} from '@lever/shared'
import { type FormEvent, useEffect, useRef, useState } from 'react'
import { ApiRequestError } from '../api/http.ts'
import { useApi } from '../api/useApi.ts'
import { useIdentity } from '../app/identity.ts'
import { announce } from '../ui/announce.ts'
import { CheckGroup } from '../ui/CheckGroup.tsx'
import { ConfirmButton } from '../ui/ConfirmButton.tsx'
import { Field } from '../ui/Field.tsx'
import { EmptyState, PendingPanels } from '../ui/Panels.tsx'
import { addResourceLink, deleteResource, listResources, uploadResource } from './api.ts'
import { ExternalLink, TagList } from './EvidenceCard.tsx'
import { componentLabel, leverLabel, sizeText } from './labels.ts'
import { ResourceDialog } from './ResourceDialog.tsx'

const typeLabel = (type: string) => RESOURCE_FILE_TYPES.find((t) => t.type === type)?.label ?? 'File'

/** `/library/resources`: tools and sample documents; facilitators add links and files and remove them. */
export function ResourcesPage() {
  const identity = useIdentity()
  const facilitator = identity?.user.role === 'facilitator'
  const [state, reload] = useApi(['library', 'resources'], (signal) => listResources(signal))
  const [added, setAdded] = useState<Resource[]>([])
  const [removed, setRemoved] = useState<Set<string>>(() => new Set())
  const [error, setError] = useState<string | null>(null)
  const [editing, setEditing] = useState<Resource | null>(null)
  const [edited, setEdited] = useState<Map<string, Resource>>(() => new Map())
  useEffect(() => {
    document.title = 'Resources — Library — Lever'
  }, [])
  const loaded = state.status === 'ready' ? state.data : []
  const resources = [...loaded, ...added.filter((a) => !loaded.some((r) => r.id === a.id))]
    .map((r) => edited.get(r.id) ?? r)
    .filter((r) => !removed.has(r.id))
    .sort((a, b) => a.title.localeCompare(b.title))

  const remove = async (resource: Resource) => {
    setError(null)
    try {
      await deleteResource(resource.id)
      setRemoved((prev) => new Set(prev).add(resource.id))
      announce(`Removed “${resource.title}”`)
    } catch (err) {
      setError(err instanceof ApiRequestError ? err.message : 'The resource could not be removed.')
    }
  }

  return (
    <section aria-labelledby="resources-heading">
      <h2 id="resources-heading">Resources</h2>
      <PendingPanels
        state={state}
        loading="Loading resources…"
        failed="Resources could not be loaded"
        onRetry={reload}
      />
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className={facilitator ? 'two-columns' : undefined}>
        <div>
          {state.status === 'ready' && resources.length === 0 ? (
            <EmptyState>
              <p>No tools or sample documents have been shared yet.</p>
            </EmptyState>
          ) : null}
          <ul className="resource-list">
            {resources.map((r) => (
              <li key={r.id} id={`resource-${r.id}`} className="card resource-card" data-testid="resource">
                <h3 className="resource-card__title" tabIndex={-1}>
                  {r.title}
                </h3>
                {r.description ? <p>{r.description}</p> : null}
                <dl className="library-facts">
                  <TagList label="Levers" items={r.levers.map(leverLabel)} />
                  <TagList label="Components" items={r.components.map(componentLabel)} />
                </dl>
                <p className="resource-card__open">
                  {r.file ? (
                    <a href={r.file.href} download={r.file.name}>
                      Download {r.file.name}{' '}
                      <span className="resource-card__meta">
                        ({typeLabel(r.file.type)}, {sizeText(r.file.size)})
                      </span>
                    </a>
                  ) : r.url ? (
                    <ExternalLink href={r.url}>Open the link</ExternalLink>
                  ) : null}
                </p>
                {facilitator ? (
                  <div className="resource-card__actions">
                    <button
                      type="button"
                      className="button button--small"
                      aria-haspopup="dialog"
                      aria-label={`Edit “${r.title}”`}
                      onClick={() => setEditing(r)}
                    >
                      Edit
                    </button>
                    <ConfirmButton
                      buttonLabel={`Remove “${r.title}”`}
                      title={`Remove “${r.title}”?`}
                      body={
                        r.file
                          ? 'The resource and its file are deleted for everyone.'
                          : 'The link is removed for everyone.'
                      }
                      confirmLabel="Remove"
                      onConfirm={() => void remove(r)}
                    >
                      Remove
                    </ConfirmButton>
                  </div>
                ) : null}
              </li>
            ))}
          </ul>
        </div>
        {facilitator ? <AddResourceForm onAdded={(r) => setAdded((prev) => [...prev, r])} /> : null}
      </div>
      {editing ? (
        <ResourceDialog
          key={editing.id}
          resource={editing}
          onClose={() => setEditing(null)}
          onSaved={(saved) => {
            setEdited((prev) => new Map(prev).set(saved.id, saved))
            setEditing(null)
          }}
        />
      ) : null}
    </section>
  )
}

/** A facilitator adds a link or uploads a file (the server checks size and type again). */
function AddResourceForm({ onAdded }: { onAdded: (resource: Resource) => void }) {
  const [kind, setKind] = useState<'link' | 'file'>('link')
  const [title, setTitle] = useState('')
  const [description, setDescription] = useState('')
  const [url, setUrl] = useState('')
  const [levers, setLevers] = useState<string[]>([])
  const [components, setComponents] = useState<string[]>([])
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [busy, setBusy] = useState(false)
  const fileInput = useRef<HTMLInputElement>(null)
  const toggle = (list: string[], id: string, on: boolean) => (on ? [...list, id] : list.filter((x) => x !== id))

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const fields = {
      title,
      description,
      levers: DEFAULT_LEVERS.map((l) => l.id).filter((id) => levers.includes(id)),
      components: JOB_QUALITY_COMPONENTS.map((c) => c.id).filter((id) => components.includes(id)),
    }
    const found: Record<string, string> = {}
    const file = fileInput.current?.files?.[0]
    if (kind === 'link') {
      const parsed = createResourceLinkSchema.safeParse({ ...fields, url })
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          const key = String(issue.path[0] ?? 'form')
          found[key] ??= issue.message
        }
      }
    } else {
      if (!title.trim()) found.title = 'Title is required'
      if (!file) found.file = 'Choose a file to upload'
    }
    setErrors(found)
    const first = Object.keys(found)[0]
    if (first) {
      document.getElementById(`resource-${first}`)?.focus()
      return
    }
    setBusy(true)
    try {
      let resource: Resource
      if (kind === 'link') resource = await addResourceLink({ ...fields, url })
      else {
        const form = new FormData()
        form.set('title', fields.title)
        form.set('description', fields.description)
        for (const l of fields.levers) form.append('levers', l)
        for (const c of fields.components) form.append('components', c)
        form.set('file', file as File)
        resource = await uploadResource(form)
      }
      onAdded(resource)
      announce(`Added “${resource.title}”`)
      setTitle('')
      setDescription('')
      setUrl('')
      setLevers([])
      setComponents([])
      if (fileInput.current) fileInput.current.value = ''
    } catch (err) {
      const apiError = err instanceof ApiRequestError ? err : null
      const byField = apiError?.fieldErrors() ?? {}
      const key = apiError && (apiError.status === 413 || apiError.status === 415) ? 'file' : 'form'
      setErrors(
        Object.keys(byField).length > 0 ? byField : { [key]: apiError?.message ?? 'The resource could not be added.' },
      )
      if (key === 'file') fileInput.current?.focus()
    } finally {
      setBusy(false)
    }
  }

  return (
    <form className="card resource-form" onSubmit={submit} noValidate aria-labelledby="add-resource-heading">
      <h3 id="add-resource-heading">Add a resource</h3>
      {errors.form ? (
        <p className="field-error" role="alert">
          {errors.form}
        </p>
      ) : null}
      <fieldset>
        <legend>What are you adding?</legend>
        <div className="check check--inline">
          <input
            type="radio"
            id="resource-kind-link"
            name="resource-kind"
            checked={kind === 'link'}
            onChange={() => setKind('link')}
          />
          <label htmlFor="resource-kind-link">A link</label>
        </div>
        <div className="check check--inline">
          <input
            type="radio"
            id="resource-kind-file"
            name="resource-kind"
            checked={kind === 'file'}
            onChange={() => setKind('file')}
          />
          <label htmlFor="resource-kind-file">A file</label>
        </div>
      </fieldset>
      <Field id="resource-title" label="Title" error={errors.title}>
        {(a11y) => <input {...a11y} type="text" value={title} onChange={(e) => setTitle(e.target.value)} />}
      </Field>
      <Field
        id="resource-description"
        label="Description"
        hint="What it is and when it helps."
        error={errors.description}
      >
        {(a11y) => <textarea {...a11y} rows={3} value={description} onChange={(e) => setDescription(e.target.value)} />}
      </Field>
      {kind === 'link' ? (
        <Field id="resource-url" label="Link" hint="A web address starting with https://" error={errors.url}>
          {(a11y) => <input {...a11y} type="url" value={url} onChange={(e) => setUrl(e.target.value)} />}
        </Field>
      ) : (
        <Field
          id="resource-file"
          label="File"
          hint="PDF, Word, Excel, PowerPoint, CSV, text, PNG or JPEG."
          error={errors.file}
        >
          {(a11y) => <input {...a11y} ref={fileInput} type="file" accept={RESOURCE_ACCEPT} />}
        </Field>
      )}
      <CheckGroup
        legend="Levers"
        idPrefix="resource-lever"
        options={DEFAULT_LEVERS}
        checked={levers}
        onToggle={(id, on) => setLevers((l) => toggle(l, id, on))}
      />
      <CheckGroup
        legend="Components"
        idPrefix="resource-component"
        options={JOB_QUALITY_COMPONENTS}
        checked={components}
        onToggle={(id, on) => setComponents((c) => toggle(c, id, on))}
      />
      <button type="submit" className="button button--primary" disabled={busy}>
        {busy ? 'Adding…' : 'Add resource'}
      </button>
    </form>
  )
}
