import type { NotificationSettings } from '@lever/shared'
import { useEffect, useState } from 'react'
import { ApiRequestError } from '../api/http.ts'
import { fetchNotificationSettings, saveNotificationSettings } from '../api/notifications.ts'
import { useApi } from '../api/useApi.ts'
import { PendingPanels } from '../ui/Panels.tsx'

const CHOICES: Array<{ id: keyof NotificationSettings; label: string; hint: string }> = [
  { id: 'mentions', label: 'When someone @mentions me', hint: 'Sent while you are not looking at that plan.' },
  {
    id: 'replies',
    label: 'When someone replies to a thread I started',
    hint: 'Sent while you are not looking at that plan.',
  },
  {
    id: 'digest',
    label: 'A daily digest of unread conversations',
    hint: 'At most one a day, only when something is unread.',
  },
]

/** `/settings/notifications`: which emails Lever sends me. Each change saves at once. */
export function NotificationSettingsPage() {
  const [state, reload] = useApi(['notification-settings'], (signal) => fetchNotificationSettings(signal))
  const [saved, setSaved] = useState<NotificationSettings | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [status, setStatus] = useState('')
  useEffect(() => {
    document.title = 'Email notifications — Lever'
  }, [])

  const current = saved ?? (state.status === 'ready' ? state.data.settings : null)
  const change = async (id: keyof NotificationSettings, on: boolean) => {
    if (!current) return
    const before = current
    // The box follows the click at once; it goes back if saving fails.
    setSaved({ ...current, [id]: on })
    setError(null)
    setStatus('Saving…')
    try {
      const next = await saveNotificationSettings({ ...current, [id]: on })
      setSaved(next.settings)
      setStatus('Saved.')
    } catch (err) {
      setSaved(before)
      setStatus('')
      setError(err instanceof ApiRequestError ? err.message : 'Saving failed. Try again.')
    }
  }

  return (
    <div className="page settings-page">
      <h1>Email notifications</h1>
      <PendingPanels
        state={state}
        onRetry={reload}
        loading="Loading your settings…"
        failed="Your settings could not be loaded"
      />
      {state.status === 'ready' ? (
        <>
          {state.data.emailEnabled ? (
            <p className="lede">Lever emails you about conversations while you are away. Choose which.</p>
          ) : (
            <p className="notice">
              This Lever has no mail server set up, so it sends no email yet. Your choices are kept for when it does.
            </p>
          )}
          <fieldset className="settings-choices">
            <legend>Email me</legend>
            {CHOICES.map((choice) => (
              <div key={choice.id} className="settings-choice">
                <input
                  type="checkbox"
                  id={`notify-${choice.id}`}
                  aria-describedby={`notify-${choice.id}-hint`}
                  checked={current?.[choice.id] ?? false}
                  onChange={(e) => void change(choice.id, e.target.checked)}
                />
                <label htmlFor={`notify-${choice.id}`}>{choice.label}</label>
                <p id={`notify-${choice.id}-hint`} className="settings-choice__hint">
                  {choice.hint}
                </p>
              </div>
            ))}
          </fieldset>
          <p role="status" className="settings-status">
            {status}
          </p>
          {error ? (
            <p role="alert" className="field-error">
              {error}
            </p>
          ) : null}
        </>
      ) : null}
    </div>
  )
}
