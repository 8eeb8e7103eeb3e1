import type { ReactNode } from 'react'

/** A bar of filters above a list, with a live count of what is shown ("Showing 3 of 20 people"). */
export function FilterBar({
  label,
  shown,
  total,
  noun,
  children,
}: {
  /** What the filters are for, for screen readers ("Filter jurisdictions"). */
  label: string
  shown: number
  total: number
  /** The plural of what is listed ("jurisdictions"). */
  noun: string
  children: ReactNode
}) {
  return (
    <search className="filters" aria-label={label}>
      {children}
      <p className="filters__count" role="status">
        Showing {shown} of {total} {noun}
      </p>
    </search>
  )
}

/** A labelled search box of a filter bar. */
export function SearchFilter({
  id,
  value,
  placeholder,
  onChange,
  label = 'Search',
}: {
  id: string
  value: string
  placeholder: string
  onChange: (value: string) => void
  label?: string
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} type="search" value={value} placeholder={placeholder} onChange={(e) => onChange(e.target.value)} />
    </div>
  )
}

/** A labelled choice of a filter bar; the empty value ('') means "any" and is labelled `anyLabel`. */
export function ChoiceFilter<T extends string>({
  id,
  label,
  value,
  anyLabel,
  options,
  onChange,
}: {
  id: string
  label: string
  value: T | ''
  anyLabel: string
  options: ReadonlyArray<{ id: T; label: string }>
  onChange: (value: T | '') => void
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value as T | '')}>
        <option value="">{anyLabel}</option>
        {options.map((o) => (
          <option key={o.id} value={o.id}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  )
}
