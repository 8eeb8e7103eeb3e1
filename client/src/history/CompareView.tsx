import type { CompareResponse, TextChange } from '@lever/shared'
import { peopleList } from './labels.ts'

function Change({ change }: { change: TextChange }) {
  if (change.kind === 'same') return <span>{change.text}</span>
  if (change.kind === 'deleted') {
    return (
      <del className="history-del">
        <span className="visually-hidden">[deleted: </span>
        {change.text}
        <span className="visually-hidden">]</span>
      </del>
    )
  }
  const by = peopleList(change.by ?? [])
  return (
    <ins
      className="history-ins"
      title={by ? `Added by ${by}` : 'Added'}
      // Who wrote it shows on hover and on keyboard focus.
      {...(by ? { tabIndex: 0, 'data-by': `added by ${by}` } : {})}
    >
      <span className="visually-hidden">[inserted{by ? ` by ${by}` : ''}: </span>
      {change.text}
      <span className="visually-hidden">]</span>
    </ins>
  )
}

/** What changed between two states of a plan: prose with insertions and deletions, then fields before → after. */
export function CompareView({ result }: { result: CompareResponse }) {
  const nothing =
    result.prose.length === 0 &&
    result.fields.length === 0 &&
    result.initiativesAdded.length === 0 &&
    result.initiativesRemoved.length === 0
  return (
    <div className="history-compare">
      <p className="history-compare__legend">
        From {result.from.label} to {result.to.label}. <ins className="history-ins">Underlined text</ins> was added,{' '}
        <del className="history-del">struck-through text</del> was removed; hover or focus an addition to see who wrote
        it.
      </p>
      {nothing ? <p className="history-empty">No differences.</p> : null}
      {result.prose.map((p) => (
        <section key={p.field} className="history-compare__prose" aria-label={`Changes in ${p.label}`}>
          <h4>{p.label}</h4>
          <p className="history-compare__text">
            {p.changes.map((c, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the pieces of one comparison never move
              <Change key={i} change={c} />
            ))}
          </p>
        </section>
      ))}
      {result.initiativesAdded.length + result.initiativesRemoved.length > 0 ? (
        <section aria-label="Initiatives added and removed">
          <h4>Initiatives</h4>
          <ul>
            {result.initiativesAdded.map((i) => (
              <li key={i.id}>
                <strong>Added:</strong> {i.title}
              </li>
            ))}
            {result.initiativesRemoved.map((i) => (
              <li key={i.id}>
                <strong>Removed:</strong> {i.title}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {result.fields.length > 0 ? (
        <table className="history-fields">
          <caption>Fields changed</caption>
          <thead>
            <tr>
              <th scope="col">Where</th>
              <th scope="col">Field</th>
              <th scope="col">Before</th>
              <th scope="col">After</th>
            </tr>
          </thead>
          <tbody>
            {result.fields.map((f) => (
              <tr key={`${f.scope}/${f.field}`}>
                <td>{f.scope}</td>
                <th scope="row">{f.field}</th>
                <td>{f.before ?? <em>empty</em>}</td>
                <td>
                  <span aria-hidden="true">→ </span>
                  {f.after ?? <em>empty</em>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  )
}
