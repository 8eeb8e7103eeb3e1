import type { User } from '@lever/shared'
import { expect, it } from 'vitest'
import type { Db } from '../db/queries.ts'
import { describeDialects } from '../testing/dialects.ts'
import { type CoachingInput, CoachingLog } from './coaching.ts'

function user(id: string, role: User['role'], more: Partial<User> = {}): User {
  return {
    id,
    email: `${id}@example.gov`,
    name: `Person ${id}`,
    role,
    jurisdictionId: null,
    coachOf: [],
    active: true,
    color: '#336699',
    hasPassword: true,
    ...more,
  }
}

const coach = user('cora', 'coach', { coachOf: ['boulder', 'ohio'] })
const facilitator = user('fay', 'facilitator')
const boulderMember = user('bo', 'member', { jurisdictionId: 'boulder' })
const ohioMember = user('oh', 'member', { jurisdictionId: 'ohio' })

/** The jurisdictions and people the log's rows point at. */
async function people(db: Db) {
  await db
    .insertInto('jurisdictions')
    .values([
      { id: 'boulder', name: 'Boulder', kind: 'city', state: 'CO', agency: 'City of Boulder' },
      { id: 'ohio', name: 'Ohio', kind: 'state', state: 'OH', agency: 'Ohio DOL' },
    ])
    .execute()
  const now = new Date().toISOString()
  await db
    .insertInto('users')
    .values(
      [coach, facilitator, boulderMember, ohioMember].map((u) => ({
        id: u.id,
        email: u.email,
        name: u.name,
        role: u.role,
        jurisdiction_id: u.jurisdictionId,
        created_at: now,
        updated_at: now,
      })),
    )
    .execute()
}

function input(jurisdictionId: string, date: string, more: Partial<CoachingInput> = {}): CoachingInput {
  return {
    jurisdictionId,
    date,
    minutes: 60,
    topics: { levers: ['procurement', 'procurement'], components: ['wages'] },
    notes: `Notes of ${date}`,
    followUps: ['Send the sample contract'],
    ...more,
  } as CoachingInput
}

describeDialects('CoachingLog', (fresh) => {
  it('logs a session in the current phase, with the coach’s name, and shows notes only to who may read them', async () => {
    const { db } = await fresh()
    await people(db)
    const log = new CoachingLog(db)
    const session = await log.create(input('boulder', '2026-10-01'), coach)
    expect(session).toMatchObject({
      jurisdictionId: 'boulder',
      coachId: 'cora',
      coachName: 'Person cora',
      date: '2026-10-01',
      minutes: 60,
      phase: 'phase1',
      topics: { levers: ['procurement'], components: ['wages'] },
      notes: 'Notes of 2026-10-01',
      followUps: ['Send the sample contract'],
    })
    expect(await log.get(session.id, boulderMember)).toEqual(session)
    expect(await log.get(session.id, ohioMember)).toMatchObject({
      coachName: 'Person cora',
      notes: null,
      followUps: null,
    })
    expect(await log.get('missing', facilitator)).toBeNull()
    expect(await log.owner(session.id)).toEqual({ coachId: 'cora', jurisdictionId: 'boulder' })
    expect(await log.owner('missing')).toBeNull()
  })

  it('lists newest first, for the given jurisdictions or all', async () => {
    const { db } = await fresh()
    await people(db)
    const log = new CoachingLog(db)
    const a = await log.create(input('boulder', '2026-09-01'), coach)
    const b = await log.create(input('ohio', '2026-10-15'), coach)
    const c = await log.create(input('boulder', '2026-10-01'), coach)
    expect((await log.list(null, facilitator)).map((s) => s.id)).toEqual([b.id, c.id, a.id])
    expect((await log.list(['boulder'], facilitator)).map((s) => s.id)).toEqual([c.id, a.id])
    expect((await log.list(['boulder', 'ohio', 'boulder'], facilitator)).map((s) => s.id)).toEqual([b.id, c.id, a.id])
    expect(await log.list([], facilitator)).toEqual([])
  })

  it('changes only the fields given, and answers null for a session deleted meanwhile', async () => {
    const { db } = await fresh()
    await people(db)
    const log = new CoachingLog(db)
    const session = await log.create(input('boulder', '2026-10-01'), coach)
    const changed = await log.update(session.id, { minutes: 90, topics: { levers: ['policy'], components: [] } }, coach)
    expect(changed).toMatchObject({
      minutes: 90,
      date: '2026-10-01',
      notes: 'Notes of 2026-10-01',
      topics: { levers: ['policy'], components: [] },
      followUps: ['Send the sample contract'],
    })
    await Promise.all([
      log.update(session.id, { notes: 'Both' }, coach),
      log.update(session.id, { minutes: 45 }, coach),
    ])
    expect(await log.get(session.id, coach)).toMatchObject({ notes: 'Both', minutes: 45 })
    expect(await log.delete(session.id)).toBe(true)
    expect(await log.delete(session.id)).toBe(false)
    expect(await log.update(session.id, { minutes: 30 }, coach)).toBeNull()
  })

  it('has the default allowance and phase 1 until facilitators change them, then both at once', async () => {
    const { db } = await fresh()
    await people(db)
    const log = new CoachingLog(db)
    expect(await log.allowances()).toEqual({
      currentPhase: 'phase1',
      phases: [
        { phase: 'phase1', allowanceMinutes: 240 },
        { phase: 'phase2', allowanceMinutes: 240 },
      ],
    })
    await log.setAllowances(
      { currentPhase: 'phase2', phases: [{ phase: 'phase2', allowanceMinutes: 300 }] },
      facilitator,
    )
    expect(await log.allowances()).toEqual({
      currentPhase: 'phase2',
      phases: [
        { phase: 'phase1', allowanceMinutes: 240 },
        { phase: 'phase2', allowanceMinutes: 300 },
      ],
    })
    expect(await log.currentPhase()).toBe('phase2')
    // A change the database refuses leaves everything as it was, the phase included.
    await expect(
      log.setAllowances(
        {
          currentPhase: 'phase1',
          phases: [
            { phase: 'phase1', allowanceMinutes: 100 },
            { phase: 'phase2', allowanceMinutes: -5 },
          ],
        },
        facilitator,
      ),
    ).rejects.toThrow()
    expect(await log.allowances()).toEqual({
      currentPhase: 'phase2',
      phases: [
        { phase: 'phase1', allowanceMinutes: 240 },
        { phase: 'phase2', allowanceMinutes: 300 },
      ],
    })
    const session = await log.create(input('ohio', '2026-11-01'), coach)
    expect(session.phase).toBe('phase2')
  })

  it('sums the current phase’s minutes per jurisdiction against its allowance', async () => {
    const { db } = await fresh()
    await people(db)
    const log = new CoachingLog(db)
    await log.create(input('boulder', '2026-09-01', { minutes: 60 }), coach)
    await log.create(input('boulder', '2026-10-02', { minutes: 45 }), coach)
    await log.create(input('ohio', '2026-10-03', { minutes: 30, phase: 'phase2' }), coach)
    await log.setAllowances({ phases: [{ phase: 'phase1', allowanceMinutes: 200 }] }, facilitator)
    const jurisdictions = [
      { id: 'boulder', name: 'Boulder' },
      { id: 'ohio', name: 'Ohio' },
    ]
    expect(await log.summary(jurisdictions)).toEqual({
      phase: 'phase1',
      jurisdictions: [
        {
          id: 'boulder',
          name: 'Boulder',
          allowanceMinutes: 200,
          usedMinutes: 105,
          sessions: 2,
          lastSessionOn: '2026-10-02',
        },
        { id: 'ohio', name: 'Ohio', allowanceMinutes: 200, usedMinutes: 0, sessions: 0, lastSessionOn: null },
      ],
    })
    await log.setAllowances({ currentPhase: 'phase2' }, facilitator)
    expect((await log.summary(jurisdictions)).jurisdictions[1]).toEqual({
      id: 'ohio',
      name: 'Ohio',
      allowanceMinutes: 240,
      usedMinutes: 30,
      sessions: 1,
      lastSessionOn: '2026-10-03',
    })
  })
})
