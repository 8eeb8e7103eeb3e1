import {
  type CohortSession,
  type ComponentId,
  DocKind,
  DraftModel,
  docNameFor,
  type FundingSource,
  PlanModel,
  SessionModel,
  type SlfrfCategory,
  sectionField,
  ThreadsModel,
  threadDocName,
  type User,
} from '@lever/shared'
import * as Y from 'yjs'
import type { UserService } from '../auth/users.ts'
import type { BreakoutService } from '../domain/breakouts.ts'
import type { CohortSessionService } from '../domain/cohortSessions.ts'
import type { PlanService } from '../domain/plans.ts'
import { indexThreads, type ThreadIndex } from '../domain/threadIndex.ts'
import type { DocStore } from '../storage/DocStore.ts'
import { loadStoredDoc } from '../storage/storedDoc.ts'
import { DEMO_PLANS, type DemoInitiative, type DemoPlan, SECOND_MEMBERS } from './demoPlans.ts'

export interface DemoContentDeps {
  users: UserService
  plans: PlanService
  sessions: CohortSessionService
  breakouts: BreakoutService
  store: DocStore
  /** The comment threads are indexed at once, so they are in the inbox before anyone opens a plan. */
  threads: ThreadIndex
  /** The demo password's hash, for the people added here. */
  passwordHash: string
  jurisdictions: Array<{ slug: string; name: string }>
}

export interface DemoContentResult {
  people: number
  plans: number
  sessions: number
}

const DAY = 86_400_000

/** `YYYY-MM-DD`, `days` from `now`. */
function dayFrom(now: Date, days: number): string {
  return new Date(now.getTime() + days * DAY).toISOString().slice(0, 10)
}

/** Loads `docName` from the store (empty if new), lets `write` change it, and appends the change. */
async function writeDoc(store: DocStore, docName: string, write: (doc: Y.Doc) => void): Promise<void> {
  const doc = await loadStoredDoc(store, docName)
  const before = Y.encodeStateVector(doc)
  write(doc)
  await store.append(docName, Y.encodeStateAsUpdate(doc, before))
  doc.destroy()
}

/**
 * A demo worth opening (DEMO=1): every team gets a second member; the coach's three
 * jurisdictions get a plan in progress (initiatives across levers, funding, metrics, milestones,
 * coach comments); the calendar gets sessions relative to today: one live now, two upcoming,
 * one past with breakout groups, attendance and ideas sent into plans. Runs once: nothing is
 * added when the demo plans already exist.
 */
export async function seedDemoContent(deps: DemoContentDeps, now = new Date()): Promise<DemoContentResult> {
  const result: DemoContentResult = { people: 0, plans: 0, sessions: 0 }
  const members = new Map<string, { lead: User | null; second: User }>()
  for (const [index, j] of deps.jurisdictions.entries()) {
    const email = `member@${j.slug}.demo.test`
    let second = await deps.users.getByEmail(email)
    if (!second) {
      second = await deps.users.create({
        email,
        name: SECOND_MEMBERS[index % SECOND_MEMBERS.length] as string,
        role: 'member',
        jurisdictionId: j.slug,
        passwordHash: deps.passwordHash,
      })
      result.people++
    }
    members.set(j.slug, { lead: (await deps.users.getByEmail(`lead@${j.slug}.demo.test`)) ?? null, second })
  }
  for (const p of DEMO_PLANS) if ((await deps.plans.list(p.jurisdictionId)).length > 0) return result

  const coach = await deps.users.getByEmail('coach@demo.test')
  const facilitator = await deps.users.getByEmail('facilitator@demo.test')
  const planIds = new Map<string, { planId: string; initiativeIds: string[] }>()
  for (const demo of DEMO_PLANS) {
    const team = members.get(demo.jurisdictionId)
    const record = await deps.plans.create({
      jurisdictionId: demo.jurisdictionId,
      title: demo.title,
      createdBy: team?.lead?.id,
    })
    const initiativeIds: string[] = []
    await writeDoc(deps.store, record.docName, (doc) => {
      initiativeIds.push(...fillPlan(doc, demo, now))
    })
    // The coach's comments are for the team and its coaches (the team's thread document).
    const teamThreads = threadDocName(record.id, 'team')
    await writeDoc(deps.store, teamThreads, (doc) => addCoachComments(doc, demo, initiativeIds, team, coach))
    const [planDoc, threadDoc] = [
      await loadStoredDoc(deps.store, record.docName),
      await loadStoredDoc(deps.store, teamThreads),
    ]
    await deps.threads.update(record.id, indexThreads(record.id, planDoc, [{ visibility: 'team', doc: threadDoc }]))
    planDoc.destroy()
    threadDoc.destroy()
    planIds.set(demo.jurisdictionId, { planId: record.id, initiativeIds })
    result.plans++
  }

  // Sessions relative to today.
  const at = (days: number, hour = 17) => {
    const d = new Date(now.getTime() + days * DAY)
    d.setUTCHours(hour, 0, 0, 0)
    return d.toISOString()
  }
  const live = await deps.sessions.create({
    title: 'Check-in: funding deadlines and next steps',
    topic: 'Action planning',
    phase: 'other',
    startsAt: new Date(now.getTime() - 15 * 60_000).toISOString(),
    durationMinutes: 90,
    agenda:
      'Welcome (10 min)\nSLFRF deadlines: what is left to spend (20 min)\nBreakouts (40 min)\nReport back (20 min)',
    prework: 'Check that every funding line has its obligation and spending dates.',
    focus: ['lever:procurement', 'lever:hrPractices'],
  })
  await deps.sessions.setStatus(live.id, 'live', new Date(now.getTime() - 10 * 60_000))
  await deps.sessions.create({
    title: 'Education and enforcement',
    topic: 'Education & Enforcement',
    phase: 'other',
    startsAt: at(6),
    durationMinutes: 90,
    agenda:
      'Welcome (10 min)\nPresentation: enforcing labour standards (25 min)\nBreakouts (35 min)\nReport back (20 min)',
    prework: 'Name one labour standard your jurisdiction could enforce better.',
    focus: ['lever:policy', 'lever:empowerment'],
  })
  await deps.sessions.create({
    title: 'Measuring what changed',
    topic: 'Measurement/Data/Evidence',
    phase: 'other',
    startsAt: at(34),
    durationMinutes: 90,
    agenda: 'Welcome (10 min)\nPresentation: outcome metrics (25 min)\nBreakouts (35 min)\nReport back (20 min)',
    prework: 'Give each initiative at least one outcome metric with a baseline.',
    focus: ['section:theoryOfChange'],
  })
  result.sessions += 3
  result.sessions += await seedPastSession(deps, at(-27), members, planIds, facilitator)
  return result
}

/** Writes a demo plan's content into its document; returns the initiative ids in order. */
function fillPlan(doc: Y.Doc, demo: DemoPlan, now: Date): string[] {
  const model = new PlanModel(doc)
  const ids: string[] = []
  doc.transact(() => {
    for (const c of demo.targets) model.setTargetComponent(c, true)
    model.setLastReviewed(dayFrom(now, -12), dayFrom(now, 0))
    for (const [section, text] of Object.entries(demo.sections)) {
      const p = new Y.XmlElement('paragraph')
      p.insert(0, [new Y.XmlText(text)])
      doc.getXmlFragment(sectionField(section as 'problem')).insert(0, [p])
    }
    for (const item of demo.initiatives) ids.push(addInitiative(model, item, now))
  })
  return ids
}

/** The coach's comments on a demo plan's initiatives, in the plan's team thread document. */
function addCoachComments(
  doc: Y.Doc,
  demo: DemoPlan,
  ids: readonly string[],
  team: { lead: User | null; second: User } | undefined,
  coach: User | null,
): void {
  doc.transact(() => {
    const threads = new ThreadsModel(doc)
    for (const c of demo.comments) {
      const initiativeId = ids[c.initiative]
      if (!coach || !initiativeId) continue
      const second = team?.second
      const body = c.mentionMember && second ? `@${second.name} ${c.body}` : c.body
      const thread = threads.create({
        anchor: { kind: 'initiative', initiativeId },
        author: { id: coach.id, name: coach.name },
        body,
        mentions: c.mentionMember && second ? [second.id] : [],
      })
      if (c.replyByLead && team?.lead) thread.reply({ id: team.lead.id, name: team.lead.name }, c.replyByLead)
    }
  })
}

function addInitiative(model: PlanModel, item: DemoInitiative, now: Date): string {
  const i = model.addInitiative(item.lever, { title: item.title })
  const p = new Y.XmlElement('paragraph')
  p.insert(0, [new Y.XmlText(item.description)])
  i.description?.insert(0, [p])
  i.text('owner')?.insert(0, item.owner)
  i.text('partners')?.insert(0, item.partners)
  i.setStatus(item.status)
  i.setDate('startDate', dayFrom(now, item.start))
  i.setDate('dueDate', dayFrom(now, item.due))
  for (const c of item.components) i.setComponent(c as ComponentId, true)
  item.funding.forEach((f, n) => {
    const line = i.funding.add(`${i.id}-f${n}`)
    line.setSource(f.source as FundingSource)
    line.program?.insert(0, f.program)
    if (f.category) line.setCategory(f.category as SlfrfCategory)
    line.setAmount('budgeted', f.budgeted)
    if (f.obligated !== undefined) line.setAmount('obligated', f.obligated)
    if (f.spent !== undefined) line.setAmount('spent', f.spent)
    if (f.obligatedBy) line.setDate('obligatedBy', f.obligatedBy)
    if (f.spentBy) line.setDate('spentBy', f.spentBy)
  })
  i.setEvidenceTier(item.evidence.tier)
  i.evidenceText('citation')?.insert(0, item.evidence.citation)
  if (item.evidence.evaluationDesign) i.evidenceText('evaluationDesign')?.insert(0, item.evidence.evaluationDesign)
  item.metrics.forEach((m, n) => {
    const metric = i.metrics.add(`${i.id}-m${n}`)
    metric.text('name')?.insert(0, m.name)
    metric.setType(m.type)
    metric.text('baseline')?.insert(0, m.baseline)
    metric.text('target')?.insert(0, m.target)
    metric.text('dataSource')?.insert(0, m.dataSource)
    metric.setFrequency('quarterly')
  })
  item.milestones.forEach((m, n) => {
    const milestone = i.milestones.add(`${i.id}-ms${n}`)
    milestone.title?.insert(0, m.title)
    milestone.setDueDate(dayFrom(now, m.due))
    if (m.done) milestone.setDone(true)
  })
  return i.id
}

/**
 * A session held four weeks ago: two breakout groups of the demo teams, their drafts with idea
 * cards, attendance, and one card sent into each group's plan (the facilitator's follow-up).
 */
async function seedPastSession(
  deps: DemoContentDeps,
  startsAt: string,
  members: Map<string, { lead: User | null; second: User }>,
  planIds: Map<string, { planId: string; initiativeIds: string[] }>,
  facilitator: User | null,
): Promise<number> {
  const session: CohortSession = await deps.sessions.create({
    title: 'Spending SLFRF on good jobs',
    topic: 'Funding',
    phase: 'other',
    startsAt,
    durationMinutes: 90,
    agenda:
      'Welcome (10 min)\nPresentation: SLFRF categories for workforce (25 min)\nBreakouts (35 min)\nReport back (20 min)',
    prework: 'Bring your SLFRF lines and their expenditure categories.',
    focus: ['lever:procurement', 'lever:hrPractices'],
  })
  const groups = [
    { name: 'Counties', jurisdictions: ['baltimore-county-md'], idea: 'Pay apprentices from day one' },
    { name: 'Cities', jurisdictions: ['atlanta-ga', 'boulder-co'], idea: 'Shared training fund with neighbours' },
  ]
  const sessionDoc = new Y.Doc()
  const model = new SessionModel(sessionDoc)
  const created = groups.map((g) => {
    const group = model.addGroup(g.name, 'Draft one initiative you could fund before the deadlines.')
    for (const j of g.jurisdictions) {
      const team = members.get(j)
      for (const person of [team?.lead, team?.second]) if (person) model.assign(person.id, group.id)
    }
    return { ...g, group }
  })
  model.setStatus('ended')
  model.broadcast(
    'Thank you all: send your best idea into your plan before you leave.',
    facilitator?.name ?? 'Facilitator',
  )
  await deps.store.append(session.docName, Y.encodeStateAsUpdate(sessionDoc))
  await deps.breakouts.mirror(session.id, sessionDoc)
  sessionDoc.destroy()
  await deps.sessions.setStatus(session.id, 'ended', new Date(Date.parse(startsAt) + 90 * 60_000))

  for (const g of created) {
    const draftId = g.group.draftId
    const first = g.jurisdictions[0] as string
    const sender = members.get(first)?.lead ?? null
    const target = planIds.get(first)
    await writeDoc(deps.store, docNameFor(DocKind.Draft, draftId), (doc) => {
      const draft = new DraftModel(doc)
      const card = draft.addCard(g.idea, sender?.id)
      card.setLever('hrPractices')
      card.setComponent('learning', true)
      card.text('notes')?.insert(0, 'Came out of the breakout; worth a line in the plan.')
      const initiativeId = target?.initiativeIds[0]
      if (target && initiativeId) card.map.set('sentTo', { planId: target.planId, initiativeId, at: startsAt })
    })
    for (const j of g.jurisdictions) {
      const team = members.get(j)
      for (const person of [team?.lead, team?.second])
        if (person) await deps.sessions.recordAttendance(session.id, person.id)
    }
    if (target && sender) {
      await deps.breakouts.recordTransfers(
        {
          draftId,
          sessionId: session.id,
          groupId: g.group.id,
          planId: target.planId,
          jurisdictionId: first,
          userId: sender.id,
          userName: sender.name,
        },
        [{ kind: 'card', summary: g.idea, target: `lever:hrPractices#${target.initiativeIds[0]}` }],
      )
    }
  }
  return 1
}
