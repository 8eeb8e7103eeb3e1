import { PlanKeys } from '@lever/shared'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { REPLACED_CHOICE_WINDOW_MS, ReplacedChoices } from './ReplacedChoices.ts'

const OWN = { name: 'own' }
const REMOTE = { name: 'server' }

/** Two people's copies of a plan, with changes carried between them as the server would. */
function twoPeople() {
  const mine = new Y.Doc()
  const theirs = new Y.Doc()
  let clock = 1_000
  const names = new Map([[theirs.clientID, 'Fran Facilitator']])
  const watcher = new ReplacedChoices(mine, {
    isOwnEdit: (origin) => origin === OWN,
    isRemote: (origin) => origin === REMOTE,
    whoIs: (clientId) => (names.has(clientId) ? { name: names.get(clientId) ?? '', self: false } : null),
    now: () => clock,
  })
  const initiative = (doc: Y.Doc) => doc.getMap(PlanKeys.initiatives).get('i1') as Y.Map<unknown>
  mine.transact(() => {
    const map = new Y.Map<unknown>()
    map.set('title', 'Career ladders')
    map.set('status', 'notStarted')
    mine.getMap(PlanKeys.initiatives).set('i1', map)
  }, OWN)
  const sync = () => {
    Y.applyUpdate(theirs, Y.encodeStateAsUpdate(mine, Y.encodeStateVector(theirs)), REMOTE)
    Y.applyUpdate(mine, Y.encodeStateAsUpdate(theirs, Y.encodeStateVector(mine)), REMOTE)
  }
  sync()
  return {
    mine,
    theirs,
    watcher,
    sync,
    initiative,
    advance: (ms: number) => {
      clock += ms
    },
    setMine: (key: string, value: unknown) => mine.transact(() => initiative(mine).set(key, value), OWN),
    setTheirs: (key: string, value: unknown) => theirs.transact(() => initiative(theirs).set(key, value)),
  }
}

let stop: (() => void) | null = null
afterEach(() => stop?.())

describe('telling a person their choice was replaced', () => {
  it('tells who replaced a status I set moments ago, with my value and theirs', () => {
    const t = twoPeople()
    stop = () => t.watcher.stop()
    t.setMine('status', 'onTrack')
    t.sync()
    t.advance(5_000)
    t.setTheirs('status', 'atRisk')
    t.sync()
    expect(t.watcher.current.map(({ key, mine, theirs, by }) => ({ key, mine, theirs, by }))).toEqual([
      { key: 'status', mine: 'onTrack', theirs: 'atRisk', by: 'Fran Facilitator' },
    ])
  })

  it('tells the person whose value lost when both choose at once, and only them', () => {
    const t = twoPeople()
    stop = () => t.watcher.stop()
    t.setMine('status', 'onTrack')
    t.setTheirs('status', 'atRisk')
    t.sync()
    const winner = t.initiative(t.mine).get('status')
    expect(t.initiative(t.theirs).get('status')).toBe(winner)
    expect(t.watcher.current.length).toBe(winner === 'onTrack' ? 0 : 1)
  })

  it('says nothing about values set long ago, text, or fields I never touched', () => {
    const t = twoPeople()
    stop = () => t.watcher.stop()
    t.setMine('dueDate', '2026-06-30')
    t.sync()
    t.advance(REPLACED_CHOICE_WINDOW_MS + 1)
    t.setTheirs('dueDate', '2026-09-30')
    t.setTheirs('startDate', '2026-01-01')
    t.setTheirs('order', 'a1')
    t.sync()
    expect(t.watcher.current).toEqual([])
  })

  it('tells when my amount is cleared, and forgets the notice once the value is mine again', () => {
    const t = twoPeople()
    stop = () => t.watcher.stop()
    t.setMine('budgeted', 250_000)
    t.sync()
    t.theirs.transact(() => t.initiative(t.theirs).delete('budgeted'))
    t.sync()
    // A deletion carries no author in Yjs (nothing new is written), so who cleared it is unknown.
    expect(t.watcher.current.map((c) => [c.mine, c.theirs, c.by])).toEqual([[250_000, undefined, null]])
    // Putting mine back is an edit of my own: the notice goes.
    t.setMine('budgeted', 250_000)
    expect(t.watcher.current).toEqual([])
  })

  it('lets a notice be dismissed', () => {
    const t = twoPeople()
    stop = () => t.watcher.stop()
    t.setMine('lever', 'policy')
    t.sync()
    t.setTheirs('lever', 'procurement')
    t.sync()
    const [notice] = t.watcher.current
    t.watcher.dismiss(notice?.id ?? 0)
    expect(t.watcher.current).toEqual([])
  })
})
