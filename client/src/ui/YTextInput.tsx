import { setTextMinimal, transformIndex } from '@lever/shared'
import { type InputHTMLAttributes, type TextareaHTMLAttributes, useLayoutEffect, useRef } from 'react'
import type * as Y from 'yjs'
import { LOCAL_ORIGIN } from '../collab/origins.ts'

type Common = {
  /** The shared text; null renders a disabled field (the plan lacks it). */
  text: Y.Text | null
  id: string
}
type InputProps = Common & { multiline?: false } & Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange'>
type AreaProps = Common & { multiline: true } & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'value' | 'onChange'>

/**
 * An input or textarea bound to a Y.Text. Typing applies the smallest edit at the caret, so two
 * people typing in one field merge instead of overwriting; remote edits update the field and keep
 * the caret (and selection) where it was relative to the text around it.
 */
export function YTextInput(props: InputProps | AreaProps) {
  const { text, multiline, ...rest } = props
  const ref = useRef<HTMLInputElement & HTMLTextAreaElement>(null)

  useLayoutEffect(() => {
    const el = ref.current
    if (!el) return
    el.value = text?.toString() ?? ''
    if (!text) return
    const onChange = (event: Y.YTextEvent) => {
      const value = text.toString()
      if (el.value === value) return // our own input
      if (document.activeElement === el) {
        const { selectionStart, selectionEnd, selectionDirection } = el
        const delta = event.delta as Array<{ retain?: number; insert?: unknown; delete?: number }>
        el.value = value
        if (selectionStart !== null && selectionEnd !== null) {
          el.setSelectionRange(
            transformIndex(selectionStart, delta),
            transformIndex(selectionEnd, delta),
            selectionDirection ?? undefined,
          )
        }
      } else {
        el.value = value
      }
    }
    text.observe(onChange)
    return () => text.unobserve(onChange)
  }, [text])

  const onInput = () => {
    const el = ref.current
    if (!el || !text) return
    setTextMinimal(text, el.value, el.selectionEnd ?? undefined, LOCAL_ORIGIN)
  }

  if (multiline) {
    return (
      <textarea
        {...(rest as TextareaHTMLAttributes<HTMLTextAreaElement>)}
        ref={ref}
        disabled={!text || rest.disabled}
        onInput={onInput}
      />
    )
  }
  return (
    <input
      type="text"
      {...(rest as InputHTMLAttributes<HTMLInputElement>)}
      ref={ref}
      disabled={!text || rest.disabled}
      onInput={onInput}
    />
  )
}
