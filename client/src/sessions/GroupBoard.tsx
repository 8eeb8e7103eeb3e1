import { type GroupModel, groupNameSchema, groupPromptSchema, type SessionModel } from '@lever/shared'
import { type DragEvent, type ReactNode, useEffect, useRef, useState } from 'react'
import { Link } from 'react-router'
import type { DocSession } from '../collab/DocSession.ts'
import { focusAfterRender } from '../plan/PlanUi.tsx'
import { announce } from '../ui/announce.ts'
import { ConfirmButton } from '../ui/ConfirmButton.tsx'
import { DraftField, type Parsed } from '../ui/DraftField.tsx'
import { Field } from '../ui/Field.tsx'
import type { Participant } from './groupPlanning.ts'
import { tryRoomEdit } from './roomDoc.ts'
import type { RoomPeople } from './roomPeople.ts'

const DRAG_TYPE = 'application/x-lever-person'
const NO_GROUP = ''

function parseName(draft: string): Parsed<string> {
  const r = groupNameSchema.safeParse(draft)
  return r.success
    ? { ok: true, value: r.data }
    : { ok: false, error: `${r.error.issues[0]?.message ?? 'Check the name'}.` }
}

/**
 * The breakout groups, live: names, prompts and members. People move between groups by drag and
 * drop, or with the "Move to" choice next to each name (the keyboard way, same result).
 */
export function GroupBoard({
  session,
  model,
  people,
  pool,
}: {
  session: DocSession
  model: SessionModel
  people: RoomPeople
  /** The people who may be placed (joined, or every team member). */
  pool: Participant[]
}) {
  const groups = model.groups.list()
  const placed = new Set(groups.flatMap((g) => g.members))
  const unplaced = pool.filter((p) => !placed.has(p.id))
  const [error, setError] = useState<string | null>(null)

  const move = (userId: string, groupId: string, refocus: boolean) => {
    const target = groups.find((g) => g.id === groupId)
    const failed = tryRoomEdit(session, () => model.assign(userId, groupId || null))
    setError(failed)
    if (failed) return
    announce(`${people.nameOf(userId)} moved to ${target ? target.name : 'not in a group'}.`)
    if (refocus) focusAfterRender(moveSelectId(userId))
  }
  const chip = (userId: string, groupId: string) => (
    <MemberChip key={userId} userId={userId} groupId={groupId} groups={groups} people={people} onMove={move} />
  )

  return (
    <section className="group-board" aria-labelledby="groups-heading">
      <h2 id="groups-heading">
        Groups <span className="nav-note">({groups.length})</span>
      </h2>
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="group-board__grid">
        <DropZone label="Not in a group" onDropPerson={(id) => move(id, NO_GROUP, false)} className="group-card--pool">
          <h3 className="group-card__title">Not in a group</h3>
          {unplaced.length === 0 ? (
            <p className="field-hint">Everyone here is in a group.</p>
          ) : (
            <ul className="member-list" aria-label="Not in a group">
              {unplaced.map((p) => chip(p.id, NO_GROUP))}
            </ul>
          )}
        </DropZone>
        {groups.map((g) => (
          <DropZone key={g.id} label={g.name} onDropPerson={(id) => move(id, g.id, false)} testId="group-card">
            <GroupHead session={session} model={model} group={g} />
            {g.members.length === 0 ? (
              <p className="field-hint">Nobody yet. Drag people here, or use “Move to”.</p>
            ) : (
              <ul className="member-list" aria-label={`Members of ${g.name}`}>
                {g.members.map((id) => chip(id, g.id))}
              </ul>
            )}
          </DropZone>
        ))}
      </div>
    </section>
  )
}

function moveSelectId(userId: string): string {
  return `move-${userId}`
}

function DropZone({
  label,
  onDropPerson,
  className,
  testId,
  children,
}: {
  label: string
  onDropPerson: (userId: string) => void
  className?: string
  testId?: string
  children: ReactNode
}) {
  const [over, setOver] = useState(false)
  const accepts = (e: DragEvent) => e.dataTransfer.types.includes(DRAG_TYPE)
  return (
    <section
      className={['group-card', className, over ? 'group-card--over' : ''].filter(Boolean).join(' ')}
      aria-label={label}
      data-testid={testId}
      onDragOver={(e) => {
        if (!accepts(e)) return
        e.preventDefault()
        e.dataTransfer.dropEffect = 'move'
        setOver(true)
      }}
      onDragLeave={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setOver(false)
      }}
      onDrop={(e) => {
        setOver(false)
        const id = e.dataTransfer.getData(DRAG_TYPE)
        if (!id) return
        e.preventDefault()
        onDropPerson(id)
      }}
    >
      {children}
    </section>
  )
}

function GroupHead({ session, model, group }: { session: DocSession; model: SessionModel; group: GroupModel }) {
  const id = group.id
  return (
    <div className="group-card__head">
      <DraftField<string>
        id={`group-${id}-name`}
        label="Group name"
        value={group.name}
        parse={parseName}
        commit={(v) => tryRoomEdit(session, () => group.setName(v ?? ''))}
        className="group-card__name"
        inputProps={{ autoComplete: 'off' }}
      />
      <PromptField
        id={`group-${id}-prompt`}
        value={group.prompt}
        commit={(v) => tryRoomEdit(session, () => group.setPrompt(v))}
      />
      <div className="group-card__actions">
        <Link className="button button--small" to={`/drafts/${encodeURIComponent(group.draftId)}`}>
          Visit room<span className="visually-hidden"> {group.name}</span>
        </Link>
        <ConfirmButton
          className="button button--small button--quiet button--danger"
          buttonLabel={`Remove group ${group.name}`}
          title={`Remove “${group.name}”?`}
          body={<p>Its members go back to “Not in a group”. The group’s draft stays readable.</p>}
          confirmLabel="Remove group"
          onConfirm={() => {
            tryRoomEdit(session, () => model.groups.remove(id))
            announce(`Removed ${group.name}.`)
          }}
        >
          Remove
        </ConfirmButton>
      </div>
    </div>
  )
}

/** The group's prompt: written as typed (when valid); a change from elsewhere shows unless you are typing here. */
function PromptField({ id, value, commit }: { id: string; value: string; commit: (v: string) => string | null }) {
  const [draft, setDraft] = useState(value)
  const [error, setError] = useState<string | null>(null)
  const ref = useRef<HTMLTextAreaElement>(null)
  useEffect(() => {
    if (document.activeElement !== ref.current) setDraft(value)
  }, [value])
  return (
    <Field id={id} label="Prompt" hint="What this group drafts together." error={error}>
      {(a11y) => (
        <textarea
          {...a11y}
          ref={ref}
          rows={2}
          value={draft}
          onChange={(e) => {
            setDraft(e.target.value)
            const r = groupPromptSchema.safeParse(e.target.value)
            setError(r.success ? commit(r.data) : `${r.error.issues[0]?.message ?? 'Check the prompt'}.`)
          }}
          onBlur={() => {
            if (!error) setDraft(value)
          }}
        />
      )}
    </Field>
  )
}

function MemberChip({
  userId,
  groupId,
  groups,
  people,
  onMove,
}: {
  userId: string
  groupId: string
  groups: GroupModel[]
  people: RoomPeople
  onMove: (userId: string, groupId: string, refocus: boolean) => void
}) {
  const [target, setTarget] = useState(groupId)
  useEffect(() => setTarget(groupId), [groupId])
  const name = people.nameOf(userId)
  const jurisdiction = people.jurisdictionName(people.members.find((m) => m.id === userId)?.jurisdictionId ?? null)
  const selectId = moveSelectId(userId)
  return (
    <li
      className="member-chip"
      draggable
      data-testid={`member-${userId}`}
      onDragStart={(e) => {
        // Only our own type: a drop on a text field must not type the name into it.
        e.dataTransfer.setData(DRAG_TYPE, userId)
        e.dataTransfer.effectAllowed = 'move'
      }}
    >
      <span className="member-chip__grip" aria-hidden="true">
        ⠿
      </span>
      <span className="member-chip__who">
        <span className="member-chip__name">
          {name}
          {people.here.has(userId) ? <span className="here-dot" title="In the room now" /> : null}
          {people.here.has(userId) ? <span className="visually-hidden"> (in the room now)</span> : null}
        </span>
        <span className="member-chip__team">{jurisdiction}</span>
      </span>
      <span className="member-chip__move">
        <label htmlFor={selectId} className="visually-hidden">
          Move {name} to
        </label>
        <select id={selectId} value={target} onChange={(e) => setTarget(e.target.value)}>
          <option value={NO_GROUP}>Not in a group</option>
          {groups.map((g) => (
            <option key={g.id} value={g.id}>
              {g.name}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="button button--small"
          aria-label={`Move ${name}`}
          aria-disabled={target === groupId}
          onClick={() => {
            if (target !== groupId) onMove(userId, target, true)
          }}
        >
          Move
        </button>
      </span>
    </li>
  )
}
