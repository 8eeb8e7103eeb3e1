import { type FormEvent, useEffect, useState } from 'react'
import { Navigate, useSearchParams } from 'react-router'
import { login } from '../api/auth.ts'
import { ApiRequestError } from '../api/http.ts'
import { signedIn, useAuth } from './identity.ts'

/** Only same-site paths are followed after signing in. */
export function safeNext(next: string | null): string {
  return next?.startsWith('/') && !next.startsWith('//') ? next : '/'
}

/** `/sign-in`: email and password. */
export function SignInPage() {
  const auth = useAuth()
  const [params] = useSearchParams()
  const next = safeNext(params.get('next'))
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  useEffect(() => {
    document.title = 'Sign in — Lever'
  }, [])
  if (auth.status === 'signedIn') return <Navigate to={next} replace />

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (!email.trim() || !password) {
      setError('Enter your email address and your password.')
      return
    }
    setBusy(true)
    setError(null)
    try {
      signedIn(await login(email.trim(), password))
    } catch (err) {
      setError(
        err instanceof ApiRequestError
          ? err.status === 400
            ? 'Enter a valid email address and your password.'
            : err.message
          : 'Signing in failed. Try again.',
      )
      setBusy(false)
    }
  }

  return (
    <div className="auth-page card">
      <h1>Sign in to Lever</h1>
      {auth.status === 'signedOut' && auth.reason === 'ended' ? (
        <p className="notice" role="status" data-testid="signed-out-notice">
          You were signed out: your session ended, or your account was deactivated. Sign in again to continue.
        </p>
      ) : null}
      <p className="lede">Use the email address your facilitator invited.</p>
      <form onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor="sign-in-email">Email address</label>
          <input
            id="sign-in-email"
            type="email"
            autoComplete="username"
            value={email}
            aria-describedby={error ? 'sign-in-error' : undefined}
            onChange={(e) => setEmail(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="sign-in-password">Password</label>
          <input
            id="sign-in-password"
            type="password"
            autoComplete="current-password"
            value={password}
            aria-describedby={error ? 'sign-in-error' : undefined}
            onChange={(e) => setPassword(e.target.value)}
          />
        </div>
        {error ? (
          <p className="field-error" id="sign-in-error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p className="field-hint auth-page__note">
        Forgot your password or have no account? Ask a facilitator for a new invitation link.
      </p>
    </div>
  )
}
