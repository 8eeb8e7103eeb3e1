import { useState } from 'react'
import { Field } from './Field.tsx'
import { useReadOnly } from './readOnly.ts'

/** A labelled select over a catalog list; `emptyLabel` adds a "not set" choice. */
export function SelectField<T extends string>({
  id,
  label,
  hint,
  value,
  options,
  emptyLabel,
  onChange,
  className,
}: {
  id: string
  label: string
  hint?: string
  value: T | null
  options: ReadonlyArray<{ id: T; label: string }>
  emptyLabel?: string
  /** Writes the value; returns an error message or null. */
  onChange: (value: T | null) => string | null
  className?: string
}) {
  const [error, setError] = useState<string | null>(null)
  const readOnly = useReadOnly()
  return (
    <Field id={id} label={label} hint={hint} error={error} className={className}>
      {(a11y) => (
        <select
          {...a11y}
          disabled={readOnly}
          value={value ?? ''}
          onChange={(e) => setError(onChange(e.target.value === '' ? null : (e.target.value as T)))}
        >
          {emptyLabel !== undefined || value === null ? <option value="">{emptyLabel ?? 'Not set'}</option> : null}
          {options.map((o) => (
            <option key={o.id} value={o.id}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  )
}
