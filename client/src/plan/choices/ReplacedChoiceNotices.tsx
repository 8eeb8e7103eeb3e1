import { useEffect, useState, useSyncExternalStore } from 'react'
import { useIdentity } from '../../app/identity.ts'
import { LOCAL_ORIGIN } from '../../collab/origins.ts'
import type { PlanSession } from '../../collab/PlanSession.ts'
import { usePlanSession } from '../PlanContext.tsx'
import { describeField, describeValue } from './describeChoice.ts'
import { type ReplacedChoice, ReplacedChoices } from './ReplacedChoices.ts'
import './choices.css'

const NONE: readonly ReplacedChoice[] = []

/** The ReplacedChoices of an open plan, for people who change it. */
function useReplacedChoices(session: PlanSession, userId: string | null): ReplacedChoices | null {
  const [watcher, setWatcher] = useState<ReplacedChoices | null>(null)
  useEffect(() => {
    if (session.readOnly || !userId) return
    const awareness = session.provider.awareness
    const next = new ReplacedChoices(session.doc, {
      isOwnEdit: (origin) => origin === LOCAL_ORIGIN,
      isRemote: (origin) => origin === session.provider,
      whoIs: (clientId) => {
        const user = awareness.getStates().get(clientId)?.user as { name?: unknown; id?: unknown } | undefined
        return typeof user?.name === 'string' ? { name: user.name, self: user.id === userId } : null
      },
    })
    setWatcher(next)
    return () => {
      next.stop()
      setWatcher(null)
    }
  }, [session, userId])
  return watcher
}

/**
 * Tells the person, politely, when someone else replaced a value they had just set in a select,
 * date or amount field, with one click to put theirs back (an ordinary edit, which others see and
 * may undo) or to leave it.
 */
export function ReplacedChoiceNotices() {
  const session = usePlanSession()
  const identity = useIdentity()
  const watcher = useReplacedChoices(session, identity?.userId ?? null)
  const notices = useSyncExternalStore(
    (listener) => watcher?.subscribe(listener) ?? (() => {}),
    () => watcher?.current ?? NONE,
  )
  return (
    <section className="replaced-choices" aria-label="Changes to your choices" aria-live="polite">
      {notices.map((notice) => (
        <Notice key={notice.id} notice={notice} session={session} onDone={() => watcher?.dismiss(notice.id)} />
      ))}
    </section>
  )
}

function Notice({ notice, session, onDone }: { notice: ReplacedChoice; session: PlanSession; onDone: () => void }) {
  const { field, of } = describeField(session.doc, notice.map, notice.key)
  const mine = describeValue(session.doc, notice.map, notice.key, notice.mine)
  const theirs = notice.theirs === undefined ? null : describeValue(session.doc, notice.map, notice.key, notice.theirs)
  const who = notice.by ?? 'Someone'
  const what = of ? `${field} of “${of}”` : field
  const putBack = () => {
    session.edit(() => notice.map.set(notice.key, notice.mine))
    onDone()
  }
  return (
    <div className="replaced-choice">
      <p className="replaced-choice__text">
        {theirs === null ? `${who} cleared ${what}` : `${who} changed ${what} to ${theirs}`}. You had chosen{' '}
        <strong>{mine}</strong>.
      </p>
      <div className="replaced-choice__actions">
        <button type="button" className="button button--small" onClick={putBack}>
          Put back {mine}
        </button>
        <button type="button" className="button button--small button--quiet" onClick={onDone}>
          {theirs === null ? 'Leave it cleared' : `Keep ${theirs}`}
        </button>
      </div>
    </div>
  )
}
