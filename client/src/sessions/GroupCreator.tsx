import type { SessionModel } from '@lever/shared'
import { useState } from 'react'
import type { DocSession } from '../collab/DocSession.ts'
import { announce } from '../ui/announce.ts'
import { groupsByJurisdiction, mixedGroups, type PlannedGroup, suggestedGroupCount } from './groupPlanning.ts'
import { tryRoomEdit } from './roomDoc.ts'
import type { RoomPeople } from './roomPeople.ts'

export type PeopleScope = 'joined' | 'everyone'

/**
 * Makes breakout groups in one step: one per jurisdiction, or N groups that mix jurisdictions,
 * from the people who joined or from every team member. Groups of the same name are reused, so
 * running it again moves people rather than piling up groups.
 */
export function GroupCreator({
  session,
  model,
  people,
  scope,
  onScope,
}: {
  session: DocSession
  model: SessionModel
  people: RoomPeople
  scope: PeopleScope
  onScope: (scope: PeopleScope) => void
}) {
  // Until the facilitator types a number, it follows the people to place (groups of about four).
  const [typed, setCount] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const pool = scope === 'joined' ? people.joined : people.members
  const count = typed ?? String(suggestedGroupCount(pool.length))

  const apply = (planned: PlannedGroup[]) => {
    if (pool.length === 0) {
      setError(
        scope === 'joined'
          ? 'Nobody has joined yet. Wait for people to join, or choose “Every team member”.'
          : 'There are no team members to place.',
      )
      return
    }
    setError(null)
    const failed = tryRoomEdit(session, () => {
      for (const plan of planned) {
        const group = model.groups.list().find((g) => g.name === plan.name) ?? model.addGroup(plan.name)
        for (const id of plan.memberIds) model.assign(id, group.id)
      }
    })
    if (failed) setError(failed)
    else announce(`${planned.length} ${planned.length === 1 ? 'group' : 'groups'} ready with ${pool.length} people.`)
  }

  const n = Number.parseInt(count, 10)
  return (
    <section className="card group-creator" aria-labelledby="group-creator-heading">
      <h2 id="group-creator-heading">Make breakout groups</h2>
      <fieldset className="scope-choice">
        <legend>Who to place</legend>
        <div className="check check--inline">
          <input
            type="radio"
            id="scope-joined"
            name="people-scope"
            checked={scope === 'joined'}
            onChange={() => onScope('joined')}
          />
          <label htmlFor="scope-joined">People who joined ({people.joined.length})</label>
        </div>
        <div className="check check--inline">
          <input
            type="radio"
            id="scope-everyone"
            name="people-scope"
            checked={scope === 'everyone'}
            onChange={() => onScope('everyone')}
          />
          <label htmlFor="scope-everyone">Every team member ({people.members.length})</label>
        </div>
      </fieldset>
      <div className="group-creator__actions">
        <button
          type="button"
          className="button"
          onClick={() => apply(groupsByJurisdiction(pool, (id) => people.jurisdictionName(id)))}
        >
          One group per jurisdiction
        </button>
        <div className="group-creator__mixed">
          <div className="field field--inline">
            <label htmlFor="mixed-count">Number of mixed groups</label>
            <input
              id="mixed-count"
              type="number"
              min={1}
              max={20}
              inputMode="numeric"
              value={count}
              onChange={(e) => setCount(e.target.value)}
            />
          </div>
          <button
            type="button"
            className="button"
            onClick={() => {
              if (!Number.isInteger(n) || n < 1 || n > 20) {
                setError('Choose between 1 and 20 mixed groups.')
                document.getElementById('mixed-count')?.focus()
                return
              }
              apply(mixedGroups(pool, n))
            }}
          >
            Mix jurisdictions
          </button>
        </div>
        <button
          type="button"
          className="button button--quiet"
          onClick={() => {
            const failed = tryRoomEdit(session, () => {
              model.addGroup(`Group ${model.groups.size + 1}`)
            })
            if (failed) setError(failed)
            else announce('Added an empty group.')
          }}
        >
          Add an empty group
        </button>
      </div>
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : (
        <p className="field-hint">
          Then drag people between groups, or use “Move to” next to each name. Everyone sees the groups at once.
        </p>
      )}
    </section>
  )
}
