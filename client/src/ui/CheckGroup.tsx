import { useReadOnly } from './readOnly.ts'

/** A fieldset of checkboxes for a catalog list (components, labor practices, disaggregation). */
export function CheckGroup<T extends string>({
  legend,
  idPrefix,
  options,
  checked,
  onToggle,
  hint,
  className,
}: {
  legend: string
  idPrefix: string
  options: ReadonlyArray<{ id: T; label: string; description?: string }>
  checked: ReadonlyArray<T>
  onToggle: (id: T, on: boolean) => void
  hint?: string
  className?: string
}) {
  const on = new Set<string>(checked)
  const readOnly = useReadOnly()
  return (
    <fieldset
      className={['check-group', className].filter(Boolean).join(' ')}
      aria-describedby={hint ? `${idPrefix}-hint` : undefined}
    >
      <legend>{legend}</legend>
      {hint ? (
        <p className="field-hint" id={`${idPrefix}-hint`}>
          {hint}
        </p>
      ) : null}
      <div className="check-group__options">
        {options.map((o) => (
          <div key={o.id} className="check">
            <input
              type="checkbox"
              id={`${idPrefix}-${o.id}`}
              checked={on.has(o.id)}
              disabled={readOnly}
              onChange={(e) => onToggle(o.id, e.target.checked)}
              title={o.description}
            />
            <label htmlFor={`${idPrefix}-${o.id}`}>{o.label}</label>
          </div>
        ))}
      </div>
    </fieldset>
  )
}
