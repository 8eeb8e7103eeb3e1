import { passwordSchema } from '@lever/shared'
import { type FormEvent, useEffect, useState } from 'react'
import { Link, useNavigate, useParams } from 'react-router'
import { acceptInvite, inviteInfo } from '../api/auth.ts'
import { ApiRequestError } from '../api/http.ts'
import { useApi } from '../api/useApi.ts'
import { ErrorPanel, LoadingPanel } from '../ui/Panels.tsx'
import { signedIn } from './identity.ts'

/** `/invite/:token`: a person invited by a facilitator sets their password (and name). */
export function InvitePage() {
  const { token = '' } = useParams()
  const navigate = useNavigate()
  const [state] = useApi(['invite', token], (signal) => inviteInfo(token, signal))
  const [name, setName] = useState<string | null>(null)
  const [password, setPassword] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  useEffect(() => {
    document.title = 'Set your password — Lever'
  }, [])

  if (state.status === 'loading') return <LoadingPanel>Checking your invitation…</LoadingPanel>
  if (state.status === 'error') {
    return (
      <ErrorPanel title="This invitation cannot be used">
        <p>{state.error.message}</p>
        <p>
          <Link to="/sign-in">Go to sign in</Link>
        </p>
      </ErrorPanel>
    )
  }
  const shownName = name ?? state.data.name

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const parsed = passwordSchema.safeParse(password)
    if (!parsed.success) {
      setError(`${parsed.error.issues[0]?.message ?? 'Choose another password'}.`)
      return
    }
    setBusy(true)
    setError(null)
    try {
      signedIn(await acceptInvite(token, password, shownName.trim() || undefined))
      navigate('/')
    } catch (err) {
      setError(err instanceof ApiRequestError ? err.message : 'Setting your password failed. Try again.')
      setBusy(false)
    }
  }

  return (
    <div className="auth-page card">
      <h1>Welcome to Lever</h1>
      <p className="lede">
        Set a password for <strong>{state.data.email}</strong>.
      </p>
      <form onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor="invite-name">Your name</label>
          <p className="field-hint" id="invite-name-hint">
            Others see it next to your edits.
          </p>
          <input
            id="invite-name"
            autoComplete="name"
            value={shownName}
            aria-describedby="invite-name-hint"
            onChange={(e) => setName(e.target.value)}
          />
        </div>
        <div className={`field${error ? ' field--invalid' : ''}`}>
          <label htmlFor="invite-password">New password</label>
          <p className="field-hint" id="invite-password-hint">
            At least 12 characters, and not one of the most common passwords.
          </p>
          <input
            id="invite-password"
            type="password"
            autoComplete="new-password"
            value={password}
            aria-describedby={error ? 'invite-password-hint invite-error' : 'invite-password-hint'}
            aria-invalid={error ? true : undefined}
            onChange={(e) => setPassword(e.target.value)}
          />
        </div>
        {error ? (
          <p className="field-error" id="invite-error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? 'Saving…' : 'Set password and continue'}
        </button>
      </form>
    </div>
  )
}
