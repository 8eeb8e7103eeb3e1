import { Link } from 'react-router'

/** Where a page sits: links to the pages above it, then the page itself. */
export function Breadcrumbs({
  trail,
  current,
}: {
  trail: ReadonlyArray<{ to: string; label: string }>
  current: string
}) {
  return (
    <nav aria-label="Breadcrumb" className="breadcrumbs">
      <ol>
        {trail.map((step) => (
          <li key={step.to}>
            <Link to={step.to}>{step.label}</Link>
          </li>
        ))}
        <li aria-current="page">{current}</li>
      </ol>
    </nav>
  )
}
