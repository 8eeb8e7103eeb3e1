import { useEffect } from 'react'
import { Link } from 'react-router'

export function NotFoundPage() {
  useEffect(() => {
    document.title = 'Page not found — Lever'
  }, [])
  return (
    <div className="panel">
      <h1 className="panel__title">This page does not exist</h1>
      <p>
        Check the address, or <Link to="/cohort">go to the cohort’s jurisdictions</Link>.
      </p>
    </div>
  )
}
