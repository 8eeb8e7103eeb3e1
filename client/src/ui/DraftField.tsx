import { type InputHTMLAttributes, useEffect, useRef, useState } from 'react'
import { Field } from './Field.tsx'
import { useReadOnly } from './readOnly.ts'

export type Parsed<T> = { ok: true; value: T | null } | { ok: false; error: string }

/**
 * A field whose text is parsed and checked before it is written to the plan (dates, amounts,
 * titles). A value that does not fit shows its message inline and stays in the field, so nothing
 * the person typed is lost; a valid value is written at once, so others see it live.
 */
export function DraftField<T extends string | number>({
  id,
  label,
  hint,
  value,
  parse,
  format = (v) => (v === null ? '' : String(v)),
  commit,
  className,
  inputProps,
}: {
  id: string
  label: string
  hint?: string
  value: T | null
  parse: (draft: string) => Parsed<T>
  format?: (value: T | null) => string
  /** Writes the value; returns an error message (or null when it was written). */
  commit: (value: T | null) => string | null
  className?: string
  inputProps?: InputHTMLAttributes<HTMLInputElement>
}) {
  const [draft, setDraft] = useState(() => format(value))
  const [error, setError] = useState<string | null>(null)
  const readOnly = useReadOnly()
  const latest = useRef({ draft, error })
  latest.current = { draft, error }

  // A change from elsewhere replaces the draft unless the draft already says it, or holds input
  // that could not be written (the person is still typing it).
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a new value from the plan matters
  useEffect(() => {
    const { draft: current, error: currentError } = latest.current
    if (currentError) return
    const parsed = parse(current)
    if (!parsed.ok || parsed.value === value) return
    setDraft(format(value))
  }, [value])

  return (
    <Field id={id} label={label} hint={hint} error={error} className={className}>
      {(a11y) => (
        <input
          {...inputProps}
          {...a11y}
          readOnly={readOnly || inputProps?.readOnly}
          value={draft}
          onChange={(e) => {
            const next = e.target.value
            setDraft(next)
            const parsed = parse(next)
            if (!parsed.ok) {
              setError(parsed.error)
              return
            }
            setError(parsed.value === value ? null : commit(parsed.value))
          }}
        />
      )}
    </Field>
  )
}

/** `YYYY-MM-DD` from a date input ('' means no date). */
export function parseDate(draft: string): Parsed<string> {
  const s = draft.trim()
  if (s === '') return { ok: true, value: null }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return { ok: false, error: 'Use a date like 2024-12-31.' }
  return { ok: true, value: s }
}

/** Dollars as typed by people: "25000", "$1,250.50". */
export function parseAmount(draft: string): Parsed<number> {
  const s = draft.replace(/[$,\s]/g, '')
  if (s === '') return { ok: true, value: null }
  if (!/^\d+(\.\d*)?$/.test(s)) return { ok: false, error: 'Enter an amount in dollars, like 25000 or 1,250.50.' }
  const n = Number(s)
  if (!Number.isFinite(n)) return { ok: false, error: 'Enter an amount in dollars, like 25000 or 1,250.50.' }
  return { ok: true, value: n }
}

const amountFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 })

export function formatAmount(value: number | null): string {
  return value === null ? '' : amountFormat.format(value)
}
