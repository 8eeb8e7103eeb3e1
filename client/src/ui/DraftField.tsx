import { type InputHTMLAttributes, useEffect, useRef, useState } from 'react'
import { Field } from './Field.tsx'
import { useReadOnly } from './readOnly.ts'
import { markUnwritten } from './unwrittenDrafts.ts'

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

  // While the field holds what could not be written, the page's saved state says so.
  useEffect(() => {
    markUnwritten(id, error !== null)
  }, [id, error])
  useEffect(() => () => markUnwritten(id, false), [id])

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

const AMOUNT_HELP = 'Enter an amount in dollars, like 25000, 1,250.50 or 2.5 million.'

/** Multipliers people write after an amount: "200k", "1.5M", "2 million", "3bn". */
const SCALES: Record<string, number> = {
  k: 1e3,
  thousand: 1e3,
  m: 1e6,
  mm: 1e6,
  mil: 1e6,
  million: 1e6,
  b: 1e9,
  bn: 1e9,
  billion: 1e9,
}

/** Dollars as typed by people: "25000", "$1,250.50", "200k", "$1.5 million". */
export function parseAmount(draft: string): Parsed<number> {
  const s = draft.toLowerCase().replace(/[$,\s]/g, '')
  if (s === '') return { ok: true, value: null }
  const match = /^(\d+(?:\.\d*)?|\.\d+)([a-z]*)$/.exec(s)
  if (!match) return { ok: false, error: AMOUNT_HELP }
  const scale = match[2] === '' ? 1 : SCALES[match[2] as string]
  if (scale === undefined) return { ok: false, error: AMOUNT_HELP }
  // Scaled, rounded to cents ("1.2345k" is $1,234.50).
  const n = Math.round(Number(match[1]) * scale * 100) / 100
  if (!Number.isFinite(n) || n > Number.MAX_SAFE_INTEGER / 100) return { ok: false, error: AMOUNT_HELP }
  return { ok: true, value: n }
}

const amountFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 })

export function formatAmount(value: number | null): string {
  return value === null ? '' : amountFormat.format(value)
}
