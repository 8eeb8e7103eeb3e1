import * as Y from 'yjs'
import { z } from 'zod'
import { JOB_QUALITY_COMPONENTS } from '../plan/catalog.ts'
import { validated } from '../plan/errors.ts'
import { OrderedCollection } from '../plan/ordering.ts'
import { newId } from '../plan/PlanModel.ts'
import { leverIdSchema } from '../plan/schemas.ts'
import { flagsOf, newText, stringAt, textOf } from '../plan/yhelpers.ts'

/**
 * The live state of a cohort session is a Yjs document of its own (`session:<id>`): status,
 * breakout groups with their members and prompts, a timer and broadcast messages. Everyone in the
 * session reads it live (a late joiner gets the whole state on sync); only facilitators write it.
 * Each breakout group drafts in its own document (`draft:<id>`, see DraftModel).
 */
export const SessionKeys = { state: 'state', groups: 'groups', broadcasts: 'broadcasts' } as const

export const groupNameSchema = z.string().trim().min(1, 'Name the group').max(80)
export const groupPromptSchema = z.string().trim().max(1000, 'Keep prompts under 1,000 characters')
export const broadcastSchema = z
  .string()
  .trim()
  .min(1, 'Write a message')
  .max(280, 'Keep messages under 280 characters')
export const timerSecondsSchema = z
  .number()
  .int()
  .min(10, 'At least 10 seconds')
  .max(4 * 60 * 60, 'At most 4 hours')

export interface TimerState {
  /** When the countdown ends (ISO time). */
  endsAt: string
  durationSeconds: number
  label: string
}

export interface Broadcast {
  id: string
  text: string
  at: string
  byName: string
}

export class GroupModel {
  constructor(readonly map: Y.Map<unknown>) {}
  get id(): string {
    return stringAt(this.map, 'id') ?? ''
  }
  get name(): string {
    return stringAt(this.map, 'name') ?? ''
  }
  setName(name: string): void {
    this.map.set('name', validated(groupNameSchema, name, 'Group name'))
  }
  get prompt(): string {
    return stringAt(this.map, 'prompt') ?? ''
  }
  setPrompt(prompt: string): void {
    this.map.set('prompt', validated(groupPromptSchema, prompt, 'Prompt'))
  }
  /** The group's draft document id (`draft:<draftId>`). */
  get draftId(): string {
    return stringAt(this.map, 'draftId') ?? ''
  }
  private get membersMap(): Y.Map<boolean> | null {
    const m = this.map.get('members')
    return m instanceof Y.Map ? (m as Y.Map<boolean>) : null
  }
  get members(): string[] {
    const m = this.membersMap
    return m ? [...m.keys()].filter((k) => m.get(k) === true).sort() : []
  }
  hasMember(userId: string): boolean {
    return this.membersMap?.get(userId) === true
  }
  addMember(userId: string): void {
    this.membersMap?.set(userId, true)
  }
  removeMember(userId: string): void {
    this.membersMap?.delete(userId)
  }
}

/** Typed access to a session's live document. */
export class SessionModel {
  readonly groups: OrderedCollection<GroupModel>

  constructor(readonly doc: Y.Doc) {
    this.groups = new OrderedCollection(
      doc.getMap<Y.Map<unknown>>(SessionKeys.groups),
      (m) => new GroupModel(m),
      (m) => {
        m.set('name', 'Group')
        m.set('prompt', '')
        m.set('draftId', newId())
        m.set('members', new Y.Map<boolean>())
      },
    )
  }

  get state(): Y.Map<unknown> {
    return this.doc.getMap(SessionKeys.state)
  }
  get broadcastsArray(): Y.Array<Broadcast> {
    return this.doc.getArray<Broadcast>(SessionKeys.broadcasts)
  }

  get status(): 'scheduled' | 'live' | 'ended' {
    const s = this.state.get('status')
    return s === 'live' || s === 'ended' ? s : 'scheduled'
  }
  setStatus(status: 'scheduled' | 'live' | 'ended'): void {
    this.state.set('status', status)
  }
  get breakoutsOpen(): boolean {
    return this.state.get('breakoutsOpen') === true
  }
  setBreakoutsOpen(open: boolean): void {
    this.state.set('breakoutsOpen', open)
  }

  get timer(): TimerState | null {
    const t = this.state.get('timer') as Partial<TimerState> | undefined
    return t && typeof t.endsAt === 'string' && typeof t.durationSeconds === 'number'
      ? { endsAt: t.endsAt, durationSeconds: t.durationSeconds, label: typeof t.label === 'string' ? t.label : '' }
      : null
  }
  startTimer(seconds: number, label = '', now = new Date()): void {
    const duration = validated(timerSecondsSchema, seconds, 'Timer')
    this.state.set('timer', {
      endsAt: new Date(now.getTime() + duration * 1000).toISOString(),
      durationSeconds: duration,
      label,
    })
  }
  stopTimer(): void {
    this.state.delete('timer')
  }

  broadcasts(): Broadcast[] {
    return this.broadcastsArray.toArray().filter((b) => b && typeof b.text === 'string')
  }
  broadcast(text: string, byName: string): void {
    this.broadcastsArray.push([
      { id: newId(), text: validated(broadcastSchema, text, 'Message'), at: new Date().toISOString(), byName },
    ])
  }

  addGroup(name: string, prompt = ''): GroupModel {
    const group = this.groups.add(newId())
    this.doc.transact(() => {
      group.setName(name)
      if (prompt) group.setPrompt(prompt)
    })
    return group
  }

  /** The group a person is in (the first, if several). */
  groupOf(userId: string): GroupModel | null {
    return this.groups.list().find((g) => g.hasMember(userId)) ?? null
  }

  /** Moves a person into a group (out of any other), as drag and drop does. */
  assign(userId: string, groupId: string | null): void {
    this.doc.transact(() => {
      for (const g of this.groups.list()) if (g.id !== groupId) g.removeMember(userId)
      if (groupId) this.groups.get(groupId)?.addMember(userId)
    })
  }
}

// ---- Breakout drafts ----

export const DraftKeys = { prose: 'prose', cards: 'cards' } as const

export class IdeaCardModel {
  constructor(readonly map: Y.Map<unknown>) {}
  get id(): string {
    return stringAt(this.map, 'id') ?? ''
  }
  text(field: 'title' | 'notes'): Y.Text | null {
    const t = this.map.get(field)
    return t instanceof Y.Text ? t : null
  }
  get lever(): string | null {
    return stringAt(this.map, 'lever')
  }
  setLever(lever: string | null): void {
    if (lever === null) this.map.delete('lever')
    else this.map.set('lever', validated(leverIdSchema, lever, 'Lever'))
  }
  get components(): string[] {
    const m = this.map.get('components')
    return flagsOf(
      m instanceof Y.Map ? m : null,
      JOB_QUALITY_COMPONENTS.map((c) => c.id),
    )
  }
  setComponent(component: string, on: boolean): void {
    const m = this.map.get('components')
    if (!(m instanceof Y.Map)) return
    if (on) m.set(component, true)
    else m.delete(component)
  }
  /** Where the card went, once sent into a plan. */
  get sentTo(): { planId: string; initiativeId: string; at: string } | null {
    const s = this.map.get('sentTo') as { planId?: unknown; initiativeId?: unknown; at?: unknown } | undefined
    return s && typeof s.planId === 'string' && typeof s.initiativeId === 'string' && typeof s.at === 'string'
      ? { planId: s.planId, initiativeId: s.initiativeId, at: s.at }
      : null
  }
  snapshot(): { id: string; title: string; notes: string; lever: string | null; components: string[] } {
    return {
      id: this.id,
      title: textOf(this.map, 'title'),
      notes: textOf(this.map, 'notes'),
      lever: this.lever,
      components: this.components,
    }
  }
}

/** Typed access to a breakout group's draft: prose, and idea cards tagged with levers and components. */
export class DraftModel {
  readonly cards: OrderedCollection<IdeaCardModel>

  constructor(readonly doc: Y.Doc) {
    this.cards = new OrderedCollection(
      doc.getMap<Y.Map<unknown>>(DraftKeys.cards),
      (m) => new IdeaCardModel(m),
      (m) => {
        m.set('title', newText())
        m.set('notes', newText())
        m.set('components', new Y.Map<boolean>())
        m.set('createdAt', new Date().toISOString())
      },
    )
  }

  get prose(): Y.XmlFragment {
    return this.doc.getXmlFragment(DraftKeys.prose)
  }

  addCard(title = '', createdBy?: string): IdeaCardModel {
    const card = this.cards.add(newId())
    this.doc.transact(() => {
      if (title) card.text('title')?.insert(0, title)
      if (createdBy) card.map.set('createdBy', createdBy)
    })
    return card
  }
}
