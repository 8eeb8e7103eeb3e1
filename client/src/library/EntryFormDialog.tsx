import {
  createEvidenceRequestSchema,
  DEFAULT_LEVERS,
  EVIDENCE_TIERS,
  type EvidenceEntry,
  JOB_QUALITY_COMPONENTS,
} from '@lever/shared'
import { type FormEvent, useEffect, useRef, useState } from 'react'
import { ApiRequestError } from '../api/http.ts'
import { announce } from '../ui/announce.ts'
import { CheckGroup } from '../ui/CheckGroup.tsx'
import { Field } from '../ui/Field.tsx'
import { createEvidence, updateEvidence } from './api.ts'
import { splitList } from './labels.ts'

interface Draft {
  title: string
  summary: string
  sourceName: string
  sourceUrl: string
  ratingScheme: string
  ratingValue: string
  suggestedTier: string
  levers: string[]
  components: string[]
  populations: string
  outcomeDomains: string
  checkedOn: string
  checkedWhere: string
}

function draftOf(entry: EvidenceEntry | null): Draft {
  return {
    title: entry?.title ?? '',
    summary: entry?.summary ?? '',
    sourceName: entry?.source.name ?? '',
    sourceUrl: entry?.source.url ?? '',
    ratingScheme: entry?.rating?.scheme ?? '',
    ratingValue: entry?.rating?.value ?? '',
    suggestedTier: entry?.suggestedTier ?? '',
    levers: entry?.levers ?? [],
    components: entry?.components ?? [],
    populations: entry?.populations.join(', ') ?? '',
    outcomeDomains: entry?.outcomeDomains.join(', ') ?? '',
    checkedOn: entry?.checked?.on ?? '',
    checkedWhere: entry?.checked?.where ?? '',
  }
}

/** Form paths of the API's field errors → the id of the control that shows them. */
const FIELD_IDS: Record<string, string> = {
  title: 'entry-title',
  summary: 'entry-summary',
  'source.name': 'entry-source-name',
  'source.url': 'entry-source-url',
  'rating.scheme': 'entry-rating-scheme',
  'rating.value': 'entry-rating-value',
  rating: 'entry-rating-scheme',
  suggestedTier: 'entry-tier',
  populations: 'entry-populations',
  outcomeDomains: 'entry-outcomes',
  'checked.on': 'entry-checked-on',
  'checked.where': 'entry-checked-where',
  checked: 'entry-checked-on',
}

function errorsByField(
  issues: ReadonlyArray<{ path: PropertyKey[] | string; message: string }>,
): Record<string, string> {
  const out: Record<string, string> = {}
  for (const issue of issues) {
    const path = Array.isArray(issue.path) ? issue.path.map(String) : String(issue.path).split('.')
    // "populations.2" → "populations"; "source.url" stays.
    const key = FIELD_IDS[path.join('.')] ? path.join('.') : (path[0] ?? 'form')
    if (!(key in out)) out[key] = issue.message
  }
  return out
}

/**
 * Adds or edits an evidence entry (facilitators), in a modal dialog. Everything is checked here
 * first with the API's own schema; what the server still refuses is shown beside its field.
 */
export function EntryFormDialog({
  entry,
  onClose,
  onSaved,
}: {
  entry: EvidenceEntry | null
  onClose: () => void
  onSaved: (entry: EvidenceEntry) => void
}) {
  const dialog = useRef<HTMLDialogElement>(null)
  const [draft, setDraft] = useState<Draft>(() => draftOf(entry))
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [busy, setBusy] = useState(false)
  useEffect(() => {
    const el = dialog.current
    if (el && !el.open) el.showModal()
  }, [])
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }))
  const toggle = (key: 'levers' | 'components', id: string, on: boolean) =>
    setDraft((d) => ({ ...d, [key]: on ? [...d[key], id] : d[key].filter((x) => x !== id) }))

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const found: Record<string, string> = {}
    const hasRating = draft.ratingScheme.trim() !== '' || draft.ratingValue.trim() !== ''
    if (hasRating && !draft.ratingScheme.trim()) found['rating.scheme'] = 'Name the rating scheme, or leave both empty'
    if (hasRating && !draft.ratingValue.trim()) found['rating.value'] = 'Give the rating, or leave both empty'
    const hasChecked = draft.checkedOn !== '' || draft.checkedWhere.trim() !== ''
    if (hasChecked && !draft.checkedOn) found['checked.on'] = 'Give the date it was checked'
    if (hasChecked && !draft.checkedWhere.trim()) found['checked.where'] = 'Say where it was checked'
    const body = {
      title: draft.title,
      summary: draft.summary,
      source: { name: draft.sourceName, url: draft.sourceUrl },
      rating: hasRating ? { scheme: draft.ratingScheme, value: draft.ratingValue } : null,
      outcomeDomains: splitList(draft.outcomeDomains),
      populations: splitList(draft.populations),
      components: JOB_QUALITY_COMPONENTS.map((c) => c.id).filter((id) => draft.components.includes(id)),
      levers: DEFAULT_LEVERS.map((l) => l.id).filter((id) => draft.levers.includes(id)),
      suggestedTier: draft.suggestedTier || null,
      checked: hasChecked ? { on: draft.checkedOn, where: draft.checkedWhere } : null,
    }
    const parsed = createEvidenceRequestSchema.safeParse(body)
    if (!parsed.success) Object.assign(found, { ...errorsByField(parsed.error.issues), ...found })
    setErrors(found)
    const first = Object.keys(found)[0]
    if (first) {
      document.getElementById(FIELD_IDS[first] ?? 'entry-title')?.focus()
      return
    }
    setBusy(true)
    try {
      const saved = entry ? await updateEvidence(entry.id, body as never) : await createEvidence(body as never)
      announce(entry ? 'Entry saved' : 'Entry added to the library')
      onSaved(saved)
    } catch (error) {
      const apiError = error instanceof ApiRequestError ? error : null
      const byField = apiError ? apiError.fieldErrors() : {}
      setErrors(
        Object.keys(byField).length > 0 ? byField : { form: apiError?.message ?? 'The entry could not be saved.' },
      )
    } finally {
      setBusy(false)
    }
  }

  const text = (key: keyof Draft, id: string, label: string, field: string, hint?: string, type = 'text') => (
    <Field id={id} label={label} hint={hint} error={errors[field]}>
      {(a11y) => (
        <input
          {...a11y}
          type={type}
          value={draft[key] as string}
          onChange={(e) => set(key, e.target.value as never)}
          autoComplete="off"
        />
      )}
    </Field>
  )

  return (
    <dialog
      ref={dialog}
      className="library-dialog"
      aria-labelledby="entry-form-heading"
      onClose={onClose}
      onCancel={(e) => {
        e.preventDefault()
        onClose()
      }}
    >
      <form onSubmit={submit} noValidate>
        <h2 id="entry-form-heading">{entry ? `Edit “${entry.title}”` : 'Add an evidence entry'}</h2>
        {errors.form ? (
          <p className="field-error" role="alert">
            {errors.form}
          </p>
        ) : null}
        {text('title', 'entry-title', 'Title', 'title', 'The intervention, as the source names it.')}
        <Field
          id="entry-summary"
          label="Summary"
          hint="In our own words: what it is and what was found."
          error={errors.summary}
        >
          {(a11y) => (
            <textarea {...a11y} rows={4} value={draft.summary} onChange={(e) => set('summary', e.target.value)} />
          )}
        </Field>
        <div className="form-grid">
          {text('sourceName', 'entry-source-name', 'Source', 'source.name', 'The clearinghouse or publisher.')}
          {text(
            'sourceUrl',
            'entry-source-url',
            'Source link',
            'source.url',
            'The page of this intervention (https://…).',
            'url',
          )}
          {text(
            'ratingScheme',
            'entry-rating-scheme',
            'Rating scheme',
            'rating.scheme',
            'E.g. “CLEAR causal evidence rating”.',
          )}
          {text('ratingValue', 'entry-rating-value', 'Rating', 'rating.value', 'In the source’s own words.')}
          <Field id="entry-tier" label="Suggested evidence tier" error={errors.suggestedTier}>
            {(a11y) => (
              <select {...a11y} value={draft.suggestedTier} onChange={(e) => set('suggestedTier', e.target.value)}>
                <option value="">Not suggested</option>
                {EVIDENCE_TIERS.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {text('populations', 'entry-populations', 'Populations', 'populations', 'Separate them with commas.')}
          {text('outcomeDomains', 'entry-outcomes', 'Outcome domains', 'outcomeDomains', 'Separate them with commas.')}
          {text('checkedOn', 'entry-checked-on', 'Checked on', 'checked.on', 'When the facts were checked.', 'date')}
          {text(
            'checkedWhere',
            'entry-checked-where',
            'Checked against',
            'checked.where',
            'The page or document read.',
          )}
        </div>
        <CheckGroup
          legend="Levers"
          idPrefix="entry-lever"
          options={DEFAULT_LEVERS}
          checked={draft.levers}
          onToggle={(id, on) => toggle('levers', id, on)}
        />
        <CheckGroup
          legend="Job-quality components"
          idPrefix="entry-component"
          options={JOB_QUALITY_COMPONENTS}
          checked={draft.components}
          onToggle={(id, on) => toggle('components', id, on)}
        />
        <div className="dialog-actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? 'Saving…' : entry ? 'Save entry' : 'Add entry'}
          </button>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  )
}
