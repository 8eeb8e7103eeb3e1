import { SessionModel } from '@lever/shared'
import { expect, it } from 'vitest'
import * as Y from 'yjs'
import type { Db } from '../db/queries.ts'
import { CURRICULUM } from '../seed/curriculum.ts'
import { describeDialects } from '../testing/dialects.ts'
import { BreakoutService, type GroupState } from './breakouts.ts'
import { CohortSessionService } from './cohortSessions.ts'

const FIELDS = {
  title: 'Lever 1: Procurement',
  topic: 'Procurement',
  phase: 'phase1' as const,
  startsAt: '2030-06-15T17:00:00Z',
  durationMinutes: 90,
  agenda: 'Welcome\nBreakouts',
  prework: 'Bring your contracts.',
  focus: ['lever:procurement'],
}

async function addPeople(db: Db, ids: readonly string[]): Promise<void> {
  const now = new Date().toISOString()
  await db
    .insertInto('users')
    .values(
      ids.map((id) => ({
        id,
        email: `${id}@example.gov`,
        name: `Person ${id}`,
        role: 'member',
        created_at: now,
        updated_at: now,
      })),
    )
    .execute()
}

async function addPlan(db: Db, id: string, title: string, jurisdictionId = 'boulder-co'): Promise<void> {
  const now = new Date().toISOString()
  await db
    .insertInto('jurisdictions')
    .values({ id: jurisdictionId, name: 'Boulder', kind: 'city', state: 'CO', agency: 'Workforce' })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute()
  await db
    .insertInto('plans')
    .values({ id, jurisdiction_id: jurisdictionId, title, doc_name: `plan:${id}`, created_at: now, updated_at: now })
    .execute()
}

const group = (id: string, members: string[], name = `Group ${id}`): GroupState => ({
  id,
  name,
  prompt: `Prompt of ${id}`,
  draftId: `draft-${id}`,
  members,
})

/** Each person's current groups in the session. */
async function currentGroups(breakouts: BreakoutService, sessionId: string): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {}
  for (const m of await breakouts.memberships(sessionId)) {
    if (m.current) out[m.userId] = [...(out[m.userId] ?? []), m.groupId].sort()
  }
  return out
}

describeDialects('CohortSessionService', (fresh) => {
  it('seeds the curriculum once, even when two servers start together', async () => {
    const { db } = await fresh()
    const added = await Promise.all([
      new CohortSessionService(db).seedCurriculum(),
      new CohortSessionService(db).seedCurriculum(),
    ])
    expect(added[0] + added[1]).toBe(CURRICULUM.length)
    const sessions = new CohortSessionService(db)
    expect(await sessions.seedCurriculum()).toBe(0)
    const list = await sessions.list()
    expect(list.map((s) => s.title)).toEqual(
      [...CURRICULUM].sort((a, b) => a.startsAt.localeCompare(b.startsAt)).map((s) => s.title),
    )
    expect(list.every((s) => s.durationMinutes === 90 && s.status === 'scheduled' && !s.breakoutsOpen)).toBe(true)
  })

  it('creates, reads and lists sessions by time, and the database keeps one search row for each', async () => {
    const { db } = await fresh()
    const sessions = new CohortSessionService(db)
    const later = await sessions.create({ ...FIELDS, title: 'Later', startsAt: '2030-07-01T17:00:00.000+02:00' })
    const first = await sessions.create(FIELDS)
    expect(first).toMatchObject({
      title: 'Lever 1: Procurement',
      phase: 'phase1',
      startsAt: '2030-06-15T17:00:00.000Z',
      focus: ['lever:procurement'],
      status: 'scheduled',
      breakoutsOpen: false,
      docName: `session:${first.id}`,
      startedAt: null,
      endedAt: null,
    })
    expect(later.startsAt).toBe('2030-07-01T15:00:00.000Z')
    expect(await sessions.get(first.id)).toEqual(first)
    expect(await sessions.get('nobody')).toBeNull()
    expect((await sessions.list()).map((s) => s.id)).toEqual([first.id, later.id])

    await sessions.update(first.id, { agenda: 'Revised agenda' })
    const rows = await db.selectFrom('search_rows').select(['ref', 'body']).where('kind', '=', 'session').execute()
    expect(rows.map((r) => r.ref).sort()).toEqual([first.id, later.id].sort())
    expect(rows.find((r) => r.ref === first.id)?.body).toContain('Revised agenda')
  })

  it('reads a focus that is not a list of strings as no focus', async () => {
    const { db } = await fresh()
    const sessions = new CohortSessionService(db)
    const s = await sessions.create(FIELDS)
    await db.updateTable('cohort_sessions').set({ focus: 'not json' }).where('id', '=', s.id).execute()
    expect((await sessions.get(s.id))?.focus).toEqual([])
    await db.updateTable('cohort_sessions').set({ focus: '["a", 3]' }).where('id', '=', s.id).execute()
    expect((await sessions.get(s.id))?.focus).toEqual(['a'])
  })

  it('updates only the fields given, and never an ended session', async () => {
    const { db } = await fresh()
    const sessions = new CohortSessionService(db)
    const s = await sessions.create(FIELDS)
    // Two edits of different fields at once: both stay.
    await Promise.all([sessions.update(s.id, { title: 'New title' }), sessions.update(s.id, { agenda: 'New agenda' })])
    expect(await sessions.get(s.id)).toMatchObject({ title: 'New title', agenda: 'New agenda', topic: 'Procurement' })
    const moved = await sessions.update(s.id, { startsAt: '2031-01-01T09:00:00+01:00', focus: [] })
    expect(moved).toMatchObject({ startsAt: '2031-01-01T08:00:00.000Z', focus: [], title: 'New title' })
    expect(await sessions.update('nobody', { title: 'x' })).toBeNull()
    await sessions.setStatus(s.id, 'ended')
    expect(await sessions.update(s.id, { title: 'After the end' })).toBeNull()
    expect((await sessions.get(s.id))?.title).toBe('New title')
  })

  it('starts and ends a session, keeps the first start time, and never starts an ended one', async () => {
    const { db } = await fresh()
    const sessions = new CohortSessionService(db)
    const s = await sessions.create(FIELDS)
    const started = await sessions.setStatus(s.id, 'live', new Date('2030-06-15T17:01:00Z'))
    expect(started).toMatchObject({ status: 'live', startedAt: '2030-06-15T17:01:00.000Z', endedAt: null })
    expect(await sessions.setBreakoutsOpen(s.id, true)).toBe(true)
    const again = await sessions.setStatus(s.id, 'live', new Date('2030-06-15T17:30:00Z'))
    expect(again?.startedAt).toBe('2030-06-15T17:01:00.000Z')
    const ended = await sessions.setStatus(s.id, 'ended', new Date('2030-06-15T18:30:00Z'))
    expect(ended).toMatchObject({ status: 'ended', breakoutsOpen: false, endedAt: '2030-06-15T18:30:00.000Z' })
    expect(await sessions.setStatus(s.id, 'live')).toBeNull()
    expect(await sessions.setStatus(s.id, 'scheduled')).toBeNull()
    expect((await sessions.get(s.id))?.status).toBe('ended')
    expect(await sessions.setStatus('nobody', 'ended')).toBeNull()
  })

  it('ends a session that is started and ended at the same moment, whichever runs first', async () => {
    const { db } = await fresh()
    const sessions = new CohortSessionService(db)
    for (let i = 0; i < 5; i++) {
      const s = await sessions.create(FIELDS)
      const [, ended] = await Promise.all([sessions.setStatus(s.id, 'live'), sessions.setStatus(s.id, 'ended')])
      expect(ended?.status).toBe('ended')
      expect((await sessions.get(s.id))?.status).toBe('ended')
    }
  })

  it('opens breakouts once when asked many times at once, and never in an ended session', async () => {
    const { db } = await fresh()
    const sessions = new CohortSessionService(db)
    const s = await sessions.create(FIELDS)
    await sessions.setStatus(s.id, 'live')
    const opened = await Promise.all(
      Array.from({ length: 6 }, () => new CohortSessionService(db).setBreakoutsOpen(s.id, true)),
    )
    expect(opened.filter(Boolean)).toHaveLength(1)
    expect((await sessions.get(s.id))?.breakoutsOpen).toBe(true)
    expect(await sessions.setBreakoutsOpen(s.id, false)).toBe(true)
    expect(await sessions.setBreakoutsOpen(s.id, false)).toBe(false)
    await sessions.setStatus(s.id, 'ended')
    expect(await sessions.setBreakoutsOpen(s.id, true)).toBe(false)
    expect((await sessions.get(s.id))?.breakoutsOpen).toBe(false)
  })

  it('records a person joining once, even when they join twice at once', async () => {
    const { db } = await fresh()
    await addPeople(db, ['ana', 'ben'])
    const sessions = new CohortSessionService(db)
    const s = await sessions.create(FIELDS)
    const first = await Promise.all([sessions.recordAttendance(s.id, 'ana'), sessions.recordAttendance(s.id, 'ana')])
    expect(first.filter(Boolean)).toHaveLength(1)
    expect(await sessions.recordAttendance(s.id, 'ben')).toBe(true)
    expect(await sessions.recordAttendance(s.id, 'ana')).toBe(false)
    const attendance = await sessions.attendance(s.id)
    expect(attendance.map((a) => a.userId)).toEqual(['ana', 'ben'])
    expect(attendance.every((a) => !Number.isNaN(Date.parse(a.joinedAt)))).toBe(true)
    expect(await sessions.attendance('nobody')).toEqual([])
  })
})

describeDialects('BreakoutService', (fresh) => {
  const setUp = async () => {
    const { db } = await fresh()
    const sessions = new CohortSessionService(db)
    const breakouts = new BreakoutService(db)
    const session = await sessions.create(FIELDS)
    return { db, sessions, breakouts, session }
  }

  it('mirrors a session document’s groups, members and prompts, and finds a group by its draft', async () => {
    const { breakouts, session } = await setUp()
    const doc = new Y.Doc()
    const model = new SessionModel(doc)
    const b = model.addGroup('Bravo', 'Draft an idea')
    const a = model.addGroup('Alpha')
    model.assign('ana', a.id)
    model.assign('ben', a.id)
    model.assign('cy', b.id)
    const touched = await breakouts.mirror(session.id, doc)
    expect(touched.sort()).toEqual([a.draftId, b.draftId].sort())

    const groups = await breakouts.groups(session.id)
    expect(groups.map((g) => [g.name, g.prompt, g.members, g.removed])).toEqual([
      ['Alpha', '', ['ana', 'ben'], false],
      ['Bravo', 'Draft an idea', ['cy'], false],
    ])
    expect(await breakouts.groupByDraft(b.draftId)).toMatchObject({ id: b.id, sessionId: session.id, members: ['cy'] })
    expect(await breakouts.groupByDraft('nothing')).toBeNull()
    expect(await breakouts.draftExists(a.draftId)).toBe(true)
    expect(await breakouts.draftExists('nothing')).toBe(false)
    // Nothing changed: nothing whose access changed.
    expect(await breakouts.mirror(session.id, doc)).toEqual([])
    // A new name or prompt is mirrored, but changes nobody's access.
    a.setName('Alpha team')
    expect(await breakouts.mirror(session.id, doc)).toEqual([])
    expect((await breakouts.groupByDraft(a.draftId))?.name).toBe('Alpha team')
  })

  it('lists groups by name in the same order on both engines, whatever their collation', async () => {
    const { breakouts, session } = await setUp()
    await breakouts.mirrorGroups(session.id, [
      group('g1', ['zoe', 'Al', 'bo'], 'alpha'),
      group('g2', [], 'Bravo'),
      group('g3', [], 'b-team'),
      group('g4', [], 'bteam'),
    ])
    expect((await breakouts.groups(session.id)).map((g) => g.name)).toEqual(['Bravo', 'alpha', 'b-team', 'bteam'])
    expect((await breakouts.groupByDraft('draft-g1'))?.members).toEqual(['Al', 'bo', 'zoe'])
    expect((await breakouts.memberships(session.id)).map((m) => m.userId)).toEqual(['Al', 'bo', 'zoe'])
  })

  it('tells who may edit a draft in one read: membership, removal, the session’s status and breakouts', async () => {
    const { breakouts, sessions, session } = await setUp()
    await breakouts.mirrorGroups(session.id, [group('a', ['ana'])])
    expect(await breakouts.draftAccessFacts('draft-a', 'ana')).toEqual({
      sessionId: session.id,
      removed: false,
      member: true,
      sessionStatus: 'scheduled',
      breakoutsOpen: false,
    })
    await sessions.setStatus(session.id, 'live')
    await sessions.setBreakoutsOpen(session.id, true)
    expect(await breakouts.draftAccessFacts('draft-a', 'ana')).toMatchObject({
      sessionStatus: 'live',
      breakoutsOpen: true,
    })
    expect(await breakouts.draftAccessFacts('draft-a', 'ben')).toMatchObject({ member: false })
    expect(await breakouts.draftAccessFacts('nothing', 'ana')).toBeNull()
    await breakouts.mirrorGroups(session.id, [])
    expect(await breakouts.draftAccessFacts('draft-a', 'ana')).toMatchObject({ removed: true, member: false })
  })

  it('moves a person between groups: one current group per person, and the old group remembered', async () => {
    const { breakouts, session } = await setUp()
    await breakouts.mirrorGroups(session.id, [group('a', ['ana', 'ben']), group('b', [])])
    const touched = await breakouts.mirrorGroups(session.id, [group('a', ['ben']), group('b', ['ana'])])
    expect(touched.sort()).toEqual(['draft-a', 'draft-b'])
    expect(await currentGroups(breakouts, session.id)).toEqual({ ana: ['b'], ben: ['a'] })
    expect(await breakouts.memberships(session.id)).toEqual([
      { userId: 'ana', groupId: 'a', groupName: 'Group a', current: false },
      { userId: 'ben', groupId: 'a', groupName: 'Group a', current: true },
      { userId: 'ana', groupId: 'b', groupName: 'Group b', current: true },
    ])
    // Back again: the old membership is current once more.
    await breakouts.mirrorGroups(session.id, [group('a', ['ben', 'ana']), group('b', [])])
    expect(await currentGroups(breakouts, session.id)).toEqual({ ana: ['a'], ben: ['a'] })
  })

  it('keeps a person listed by two groups (edits merged from two facilitators) current in the first only', async () => {
    const { breakouts, session } = await setUp()
    await breakouts.mirrorGroups(session.id, [group('b', ['ana', 'ben']), group('a', ['ana'])])
    expect(await currentGroups(breakouts, session.id)).toEqual({ ana: ['b'], ben: ['b'] })
    // Two facilitators move the same person into different groups at once; the merged document lists
    // them in both.
    const docA = new Y.Doc()
    const model = new SessionModel(docA)
    const one = model.addGroup('One')
    const two = model.addGroup('Two')
    const docB = new Y.Doc()
    Y.applyUpdate(docB, Y.encodeStateAsUpdate(docA))
    model.assign('cy', one.id)
    new SessionModel(docB).assign('cy', two.id)
    Y.applyUpdate(docA, Y.encodeStateAsUpdate(docB))
    await breakouts.mirror(session.id, docA)
    const current = await currentGroups(breakouts, session.id)
    expect(current.cy).toEqual([model.groupOf('cy')?.id])
  })

  it('marks a group gone from the document removed, its members no longer current, and brings it back', async () => {
    const { breakouts, session } = await setUp()
    await breakouts.mirrorGroups(session.id, [group('a', ['ana']), group('b', ['ben'])])
    expect(await breakouts.mirrorGroups(session.id, [group('b', ['ben'])])).toEqual(['draft-a'])
    expect((await breakouts.groups(session.id)).map((g) => g.id)).toEqual(['b'])
    const all = await breakouts.groups(session.id, true)
    expect(all.map((g) => [g.id, g.removed, g.members])).toEqual([
      ['a', true, []],
      ['b', false, ['ben']],
    ])
    expect(await breakouts.mirrorGroups(session.id, [group('a', ['ana']), group('b', ['ben'])])).toEqual(['draft-a'])
    expect((await breakouts.groupByDraft('draft-a'))?.members).toEqual(['ana'])
  })

  it('ignores a group whose id or draft another session already has', async () => {
    const { breakouts, sessions, session } = await setUp()
    const other = await sessions.create({ ...FIELDS, title: 'Other' })
    await breakouts.mirrorGroups(other.id, [group('a', ['ana'])])
    const touched = await breakouts.mirrorGroups(session.id, [
      group('a', ['ben']),
      { ...group('c', ['cy']), draftId: 'draft-a' },
      group('d', ['dee']),
      { ...group('e', ['eve']), draftId: 'draft-d' },
    ])
    expect(touched).toEqual(['draft-d'])
    expect((await breakouts.groups(session.id)).map((g) => [g.id, g.members])).toEqual([['d', ['dee']]])
    expect(await breakouts.groupByDraft('draft-a')).toMatchObject({ sessionId: other.id, members: ['ana'] })
  })

  it('mirrors a group added by two servers at once once, and concurrent states leave one group per person', async () => {
    const { db, breakouts, session } = await setUp()
    const other = new BreakoutService(db)
    // Several rounds, each adding a new group from both servers, so that the second insert meets
    // the first's row (on PostgreSQL it waits for its commit) in at least some of them.
    const added: string[] = []
    for (let round = 0; round < 8; round++) {
      const id = `new${round}`
      added.push(id)
      await Promise.all([
        breakouts.mirrorGroups(
          session.id,
          added.map((g) => group(g, [`${g}-ana`, `${g}-ben`])),
        ),
        other.mirrorGroups(
          session.id,
          added.map((g) => group(g, [`${g}-ana`, `${g}-ben`])),
        ),
      ])
      expect((await breakouts.groups(session.id)).map((g) => [g.id, g.members])).toEqual(
        added.map((g) => [g, [`${g}-ana`, `${g}-ben`]]),
      )
    }
    await breakouts.mirrorGroups(session.id, [group('a', ['ana', 'ben'])])
    expect((await breakouts.groups(session.id)).map((g) => [g.id, g.members])).toEqual([['a', ['ana', 'ben']]])

    const states = [
      [group('a', ['ana']), group('b', ['ben'])],
      [group('a', ['ben']), group('b', ['ana'])],
      [group('b', ['ana', 'ben']), group('a', [])],
    ]
    for (let round = 0; round < 3; round++) {
      await Promise.all(states.map((s) => new BreakoutService(db).mirrorGroups(session.id, s)))
    }
    // Whatever state was written last, every person is current in one group at most.
    const current = await currentGroups(breakouts, session.id)
    for (const groups of Object.values(current)) expect(groups).toHaveLength(1)
    // And mirroring the final state of the document gives exactly that state.
    await breakouts.mirrorGroups(session.id, states[2] as GroupState[])
    expect(await currentGroups(breakouts, session.id)).toEqual({ ana: ['b'], ben: ['b'] })
  })

  it('leaves the members of a group another session added at the same moment untouched', async () => {
    const { db, sessions, breakouts, session } = await setUp()
    const rival = await sessions.create({ ...FIELDS, title: 'Rival' })
    const other = new BreakoutService(db)
    for (let round = 0; round < 8; round++) {
      const id = `shared${round}`
      await Promise.all([
        breakouts.mirrorGroups(session.id, [group(id, ['ana'])]),
        other.mirrorGroups(rival.id, [{ ...group(id, ['ben']), draftId: `rival-${id}` }]),
      ])
      // One session has the group; its members are the ones that session's document lists.
      const owner = await breakouts.groupByDraft(`draft-${id}`)
      const rivals = await breakouts.groupByDraft(`rival-${id}`)
      expect([owner, rivals].filter(Boolean)).toHaveLength(1)
      if (owner) expect(owner).toMatchObject({ sessionId: session.id, members: ['ana'] })
      if (rivals) expect(rivals).toMatchObject({ sessionId: rival.id, members: ['ben'] })
    }
  })

  it('mirrors groups with many members (more than one statement’s parameters)', async () => {
    const { breakouts, session } = await setUp()
    const many = Array.from({ length: 700 }, (_, i) => `p${String(i).padStart(4, '0')}`)
    await breakouts.mirrorGroups(session.id, [group('a', many.slice(0, 600)), group('b', many.slice(300))])
    const groups = await breakouts.groups(session.id)
    expect(groups[0]?.members).toHaveLength(600)
    expect(groups[1]?.members).toEqual(many.slice(600))
    await breakouts.mirrorGroups(session.id, [group('a', []), group('b', many)])
    const after = await breakouts.groups(session.id)
    expect(after[0]?.members).toEqual([])
    expect(after[1]?.members).toHaveLength(700)
  })

  it('records the transfers of one send together, in order, with the plan and group names', async () => {
    const { db, breakouts, session } = await setUp()
    await addPlan(db, 'plan-1', 'Boulder plan')
    await breakouts.mirrorGroups(session.id, [group('a', ['ana'], 'Cities')])
    const source = {
      draftId: 'draft-a',
      sessionId: session.id,
      groupId: 'a',
      planId: 'plan-1',
      jurisdictionId: 'boulder-co',
      userId: 'ana',
      userName: 'Ana',
    }
    const items = Array.from({ length: 80 }, (_, i) => ({
      kind: 'card' as const,
      summary: `Idea ${i}`,
      target: `lever:procurement#i${i}`,
    }))
    await breakouts.recordTransfers(source, [
      ...items,
      { kind: 'prose', summary: '2 paragraphs', target: 'section:problem' },
    ])
    await breakouts.recordTransfers(source, [])
    const transfers = await breakouts.transfers(session.id)
    expect(transfers.map((t) => t.summary)).toEqual([...items.map((t) => t.summary), '2 paragraphs'])
    expect(transfers[0]).toMatchObject({
      draftId: 'draft-a',
      groupName: 'Cities',
      planId: 'plan-1',
      planTitle: 'Boulder plan',
      jurisdictionId: 'boulder-co',
      userName: 'Ana',
      kind: 'card',
      target: 'lever:procurement#i0',
    })
    expect(new Set(transfers.map((t) => t.id)).size).toBe(81)
    expect(await breakouts.transfers('nobody')).toEqual([])
  })

  it('records none of a send’s transfers when one cannot be recorded', async () => {
    const { db, breakouts, session } = await setUp()
    await addPlan(db, 'plan-1', 'Boulder plan')
    await breakouts.mirrorGroups(session.id, [group('a', ['ana'])])
    const source = {
      draftId: 'draft-a',
      sessionId: session.id,
      groupId: 'a',
      planId: 'plan-1',
      jurisdictionId: 'boulder-co',
      userId: 'ana',
      userName: 'Ana',
    }
    const good = Array.from({ length: 70 }, (_, i) => ({ kind: 'card' as const, summary: `Idea ${i}`, target: 'x' }))
    const bad = { kind: 'nonsense' as 'card', summary: 'Not a kind', target: 'x' }
    await expect(breakouts.recordTransfers(source, [...good, bad])).rejects.toThrow()
    expect(await breakouts.transfers(session.id)).toEqual([])
  })
})
