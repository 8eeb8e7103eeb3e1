import type * as Y from 'yjs'
import { Field } from './Field.tsx'
import { useReadOnly } from './readOnly.ts'
import { YTextInput } from './YTextInput.tsx'

/** A labelled field bound to a Y.Text (short text that several people may type in at once). */
export function TextField({
  id,
  label,
  hint,
  text,
  multiline = false,
  placeholder,
  className,
  maxLength,
}: {
  id: string
  label: string
  hint?: string
  text: Y.Text | null
  multiline?: boolean
  placeholder?: string
  className?: string
  /** The longest text the field takes as typed (the model's limit). */
  maxLength?: number
}) {
  const readOnly = useReadOnly()
  return (
    <Field id={id} label={label} hint={hint} className={className}>
      {(a11y) =>
        multiline ? (
          <YTextInput
            multiline
            text={text}
            rows={3}
            placeholder={placeholder}
            readOnly={readOnly}
            maxLength={maxLength}
            {...a11y}
          />
        ) : (
          <YTextInput
            text={text}
            placeholder={placeholder}
            autoComplete="off"
            readOnly={readOnly}
            maxLength={maxLength}
            {...a11y}
          />
        )
      }
    </Field>
  )
}
