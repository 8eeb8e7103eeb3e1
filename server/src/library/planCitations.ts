import {
  AccessMode,
  type ComponentId,
  type EvidenceCitation,
  type EvidenceEntry,
  type EvidenceTier,
  JOB_QUALITY_COMPONENTS,
  newId,
  PlanModel,
  planAccess,
  TITLE_MAX,
  type User,
} from '@lever/shared'
import * as Y from 'yjs'
import type { RoomManager } from '../collab/RoomManager.ts'
import type { PlanRecord, PlanService } from '../domain/plans.ts'
import { ApiError } from '../http/ApiError.ts'
import type { EvidenceLibrary } from './EvidenceLibrary.ts'

export interface PlanCitationDeps {
  rooms: RoomManager
  plans: PlanService
  evidence: EvidenceLibrary
}

const componentIds = new Set<string>(JOB_QUALITY_COMPONENTS.map((c) => c.id))

async function editablePlan(deps: PlanCitationDeps, user: User, planId: string): Promise<PlanRecord> {
  const plan = await deps.plans.get(planId)
  if (!plan) throw ApiError.notFound('No such plan')
  const access = planAccess(user, plan)
  if (access === null) throw ApiError.forbidden('This plan is not shared with you')
  if (access !== AccessMode.ReadWrite)
    throw ApiError.forbidden('Only people who can edit this plan change its evidence')
  return plan
}

async function entryOrThrow(deps: PlanCitationDeps, entryId: string): Promise<EvidenceEntry> {
  const entry = await deps.evidence.get(entryId)
  if (!entry) throw ApiError.badRequest(`The library has no entry “${entryId}”`)
  return entry
}

/** A citation of an entry as it is now: its title, rating and revision are kept as they are. */
function citationOf(entry: EvidenceEntry, user: User): EvidenceCitation {
  return {
    id: newId(),
    entryId: entry.id,
    title: entry.title,
    rating: entry.rating,
    revision: entry.revision,
    sourceName: entry.source.name,
    sourceUrl: entry.source.url,
    by: user.id,
    byName: user.name,
    at: new Date().toISOString(),
  }
}

/** Cites a library entry in an initiative's evidence, as a server-made edit of the plan. */
export async function citeEntry(
  deps: PlanCitationDeps,
  user: User,
  planId: string,
  initiativeId: string,
  entryId: string,
): Promise<EvidenceCitation> {
  const plan = await editablePlan(deps, user, planId)
  const entry = await entryOrThrow(deps, entryId)
  const citation = citationOf(entry, user)
  await deps.rooms.withRoom(plan.docName, (room) => {
    if (!new PlanModel(room.doc).initiative(initiativeId)) throw ApiError.notFound('This plan has no such initiative')
    room.transactServer((doc) => new PlanModel(doc).initiative(initiativeId)?.addCitation(citation), {
      userId: user.id,
      reason: 'cite-evidence',
    })
  })
  return citation
}

/** Removes a citation from an initiative's evidence. */
export async function removeCitation(
  deps: PlanCitationDeps,
  user: User,
  planId: string,
  initiativeId: string,
  citationId: string,
): Promise<void> {
  const plan = await editablePlan(deps, user, planId)
  await deps.rooms.withRoom(plan.docName, (room) => {
    const initiative = new PlanModel(room.doc).initiative(initiativeId)
    if (!initiative) throw ApiError.notFound('This plan has no such initiative')
    if (!initiative.citations.some((c) => c.id === citationId)) throw ApiError.notFound('No such citation')
    room.transactServer((doc) => new PlanModel(doc).initiative(initiativeId)?.removeCitation(citationId), {
      userId: user.id,
      reason: 'remove-citation',
    })
  })
}

/**
 * "Start an initiative from this": a new initiative in the chosen lever, with the entry's title,
 * its summary as the description, its suggested tier and components, and a citation of it.
 */
export async function startInitiativeFromEntry(
  deps: PlanCitationDeps,
  user: User,
  planId: string,
  request: { entryId: string; lever: string },
): Promise<string> {
  const plan = await editablePlan(deps, user, planId)
  const entry = await entryOrThrow(deps, request.entryId)
  const citation = citationOf(entry, user)
  return deps.rooms.withRoom(plan.docName, (room) => {
    const levers = new PlanModel(room.doc).leverList().map((l) => l.id)
    if (!levers.includes(request.lever)) throw ApiError.badRequest(`This plan has no lever “${request.lever}”`)
    let initiativeId = ''
    room.transactServer(
      (doc) => {
        const initiative = new PlanModel(doc).addInitiative(request.lever, {
          title: entry.title.slice(0, TITLE_MAX),
          createdBy: user.id,
        })
        initiativeId = initiative.id
        const paragraph = new Y.XmlElement('paragraph')
        paragraph.insert(0, [new Y.XmlText(entry.summary)])
        initiative.description?.insert(0, [paragraph])
        if (entry.suggestedTier) initiative.setEvidenceTier(entry.suggestedTier as EvidenceTier)
        for (const c of entry.components) if (componentIds.has(c)) initiative.setComponent(c as ComponentId, true)
        initiative.addCitation(citation)
      },
      { userId: user.id, reason: 'start-from-evidence' },
    )
    return initiativeId
  })
}
