import {
  AccessMode,
  type BorrowCounts,
  type BorrowedFrom,
  type BorrowRequest,
  copyInitiative,
  copyPlanContent,
  type FromTemplate,
  newId,
  PlanModel,
  planAccess,
  type User,
} from '@lever/shared'
import * as Y from 'yjs'
import type { RoomManager } from '../collab/RoomManager.ts'
import type { Db } from '../db/queries.ts'
import { ApiError } from '../http/ApiError.ts'
import type { JurisdictionService } from './jurisdictions.ts'
import type { PlanRecord, PlanService } from './plans.ts'
import type { TemplateRecord, TemplateService } from './templates.ts'

/** Which initiatives were copied from which plan into which: the original team sees the count. */
export class BorrowLog {
  constructor(private readonly db: Db) {}

  async record(input: {
    sourcePlanId: string
    sourceInitiativeId: string
    targetPlanId: string
    targetJurisdictionId: string
    targetInitiativeId: string
    by: string
    at: string
  }): Promise<void> {
    await this.db
      .insertInto('initiative_borrows')
      .values({
        id: newId(),
        source_plan_id: input.sourcePlanId,
        source_initiative_id: input.sourceInitiativeId,
        target_plan_id: input.targetPlanId,
        target_jurisdiction_id: input.targetJurisdictionId,
        target_initiative_id: input.targetInitiativeId,
        borrowed_by: input.by,
        borrowed_at: input.at,
      })
      .execute()
  }

  /**
   * Per initiative of a plan: how many other teams copied it (a team copying twice counts once)
   * and how many copies were made in all. Copies a team makes of its own plan are not counted.
   */
  async counts(plan: PlanRecord): Promise<BorrowCounts> {
    const rows = await this.db
      .selectFrom('initiative_borrows')
      .select((eb) => [
        'source_initiative_id as id',
        eb.fn.count<number>('target_jurisdiction_id').distinct().as('teams'),
        eb.fn.countAll<number>().as('copies'),
      ])
      .where('source_plan_id', '=', plan.id)
      .where('target_jurisdiction_id', '!=', plan.jurisdictionId)
      .groupBy('source_initiative_id')
      .execute()
    return Object.fromEntries(rows.map((r) => [r.id, { teams: Number(r.teams), copies: Number(r.copies) }]))
  }
}

export interface PlanCopyDeps {
  rooms: RoomManager
  plans: PlanService
  templates: TemplateService
  jurisdictions: JurisdictionService
  borrows: BorrowLog
}

/** A plan the caller may edit, or the error that says why not. */
async function editablePlan(plans: PlanService, user: User, planId: string): Promise<PlanRecord> {
  const plan = await plans.get(planId)
  if (!plan) throw ApiError.notFound('No such plan')
  if (planAccess(user, plan) !== AccessMode.ReadWrite) {
    throw ApiError.forbidden('You can only add initiatives to plans you can edit')
  }
  return plan
}

/** How many times a copy waits for a template's changes to be stored before it reads anyway. */
const SETTLE_ROUNDS = 50

/**
 * The template's document as it is now (saved changes only) and the version that names it: read
 * together, so a version bump of the last saved change still being written is not missed.
 */
export async function templateContent(
  deps: Pick<PlanCopyDeps, 'rooms' | 'templates'>,
  template: TemplateRecord,
): Promise<{ doc: Y.Doc; version: number }> {
  const { update, version } = await deps.rooms.withRoom(template.docName, async (room) => {
    // Read when every change the document holds is stored and has started its bump: an edit applied
    // while the last ones were being stored sends the read round again (a template being typed in
    // settles between keystrokes). Past the rounds, the content may hold a change or two its
    // version does not name yet.
    for (let round = 1; round <= SETTLE_ROUNDS; round++) {
      await room.whenDurable()
      if (room.allDurable) break
    }
    // In the same turn as the content is read: the bumps of exactly the changes it holds.
    const version = deps.templates.versionOf(template.id)
    version.catch(() => {}) // awaited below; not an unhandled rejection meanwhile
    return { update: Y.encodeStateAsUpdate(room.doc), version }
  })
  const doc = new Y.Doc()
  Y.applyUpdate(doc, update)
  return { doc, version: (await version) ?? template.version }
}

/**
 * Starts a plan from a plan template: a new plan of the jurisdiction whose document holds a copy
 * of the template's content with fresh ids; the plan records the template and its version.
 */
export async function instantiateTemplate(
  deps: PlanCopyDeps,
  user: User,
  template: TemplateRecord,
  input: { jurisdictionId: string; title: string },
): Promise<PlanRecord> {
  if (template.kind !== 'plan') {
    throw ApiError.badRequest('This is an initiative template: add it into a lever of a plan instead')
  }
  await deps.plans.checkMayStart(user, input.jurisdictionId)
  const { doc, version } = await templateContent(deps, template)
  try {
    const source = new PlanModel(doc)
    return await deps.plans.create({
      jurisdictionId: input.jurisdictionId,
      title: input.title,
      createdBy: user.id,
      startedBy: user,
      template: { id: template.id, version, fill: (model) => copyPlanContent(source, model, user.id) },
    })
  } finally {
    doc.destroy()
  }
}

/** Adds the initiative(s) of an initiative template into a lever of a plan, as a server-made edit. */
export async function addFromTemplate(
  deps: PlanCopyDeps,
  user: User,
  planId: string,
  input: { templateId: string; lever: string },
): Promise<string[]> {
  const plan = await editablePlan(deps.plans, user, planId)
  const template = await deps.templates.get(input.templateId)
  if (!template) throw ApiError.notFound('No such template')
  if (template.kind !== 'initiative') {
    throw ApiError.badRequest('This is a plan template: start a new plan from it instead')
  }
  const { doc, version } = await templateContent(deps, template)
  try {
    const sources = new PlanModel(doc).initiatives()
    if (sources.length === 0) throw ApiError.badRequest('This template has no initiative yet')
    const fromTemplate: FromTemplate = {
      templateId: template.id,
      title: template.title,
      version,
      by: user.name,
      at: new Date().toISOString(),
    }
    return await deps.rooms.withRoom(plan.docName, (room) => {
      const target = new PlanModel(room.doc)
      if (!target.levers.has(input.lever)) throw ApiError.badRequest(`This plan has no lever "${input.lever}"`)
      const ids: string[] = []
      room.transactServer(
        (d) => {
          const model = new PlanModel(d)
          for (const source of sources) {
            ids.push(copyInitiative(model, source, { lever: input.lever, createdBy: user.id, extra: { fromTemplate } }))
          }
        },
        { userId: user.id, reason: 'add-from-template' },
      )
      return ids
    })
  } finally {
    doc.destroy()
  }
}

/**
 * Copies an initiative of a plan the caller may read into a plan they may edit, as a server-made
 * edit: fresh ids, no comments, status back to "not started", and a note of where it came from.
 */
export async function borrowInitiative(
  deps: PlanCopyDeps,
  user: User,
  targetPlanId: string,
  request: BorrowRequest,
): Promise<string> {
  const target = await editablePlan(deps.plans, user, targetPlanId)
  const source = await deps.plans.get(request.fromPlanId)
  if (!source) throw ApiError.notFound('The plan to copy from does not exist')
  if (!planAccess(user, source)) {
    throw ApiError.forbidden('That plan is not shared with you: only plans shared with the cohort can be copied from')
  }
  const update = await deps.rooms.withRoom(source.docName, (room) => {
    const initiative = new PlanModel(room.doc).initiative(request.initiativeId)
    if (!initiative) throw ApiError.notFound('That initiative is not in the plan (it may have been deleted)')
    return Y.encodeStateAsUpdate(room.doc)
  })
  const sourceDoc = new Y.Doc()
  Y.applyUpdate(sourceDoc, update)
  try {
    const initiative = new PlanModel(sourceDoc).initiative(request.initiativeId)
    if (!initiative) throw ApiError.notFound('That initiative is not in the plan (it may have been deleted)')
    const borrowedFrom: BorrowedFrom = {
      planId: source.id,
      planTitle: source.title,
      jurisdictionId: source.jurisdictionId,
      jurisdictionName: (await deps.jurisdictions.get(source.jurisdictionId))?.name ?? source.jurisdictionId,
      initiativeId: initiative.id,
      by: user.name,
      at: new Date().toISOString(),
    }
    const id = await deps.rooms.withRoom(target.docName, (room) => {
      if (!new PlanModel(room.doc).levers.has(request.lever)) {
        throw ApiError.badRequest(`Your plan has no lever "${request.lever}"`)
      }
      let id = ''
      room.transactServer(
        (d) => {
          id = copyInitiative(new PlanModel(d), initiative, {
            lever: request.lever,
            createdBy: user.id,
            extra: { borrowedFrom },
          })
        },
        { userId: user.id, reason: 'borrow' },
      )
      return id
    })
    await deps.borrows.record({
      sourcePlanId: source.id,
      sourceInitiativeId: initiative.id,
      targetPlanId: target.id,
      targetJurisdictionId: target.jurisdictionId,
      targetInitiativeId: id,
      by: user.id,
      at: borrowedFrom.at,
    })
    return id
  } finally {
    sourceDoc.destroy()
  }
}
