import { AccessMode, SessionModel, type User } from '@lever/shared'
import { expect, it } from 'vitest'
import { DocumentTypes } from '../collab/documentTypes.ts'
import type { Db } from '../db/queries.ts'
import { memoryLogger } from '../logger.ts'
import { MemoryDocStore } from '../storage/MemoryDocStore.ts'
import { describeDialects } from '../testing/dialects.ts'
import { testRooms } from '../testing/rooms.ts'
import { BreakoutService } from './breakouts.ts'
import { CohortSessionService } from './cohortSessions.ts'
import { draftDocumentType, sessionDocumentType } from './sessionDocuments.ts'

const person = (id: string, role: User['role'] = 'member', active = true): User =>
  ({ id, name: id, email: `${id}@example.gov`, role, jurisdictionId: null, active }) as User

/** Real rooms over an in-memory document log, with the session and draft kinds registered. */
function rig(db: Db, store = new MemoryDocStore()) {
  const sessions = new CohortSessionService(db)
  const breakouts = new BreakoutService(db)
  const { logger, lines } = memoryLogger('warn')
  const rechecked: string[][] = []
  const documents = new DocumentTypes()
    .register(sessionDocumentType(sessions, breakouts, logger, (ids) => rechecked.push(ids)))
    .register(draftDocumentType(breakouts))
  const rooms = testRooms(store, documents, { logger, onUnloaded: undefined })
  return { sessions, breakouts, documents, rooms, store, lines, rechecked }
}

async function until(check: () => Promise<boolean>, message: string): Promise<void> {
  const deadline = Date.now() + 15_000
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${message}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

const FIELDS = {
  title: 'Breakouts',
  topic: '',
  phase: 'other' as const,
  startsAt: new Date(Date.now() + 3_600_000).toISOString(),
  durationMinutes: 90,
  agenda: '',
  prework: '',
  focus: [],
}

describeDialects('session and draft documents', (fresh) => {
  it('brings the status into a loading session document and mirrors its groups before anyone is answered', async () => {
    const { db } = await fresh()
    const { sessions, breakouts, rooms, store } = rig(db)
    const session = await sessions.create(FIELDS)
    // The document says nothing of groups yet; a facilitator's edit is stored while the session is
    // scheduled, then the session is started through the API while the document is not loaded.
    const group = await rooms.withRoom(session.docName, (room) => {
      let id = ''
      room.transactServer((doc) => {
        const model = new SessionModel(doc)
        id = model.addGroup('Alpha').id
        model.assign('ana', id)
      })
      return id
    })
    await rooms.closeAll(1001, 'test over')
    await sessions.setStatus(session.id, 'live')
    await db.deleteFrom('breakout_members').execute()
    await db.deleteFrom('breakout_groups').execute()

    // Another server (or a restart) loads it: status and groups are there before anyone is answered.
    const other = rig(db, store)
    try {
      const status = await other.rooms.withRoom(session.docName, (room) => new SessionModel(room.doc).status)
      expect(status).toBe('live')
      expect((await breakouts.groups(session.id)).map((g) => [g.id, g.members])).toEqual([[group, ['ana']]])
    } finally {
      await other.rooms.closeAll(1001, 'test over')
    }
  })

  it('mirrors a quick run of changes one after another, ending with the document’s last state', async () => {
    const { db } = await fresh()
    const { sessions, breakouts, rooms, rechecked, lines } = rig(db)
    const session = await sessions.create(FIELDS)
    await sessions.setStatus(session.id, 'live')
    try {
      const room = rooms.get(session.docName)
      await room.loaded
      let a = ''
      let b = ''
      room.transactServer((doc) => {
        const model = new SessionModel(doc)
        a = model.addGroup('A').id
        b = model.addGroup('B').id
      })
      for (let i = 0; i < 30; i++) {
        room.transactServer((doc) => {
          const model = new SessionModel(doc)
          model.assign('ana', i % 2 === 0 ? a : b)
          model.assign(`p${i}`, i % 3 === 0 ? a : b)
          model.setBreakoutsOpen(i % 2 === 0)
        })
      }
      const model = new SessionModel(room.doc)
      const expected = Object.fromEntries(model.groups.list().map((g) => [g.id, [...g.members].sort()]))
      await until(async () => {
        const groups = await breakouts.groups(session.id)
        const now = Object.fromEntries(groups.map((g) => [g.id, g.members]))
        return JSON.stringify(now) === JSON.stringify(expected)
      }, 'the last state to be mirrored')
      await until(async () => (await sessions.get(session.id))?.breakoutsOpen === model.breakoutsOpen, 'the flag')
      expect(model.groupOf('ana')?.id).toBe(b)
      // A mirror that changed the flag reports the drafts after reading their groups once more,
      // a moment after the flag is stored.
      const draftOfA = model.groups.get(a)?.draftId
      await until(async () => rechecked.flat().includes(draftOfA as string), 'the drafts’ access to be rechecked')
      expect(rechecked.flat()).toContain(draftOfA)
      expect(lines.filter((l) => (l.level as number) >= 40)).toEqual([])
    } finally {
      await rooms.closeAll(1001, 'test over')
    }
  })

  it('logs a mirror that fails instead of failing the room', async () => {
    const { db } = await fresh()
    const { rooms, lines } = rig(db)
    try {
      // A document of a session the database does not have: its groups cannot be stored.
      const room = rooms.get('session:missing')
      await room.loaded
      room.transactServer((doc) => new SessionModel(doc).addGroup('Orphans'))
      await until(
        async () => lines.some((l) => l.msg === 'could not mirror breakout groups' && l.session === 'missing'),
        'the failure to be logged',
      )
      expect(room.isClosed).toBe(false)
    } finally {
      await rooms.closeAll(1001, 'test over')
    }
  })

  it('gives each person the access to sessions and drafts that the tables say', async () => {
    const { db } = await fresh()
    const { sessions, breakouts, documents } = rig(db)
    const session = await sessions.create(FIELDS)
    const past = await sessions.create({ ...FIELDS, startsAt: '2020-01-01T17:00:00Z' })
    await breakouts.mirrorGroups(session.id, [{ id: 'g', name: 'G', prompt: '', draftId: 'd1', members: ['ana'] }])
    const facilitator = person('fran', 'facilitator')
    const ana = person('ana')
    const ben = person('ben')
    expect(await documents.accessTo(facilitator, session.docName)).toBe(AccessMode.ReadWrite)
    expect(await documents.accessTo(facilitator, past.docName)).toBe(AccessMode.ReadOnly)
    expect(await documents.accessTo(ana, session.docName)).toBe(AccessMode.ReadOnly)
    expect(await documents.accessTo(person('gone', 'member', false), session.docName)).toBeNull()
    expect(await documents.accessTo(ana, 'session:nothing')).toBeNull()

    expect(await documents.accessTo(ana, 'draft:d1')).toBe(AccessMode.ReadOnly)
    await sessions.setStatus(session.id, 'live')
    await sessions.setBreakoutsOpen(session.id, true)
    expect(await documents.accessTo(ana, 'draft:d1')).toBe(AccessMode.ReadWrite)
    expect(await documents.accessTo(ben, 'draft:d1')).toBe(AccessMode.ReadOnly)
    expect(await documents.accessTo(facilitator, 'draft:d1')).toBe(AccessMode.ReadWrite)
    expect(await documents.accessTo(ana, 'draft:nothing')).toBeNull()
    await sessions.setStatus(session.id, 'ended')
    expect(await documents.accessTo(ana, 'draft:d1')).toBe(AccessMode.ReadOnly)
  })
})
