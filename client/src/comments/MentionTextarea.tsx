import { type KeyboardEvent, useId, useRef, useState } from 'react'
import type { PlanPerson } from '../api/comments.ts'
import { useIdentity } from '../app/identity.ts'
import { Avatar } from '../ui/Avatar.tsx'
import { matchPeople, mentionQuery } from './mentions.ts'

const ROLE_LABEL: Record<string, string> = { facilitator: 'Facilitator', coach: 'Coach', member: 'Team member' }

/**
 * A comment box where typing "@" suggests the people who can see the plan. The suggestions are a
 * listbox the textarea points to (aria-activedescendant): arrows move, Enter or Tab picks,
 * Escape closes. Ctrl+Enter submits.
 */
export function MentionTextarea({
  id,
  value,
  onChange,
  people,
  onSubmit,
  rows = 3,
  placeholder,
  describedBy,
  invalid,
  labelledBy,
}: {
  id: string
  value: string
  onChange: (value: string) => void
  people: PlanPerson[]
  onSubmit: () => void
  rows?: number
  placeholder?: string
  describedBy?: string
  invalid?: boolean
  labelledBy?: string
}) {
  const ref = useRef<HTMLTextAreaElement>(null)
  const listId = useId()
  const [query, setQuery] = useState<{ start: number; query: string } | null>(null)
  const [index, setIndex] = useState(0)
  const selfId = useIdentity()?.userId
  const matches = query ? matchPeople(people, query.query, selfId) : []
  const open = query !== null && matches.length > 0
  const selected = open ? matches[Math.min(index, matches.length - 1)] : undefined

  const update = (next: string, caret: number) => {
    onChange(next)
    setQuery(mentionQuery(next, caret))
    setIndex(0)
  }

  const pick = (person: PlanPerson) => {
    const el = ref.current
    if (!el || !query) return
    const caret = el.selectionStart ?? value.length
    const inserted = `@${person.name} `
    const next = value.slice(0, query.start) + inserted + value.slice(caret)
    onChange(next)
    setQuery(null)
    const at = query.start + inserted.length
    requestAnimationFrame(() => {
      el.focus()
      el.setSelectionRange(at, at)
    })
  }

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (open && selected) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault()
        const step = e.key === 'ArrowDown' ? 1 : -1
        setIndex((i) => (i + step + matches.length) % matches.length)
        return
      }
      if (e.key === 'Enter' || e.key === 'Tab') {
        e.preventDefault()
        pick(selected)
        return
      }
      if (e.key === 'Escape') {
        e.preventDefault()
        e.stopPropagation()
        setQuery(null)
        return
      }
    }
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault()
      onSubmit()
    }
  }

  const optionId = (person: PlanPerson) => `${listId}-${person.id}`
  return (
    <div className="mention-box">
      <textarea
        ref={ref}
        id={id}
        rows={rows}
        value={value}
        placeholder={placeholder}
        aria-labelledby={labelledBy}
        aria-describedby={describedBy}
        aria-invalid={invalid ? true : undefined}
        aria-autocomplete="list"
        aria-controls={open ? listId : undefined}
        aria-activedescendant={selected ? optionId(selected) : undefined}
        onChange={(e) => update(e.target.value, e.target.selectionStart ?? e.target.value.length)}
        onKeyDown={onKeyDown}
        onBlur={() => setQuery(null)}
      />
      {open ? (
        <div className="mention-list" id={listId} role="listbox" aria-label="People to mention">
          {matches.map((person) => (
            <div
              key={person.id}
              id={optionId(person)}
              role="option"
              tabIndex={-1}
              aria-selected={person === selected}
              className="mention-list__option"
              onMouseDown={(e) => {
                e.preventDefault()
                pick(person)
              }}
            >
              <Avatar name={person.name} color={person.color} size="sm" />
              <span>
                {person.name}
                <span className="mention-list__role"> · {ROLE_LABEL[person.role] ?? person.role}</span>
              </span>
            </div>
          ))}
        </div>
      ) : null}
      <p className="visually-hidden" aria-live="polite">
        {open
          ? `${matches.length} ${matches.length === 1 ? 'person matches' : 'people match'}. Use the arrow keys and Enter to choose.`
          : ''}
      </p>
    </div>
  )
}
