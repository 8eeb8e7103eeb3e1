import { changePasswordRequestSchema } from '@lever/shared'
import { type FormEvent, useEffect, useRef, useState } from 'react'
import { changePassword } from '../api/auth.ts'
import { ApiRequestError } from '../api/http.ts'
import { announce } from '../ui/announce.ts'
import { Field } from '../ui/Field.tsx'

const NEW_PASSWORD_HINT = 'At least 12 characters, and not one of the most common passwords.'

/** Changing one's own password, in a modal dialog; the server ends the person's other sessions. */
export function ChangePasswordDialog({ onClose }: { onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null)
  const [current, setCurrent] = useState('')
  const [next, setNext] = useState('')
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    const el = dialog.current
    if (el && !el.open) el.showModal()
  }, [])

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const parsed = changePasswordRequestSchema.safeParse({ currentPassword: current, newPassword: next })
    if (!parsed.success) {
      const found: Record<string, string> = {}
      for (const issue of parsed.error.issues) found[String(issue.path[0])] ??= `${issue.message}.`
      setErrors(found)
      document.getElementById(found.currentPassword ? 'change-current' : 'change-new')?.focus()
      return
    }
    setBusy(true)
    setErrors({})
    try {
      await changePassword(current, next)
      announce('Your password was changed. You were signed out on your other devices.')
      onClose()
    } catch (err) {
      const apiError = err instanceof ApiRequestError ? err : null
      const fields = apiError?.fieldErrors() ?? {}
      if (fields.currentPassword || fields.newPassword) setErrors(fields)
      else setErrors({ form: apiError?.message ?? 'Your password could not be changed. Try again.' })
      setBusy(false)
    }
  }

  return (
    <dialog
      ref={dialog}
      aria-labelledby="change-password-heading"
      onClose={onClose}
      onCancel={(e) => {
        e.preventDefault()
        onClose()
      }}
    >
      <h2 id="change-password-heading">Change your password</h2>
      <p className="field-hint">You stay signed in here; your other devices are signed out.</p>
      <form onSubmit={submit} noValidate>
        <Field id="change-current" label="Current password" error={errors.currentPassword}>
          {(a11y) => (
            <input
              {...a11y}
              type="password"
              autoComplete="current-password"
              value={current}
              onChange={(e) => setCurrent(e.target.value)}
            />
          )}
        </Field>
        <Field id="change-new" label="New password" hint={NEW_PASSWORD_HINT} error={errors.newPassword}>
          {(a11y) => (
            <input
              {...a11y}
              type="password"
              autoComplete="new-password"
              value={next}
              onChange={(e) => setNext(e.target.value)}
            />
          )}
        </Field>
        {errors.form ? (
          <p className="field-error" role="alert">
            {errors.form}
          </p>
        ) : null}
        <div className="dialog-actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? 'Saving…' : 'Change password'}
          </button>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  )
}
