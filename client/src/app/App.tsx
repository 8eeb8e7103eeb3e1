import { useEffect, useState } from 'react'

type Health = 'checking' | 'ok' | 'unreachable'

/** The shell until the plan editor lands: says what Lever is and whether the server answers. */
export function App() {
  const [health, setHealth] = useState<Health>('checking')
  useEffect(() => {
    fetch('/api/health')
      .then((res) => setHealth(res.ok ? 'ok' : 'unreachable'))
      .catch(() => setHealth('unreachable'))
  }, [])
  return (
    <main>
      <h1>Lever</h1>
      <p>Job-quality action plans, written together.</p>
      <p role="status">Server: {health}</p>
    </main>
  )
}
