import { useEffect, useState } from 'react'
import { Link, useParams } from 'react-router'
import { ApiRequestError } from '../api/http.ts'
import { unsubscribe } from '../api/notifications.ts'
import { ErrorPanel, LoadingPanel } from '../ui/Panels.tsx'

/** `/unsubscribe/:token`: the link at the bottom of every email; stops all of them, no sign-in needed. */
export function UnsubscribePage() {
  const { token = '' } = useParams()
  const [state, setState] = useState<'working' | 'done' | { error: string }>('working')
  useEffect(() => {
    document.title = 'Unsubscribe — Lever'
    unsubscribe(token).then(
      () => setState('done'),
      (err: unknown) =>
        setState({ error: err instanceof ApiRequestError ? err.message : 'Unsubscribing failed. Try the link again.' }),
    )
  }, [token])

  if (state === 'working') return <LoadingPanel>Unsubscribing…</LoadingPanel>
  if (state !== 'done') {
    return (
      <ErrorPanel title="This link did not work">
        <p>{state.error}</p>
        <p>
          You can also choose your emails in <Link to="/settings/notifications">your settings</Link>.
        </p>
      </ErrorPanel>
    )
  }
  return (
    <div className="page">
      <h1>You will get no more emails from Lever</h1>
      <p className="lede">
        You can turn some of them back on at any time in <Link to="/settings/notifications">your email settings</Link>.
      </p>
    </div>
  )
}
