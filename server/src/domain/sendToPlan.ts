import {
  AccessMode,
  type ComponentId,
  DocKind,
  DraftModel,
  docNameFor,
  ErrorCode,
  fragmentText,
  type InitiativeModel,
  labelOf,
  PLAN_SECTIONS,
  PlanModel,
  type Provenance,
  planAccess,
  type SendToPlanRequest,
  TITLE_MAX,
  type User,
} from '@lever/shared'
import * as Y from 'yjs'
import type { RoomManager } from '../collab/RoomManager.ts'
import { ApiError } from '../http/ApiError.ts'
import type { BreakoutService, TransferItem } from './breakouts.ts'
import type { CohortSessionService } from './cohortSessions.ts'
import type { PlanService } from './plans.ts'

export interface SendToPlanDeps {
  rooms: RoomManager
  plans: PlanService
  sessions: CohortSessionService
  breakouts: BreakoutService
}

export interface SendResult {
  initiativeIds: string[]
  blocks: number
  /** Initiatives updated in place because their card had been sent into this plan before. */
  updated: string[]
}

interface CardCopy {
  id: string
  title: string
  notes: string
  lever: string | null
  components: string[]
  sentTo: { planId: string; initiativeId: string; at: string } | null
}

/**
 * Sends content of a breakout draft into a plan, as an ordinary server-made edit of the plan's
 * document (so it merges with whatever others are typing at that moment): idea cards become
 * initiatives, prose blocks are appended to a section under a line saying where they came from.
 * Each transfer is recorded for the facilitator's follow-up.
 */
export async function sendToPlan(
  deps: SendToPlanDeps,
  user: User,
  draftId: string,
  request: SendToPlanRequest,
): Promise<SendResult> {
  const group = await deps.breakouts.groupByDraft(draftId)
  if (!group) throw ApiError.notFound('No such draft')
  if (!maySendFromDraft(user, group)) {
    throw ApiError.forbidden('Only members of this breakout group and facilitators send its draft into a plan')
  }
  const session = await deps.sessions.get(group.sessionId)
  const plan = await deps.plans.get(request.planId)
  if (!plan || !session) throw ApiError.notFound('No such plan')
  if (planAccess(user, plan) !== AccessMode.ReadWrite)
    throw ApiError.forbidden('You can only send drafts into plans you can edit')
  if (request.blockIndexes.length > 0 && request.target.kind !== 'section') {
    throw ApiError.badRequest('Prose goes into a section of the plan; choose a section')
  }

  // Copy what was chosen out of the draft.
  const { cards, blocks } = await deps.rooms.withRoom(docNameFor(DocKind.Draft, draftId), (room) => {
    const draft = new DraftModel(room.doc)
    const cards: CardCopy[] = request.cardIds.map((id) => {
      const card = draft.cards.get(id)
      if (!card) throw ApiError.badRequest(`The draft has no idea card "${id}"`)
      return { ...card.snapshot(), sentTo: card.sentTo }
    })
    const top = draft.prose.toArray()
    const blocks = [...new Set(request.blockIndexes)]
      .sort((a, b) => a - b)
      .map((i) => {
        const block = top[i]
        if (!(block instanceof Y.XmlElement)) throw ApiError.badRequest(`The draft has no paragraph ${i + 1}`)
        return block.clone()
      })
    return { cards, blocks }
  })
  const target = request.target
  for (const card of cards) {
    if (target.kind === 'section' && !card.lever) {
      throw ApiError.badRequest(`Tag "${card.title || 'the card'}" with a lever, or send it to a lever`)
    }
  }

  const provenance: Provenance = {
    kind: 'breakout',
    sessionId: session.id,
    sessionTitle: session.title,
    draftId,
    groupName: group.name,
    by: user.name,
    at: new Date().toISOString(),
  }
  const { initiativeIds, updated } = await deps.rooms.withRoom(plan.docName, (room) => {
    const ids: string[] = []
    const updated: string[] = []
    // Check everything before changing anything: the edit goes in whole or not at all.
    const current = new PlanModel(room.doc)
    const levers = new Set(current.leverList().map((l) => l.id))
    for (const card of cards) {
      const lever = target.kind === 'lever' ? target.leverId : (card.lever as string)
      if (!levers.has(lever)) throw ApiError.badRequest(`This plan has no lever "${lever}"`)
    }
    // Cards sent into this plan before, whose initiative is still there: ask before sending again.
    const sentBefore = (card: CardCopy) =>
      card.sentTo?.planId === plan.id && current.initiative(card.sentTo.initiativeId) !== null ? card.sentTo : null
    const repeats = cards.filter((c) => sentBefore(c) !== null)
    if (repeats.length > 0 && !request.resend) {
      throw new ApiError(
        409,
        ErrorCode.AlreadySent,
        `${repeats.length === 1 ? 'This idea card was' : `${repeats.length} of these idea cards were`} already sent into “${plan.title}”. Update the initiative already there, or add a new one?`,
        {
          cards: repeats.map((c) => ({
            cardId: c.id,
            title: cardTitle(c),
            initiativeId: c.sentTo?.initiativeId ?? '',
            at: c.sentTo?.at ?? '',
          })),
        },
      )
    }
    room.transactServer(
      (doc) => {
        const model = new PlanModel(doc)
        for (const card of cards) {
          const before = request.resend === 'update' ? sentBefore(card) : null
          const existing = before ? model.initiative(before.initiativeId) : null
          if (existing) {
            updateInitiative(existing, card, provenance)
            ids.push(existing.id)
            updated.push(existing.id)
            continue
          }
          const lever = target.kind === 'lever' ? target.leverId : (card.lever as string)
          const initiative = model.addInitiative(lever, {
            title: cardTitle(card),
            createdBy: user.id,
            provenance,
          })
          for (const c of card.components) initiative.setComponent(c as ComponentId, true)
          if (card.notes.trim()) initiative.description?.insert(0, [paragraph(card.notes.trim())])
          ids.push(initiative.id)
        }
        if (blocks.length > 0 && target.kind === 'section') {
          const section = model.section(target.sectionId)
          const date = new Date(provenance.at).toLocaleDateString('en-US', {
            month: 'short',
            day: 'numeric',
            year: 'numeric',
            timeZone: 'UTC',
          })
          section.insert(section.length, [
            paragraph(`From breakout “${group.name}” (${session.title}), sent by ${user.name} on ${date}:`, {
              italic: true,
            }),
            ...blocks,
          ])
        }
      },
      { userId: user.id, reason: 'send-to-plan' },
    )
    return { initiativeIds: ids, updated }
  })

  // Remember where each card went, in the draft itself, and record the transfers.
  if (cards.length > 0) {
    await deps.rooms.withRoom(docNameFor(DocKind.Draft, draftId), (room) => {
      room.transactServer((doc) => {
        const draft = new DraftModel(doc)
        for (const [i, c] of cards.entries()) {
          draft.cards
            .get(c.id)
            ?.map.set('sentTo', { planId: plan.id, initiativeId: initiativeIds[i], at: provenance.at })
        }
      })
    })
  }
  const base = {
    draftId,
    sessionId: session.id,
    groupId: group.id,
    planId: plan.id,
    jurisdictionId: plan.jurisdictionId,
    userId: user.id,
    userName: user.name,
  }
  const transfers: TransferItem[] = cards.map((card, i) => {
    const lever = target.kind === 'lever' ? target.leverId : (card.lever as string)
    const id = initiativeIds[i] as string
    return {
      kind: 'card',
      summary: `${card.title || 'Untitled idea'}${updated.includes(id) ? ' (updated)' : ''}`,
      target: `lever:${lever}#${id}`,
    }
  })
  if (blocks.length > 0 && target.kind === 'section') {
    transfers.push({
      kind: 'prose',
      summary: `${blocks.length} ${blocks.length === 1 ? 'paragraph' : 'paragraphs'} into ${labelOf(PLAN_SECTIONS, target.sectionId)}`,
      target: `section:${target.sectionId}`,
    })
  }
  await deps.breakouts.recordTransfers(base, transfers)
  return { initiativeIds, blocks: blocks.length, updated }
}

/** A card's title as an initiative title (capped like every initiative title). */
function cardTitle(card: CardCopy): string {
  return (card.title.trim() || 'Idea from a breakout').slice(0, TITLE_MAX)
}

/**
 * Brings an initiative sent before up to date with its card: the card's title, its components
 * added (the team's own stay), and its notes added to the description unless already there.
 * Nothing the team wrote in the plan is removed.
 */
function updateInitiative(initiative: InitiativeModel, card: CardCopy, provenance: Provenance): void {
  const title = initiative.text('title')
  const next = cardTitle(card)
  if (title && title.toString() !== next) {
    title.delete(0, title.length)
    title.insert(0, next)
  }
  for (const c of card.components) initiative.setComponent(c as ComponentId, true)
  const notes = card.notes.trim()
  const description = initiative.description
  if (notes && description && !fragmentText(description).includes(notes)) {
    description.insert(description.length, [paragraph(notes)])
  }
  initiative.map.set('provenance', provenance)
}

/**
 * Who may send a group's cards and prose into a plan: the group's current members and
 * facilitators. Anyone else may read a draft, but sending also writes `sentTo` into the draft.
 */
export function maySendFromDraft(user: User, group: { members: readonly string[]; removed: boolean }): boolean {
  if (!user.active) return false
  if (user.role === 'facilitator') return true
  return !group.removed && group.members.includes(user.id)
}

/** A paragraph as the editor stores one; marks are attributes whose value is the mark's attrs ({} for italic). */
function paragraph(text: string, format?: Record<string, unknown>): Y.XmlElement {
  const p = new Y.XmlElement('paragraph')
  const t = new Y.XmlText()
  t.insert(0, text, format)
  p.insert(0, [t])
  return p
}
