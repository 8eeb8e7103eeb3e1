import {
  DEFAULT_LEVERS,
  JOB_QUALITY_COMPONENTS,
  type Resource,
  type UpdateResourceRequest,
  updateResourceRequestSchema,
} from '@lever/shared'
import { type FormEvent, useEffect, useRef, useState } from 'react'
import { ApiRequestError } from '../api/http.ts'
import { announce } from '../ui/announce.ts'
import { CheckGroup } from '../ui/CheckGroup.tsx'
import { Field } from '../ui/Field.tsx'
import { updateResource } from './api.ts'

/** A facilitator edits a resource's title, description, tags and (for a link) its address. */
export function ResourceDialog({
  resource,
  onClose,
  onSaved,
}: {
  resource: Resource
  onClose: () => void
  onSaved: (resource: Resource) => void
}) {
  const dialog = useRef<HTMLDialogElement>(null)
  const [title, setTitle] = useState(resource.title)
  const [description, setDescription] = useState(resource.description)
  const [url, setUrl] = useState(resource.url ?? '')
  const [levers, setLevers] = useState<string[]>(resource.levers)
  const [components, setComponents] = useState<string[]>(resource.components)
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [busy, setBusy] = useState(false)
  useEffect(() => {
    const el = dialog.current
    if (el && !el.open) el.showModal()
  }, [])
  const toggle = (list: string[], id: string, on: boolean) => (on ? [...list, id] : list.filter((x) => x !== id))

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const body: UpdateResourceRequest = {
      title,
      description,
      levers: DEFAULT_LEVERS.map((l) => l.id).filter((id) => levers.includes(id)),
      components: JOB_QUALITY_COMPONENTS.map((c) => c.id).filter((id) => components.includes(id)),
      ...(resource.url !== null ? { url } : {}),
    }
    const parsed = updateResourceRequestSchema.safeParse(body)
    const found: Record<string, string> = {}
    if (!parsed.success) {
      for (const issue of parsed.error.issues) found[String(issue.path[0] ?? 'form')] ??= issue.message
    }
    setErrors(found)
    const first = Object.keys(found)[0]
    if (first) {
      document.getElementById(`edit-resource-${first}`)?.focus()
      return
    }
    setBusy(true)
    try {
      const saved = await updateResource(resource.id, body)
      announce(`Saved “${saved.title}”`)
      onSaved(saved)
    } catch (err) {
      const apiError = err instanceof ApiRequestError ? err : null
      const byField = apiError?.fieldErrors() ?? {}
      setErrors(
        Object.keys(byField).length > 0 ? byField : { form: apiError?.message ?? 'The resource could not be saved.' },
      )
      setBusy(false)
    }
  }

  return (
    <dialog
      ref={dialog}
      className="library-dialog"
      aria-labelledby="edit-resource-heading"
      onClose={onClose}
      onCancel={(e) => {
        e.preventDefault()
        onClose()
      }}
    >
      <form onSubmit={submit} noValidate>
        <h2 id="edit-resource-heading">Edit “{resource.title}”</h2>
        {errors.form ? (
          <p className="field-error" role="alert">
            {errors.form}
          </p>
        ) : null}
        <Field id="edit-resource-title" label="Title" error={errors.title}>
          {(a11y) => <input {...a11y} type="text" value={title} onChange={(e) => setTitle(e.target.value)} />}
        </Field>
        <Field id="edit-resource-description" label="Description" error={errors.description}>
          {(a11y) => (
            <textarea {...a11y} rows={3} value={description} onChange={(e) => setDescription(e.target.value)} />
          )}
        </Field>
        {resource.url !== null ? (
          <Field id="edit-resource-url" label="Link" hint="A web address starting with https://" error={errors.url}>
            {(a11y) => <input {...a11y} type="url" value={url} onChange={(e) => setUrl(e.target.value)} />}
          </Field>
        ) : null}
        <CheckGroup
          legend="Levers"
          idPrefix="edit-resource-lever"
          options={DEFAULT_LEVERS}
          checked={levers}
          onToggle={(id, on) => setLevers((l) => toggle(l, id, on))}
        />
        <CheckGroup
          legend="Components"
          idPrefix="edit-resource-component"
          options={JOB_QUALITY_COMPONENTS}
          checked={components}
          onToggle={(id, on) => setComponents((c) => toggle(c, id, on))}
        />
        <div className="dialog-actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? 'Saving…' : 'Save resource'}
          </button>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  )
}
