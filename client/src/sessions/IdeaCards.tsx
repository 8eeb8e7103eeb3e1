import { DEFAULT_LEVERS, type DraftModel, type IdeaCardModel, JOB_QUALITY_COMPONENTS, labelOf } from '@lever/shared'
import type { CSSProperties, FocusEvent } from 'react'
import { Link } from 'react-router'
import { getPlan } from '../api/lever.ts'
import { useApi } from '../api/useApi.ts'
import type { DocSession } from '../collab/DocSession.ts'
import { type Peer, peersAt } from '../collab/presence.ts'
import { domIds } from '../plan/domIds.ts'
import { ItemControls } from '../plan/ItemControls.tsx'
import { focusWhenReady } from '../plan/PlanUi.tsx'
import { PeerList } from '../plan/presenceUi.tsx'
import { announce } from '../ui/announce.ts'
import { CheckGroup } from '../ui/CheckGroup.tsx'
import { EmptyState } from '../ui/Panels.tsx'
import { SelectField } from '../ui/SelectField.tsx'
import { TextField } from '../ui/TextField.tsx'
import { dayText } from '../ui/time.ts'
import { tryRoomEdit } from './roomDoc.ts'

export const ADD_CARD_ID = 'add-idea-card'
const cardId = (id: string, field: string) => `idea-${id}-${field}`

export function cardName(card: IdeaCardModel): string {
  return card.text('title')?.toString().trim() || 'Untitled idea'
}

/** The group's idea cards, in order: each with a title, notes, a lever and job-quality components. */
export function IdeaCards({
  session,
  model,
  peers,
  userId,
}: {
  session: DocSession
  model: DraftModel
  peers: Peer[]
  userId: string
}) {
  const cards = model.cards.list()
  const add = () => {
    let created: IdeaCardModel | null = null
    session.edit(() => {
      created = model.addCard('', userId)
    })
    const id = (created as IdeaCardModel | null)?.id
    if (!id) return
    announce('Added an idea card. Give it a title.')
    focusWhenReady(cardId(id, 'title'))
  }
  return (
    <section className="draft-block" aria-labelledby="cards-heading">
      <h2 id="cards-heading">Idea cards</h2>
      <p className="field-hint">
        One idea a card. Tag it with a lever and the components of job quality it improves; a card becomes an initiative
        when you send it to your plan.
      </p>
      {cards.length === 0 ? (
        <EmptyState>
          <p>{session.readOnly ? 'This group wrote no idea cards.' : 'No idea cards yet. Add the first one.'}</p>
        </EmptyState>
      ) : (
        <ol className="stack-list idea-list" aria-label="Idea cards">
          {cards.map((card, index) => (
            <IdeaCard
              key={card.id}
              session={session}
              model={model}
              card={card}
              index={index}
              total={cards.length}
              peers={peersAt(peers, 'initiative', card.id)}
            />
          ))}
        </ol>
      )}
      {session.readOnly ? null : (
        <button type="button" id={ADD_CARD_ID} className="button button--primary" onClick={add}>
          Add idea card
        </button>
      )}
    </section>
  )
}

function IdeaCard({
  session,
  model,
  card,
  index,
  total,
  peers,
}: {
  session: DocSession
  model: DraftModel
  card: IdeaCardModel
  index: number
  total: number
  peers: Peer[]
}) {
  const id = card.id
  const name = cardName(card)
  const headingId = cardId(id, 'heading')
  const sent = card.sentTo
  const first = peers[0]
  const onFocus = () => session.setFocus({ kind: 'initiative', id })
  const onBlur = (e: FocusEvent) => {
    if (!(e.relatedTarget as Element | null)?.closest('[data-focus-zone]')) session.setFocus(null)
  }
  return (
    <li
      className={`item-card idea-card${first ? ' has-peers' : ''}`}
      data-focus-zone=""
      data-testid="idea-card"
      style={first ? ({ '--peer-color': first.color } as CSSProperties) : undefined}
      onFocus={onFocus}
      onBlur={onBlur}
    >
      <article aria-labelledby={headingId}>
        <div className="idea-card__head">
          <h3 id={headingId} className={card.text('title')?.toString().trim() ? '' : 'is-untitled'}>
            {name}
          </h3>
          {peers.length ? <PeerList peers={peers} label="Working on this card" /> : null}
          {sent ? <SentTo planId={sent.planId} initiativeId={sent.initiativeId} at={sent.at} /> : null}
        </div>
        <div className="form-grid">
          <TextField id={cardId(id, 'title')} label="Idea" text={card.text('title')} className="span-2" />
          <TextField id={cardId(id, 'notes')} label="Notes" text={card.text('notes')} multiline className="span-2" />
          <SelectField<string>
            id={cardId(id, 'lever')}
            label="Lever"
            value={card.lever}
            options={DEFAULT_LEVERS}
            emptyLabel="No lever yet"
            onChange={(lever) => tryRoomEdit(session, () => card.setLever(lever))}
          />
        </div>
        <CheckGroup
          legend="Components of job quality"
          idPrefix={cardId(id, 'component')}
          options={JOB_QUALITY_COMPONENTS}
          checked={card.components}
          onToggle={(component, on) => session.edit(() => card.setComponent(component, on))}
          className="check-group--inline"
        />
        <ItemControls
          idPrefix={cardId(id, 'item')}
          index={index}
          total={total}
          kind="idea card"
          itemLabel={`idea card “${name}”`}
          onMove={(to) => session.edit(() => model.cards.move(id, to))}
          onRemove={() => session.edit(() => model.cards.remove(id))}
          removeBody={<p>“{name}” will be removed from the draft for everyone in the group.</p>}
          afterRemoveFocus={ADD_CARD_ID}
        />
      </article>
    </li>
  )
}

/** Where a card went: the plan (by title) and the initiative it became. */
function SentTo({ planId, initiativeId, at }: { planId: string; initiativeId: string; at: string }) {
  const [plan] = useApi(['plans', planId, 'summary'], (signal) => getPlan(planId, signal))
  const title = plan.status === 'ready' ? `“${plan.data.title}”` : 'a plan'
  return (
    <p className="sent-to">
      Sent to{' '}
      <Link className="good-link" to={`/plans/${encodeURIComponent(planId)}#${domIds.initiative(initiativeId)}`}>
        {title}
      </Link>{' '}
      on {dayText(at)}
    </p>
  )
}

export function leverLabel(id: string | null): string {
  return id ? labelOf(DEFAULT_LEVERS, id) : 'no lever'
}
