import type { EvidenceEntry } from '@lever/shared'
import type { ReactNode } from 'react'
import { Link } from 'react-router'
import { componentLabel, dateText, leverLabel, tierLabel } from './labels.ts'

/** The source's rating in its own scheme and words. */
export function RatingBadge({ rating }: { rating: EvidenceEntry['rating'] }) {
  if (!rating) return <span className="rating rating--none">Not rated by the source</span>
  return (
    <span className="rating">
      <span className="rating__scheme">{rating.scheme}:</span> <strong>{rating.value}</strong>
    </span>
  )
}

/** A link out of Lever, said to open in a new tab. */
export function ExternalLink({ href, children }: { href: string; children: ReactNode }) {
  return (
    <a href={href} target="_blank" rel="noopener noreferrer">
      {children}
      <span className="visually-hidden"> (opens in a new tab)</span>
    </a>
  )
}

export function TagList({ label, items }: { label: string; items: string[] }) {
  if (items.length === 0) return null
  return (
    <div className="library-tags">
      <dt>{label}</dt>
      <dd>
        <ul>
          {items.map((item) => (
            <li key={item} className="library-tag">
              {item}
            </li>
          ))}
        </ul>
      </dd>
    </div>
  )
}

/** The facts of an entry: rating, tier, levers, components, populations, source and when it was checked. */
export function EntryFacts({ entry }: { entry: EvidenceEntry }) {
  return (
    <>
      <p className="evidence-card__rating">
        <RatingBadge rating={entry.rating} />
        {entry.suggestedTier ? (
          <span className="evidence-card__tier">Suggested tier: {tierLabel(entry.suggestedTier)}</span>
        ) : null}
      </p>
      <dl className="library-facts">
        <TagList label="Levers" items={entry.levers.map(leverLabel)} />
        <TagList label="Components" items={entry.components.map(componentLabel)} />
        <TagList label="Populations" items={entry.populations} />
        <TagList label="Outcomes" items={entry.outcomeDomains} />
      </dl>
      <p className="evidence-card__source">
        Source: <ExternalLink href={entry.source.url}>{entry.source.name}</ExternalLink>
      </p>
      <p className="evidence-card__checked">
        {entry.checked
          ? `Checked ${dateText(entry.checked.on)} against ${entry.checked.where}`
          : 'Not yet checked against the source'}
      </p>
    </>
  )
}

/** One entry in the evidence list. */
export function EvidenceCard({ entry }: { entry: EvidenceEntry }) {
  return (
    <article className="card evidence-card" aria-labelledby={`entry-${entry.id}-title`} data-testid="evidence-entry">
      <h3 id={`entry-${entry.id}-title`} className="evidence-card__title">
        <Link to={`/library/evidence/${encodeURIComponent(entry.id)}`}>{entry.title}</Link>
      </h3>
      <p className="evidence-card__summary">{entry.summary}</p>
      <EntryFacts entry={entry} />
    </article>
  )
}
