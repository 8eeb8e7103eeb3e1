import {
  type CompareResponse,
  ErrorCode,
  labelOf,
  PLAN_SECTIONS,
  PlanModel,
  planProseJson,
  RESTORE_NOTE_KEY,
  type RestoreNote,
  type User,
  type VersionDetailResponse,
  type VersionPerson,
  type VersionSummary,
} from '@lever/shared'
import * as Y from 'yjs'
import type { ClientRegistry } from '../collab/ClientRegistry.ts'
import type { RoomManager } from '../collab/RoomManager.ts'
import type { PlanRecord } from '../domain/plans.ts'
import { ApiError } from '../http/ApiError.ts'
import { comparePlans } from './compare.ts'
import { type RestoreScope, restoreInto } from './restoreContent.ts'
import type { VersionRecorder } from './VersionRecorder.ts'
import { VersionHistoryFull, type VersionRecord, type VersionStore } from './VersionStore.ts'

export interface VersionServiceDeps {
  store: VersionStore
  recorder: VersionRecorder
  rooms: RoomManager
  clients: ClientRegistry
  /** A person's display name by id (null: unknown). */
  nameOf(userId: string): Promise<string | null>
}

/** Named versions and restores each take a full copy of the plan: at most this many per plan per hour. */
export const MAX_MANUAL_VERSIONS_PER_HOUR = 60
const HOUR = 60 * 60 * 1000

/** A plan's budget of stored versions for people: `256 MB`, `1.5 MB`, `30 KB`. */
const sizeLabel = (bytes: number) => {
  const mb = bytes / (1024 * 1024)
  if (mb < 1) return `${Math.round(bytes / 1024)} KB`
  return `${mb >= 10 ? Math.round(mb) : Number(mb.toFixed(1))} MB`
}

/**
 * The plan's history has no room for the named version a person asked for (named versions fill
 * it, see `VersionStore.makeRoom`): 507 Insufficient Storage, as for a quota (RFC 4918), with what
 * it means for them. Other errors pass as they are.
 */
function historyFullError(error: unknown): unknown {
  if (!(error instanceof VersionHistoryFull)) return error
  return new ApiError(
    507,
    ErrorCode.VersionHistoryFull,
    `This plan’s named versions have reached ${sizeLabel(error.maxBytes)}, the most kept for one plan. ` +
      'No new version can be named until a facilitator deletes named versions it no longer needs; ' +
      'the plan itself is saved as usual, and restoring still works.',
  )
}

const dateLabel = (ms: number) =>
  new Date(ms).toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' })

/**
 * What the API does with a plan's history: list, name, show, compare and restore versions.
 * Permission checks are the caller's (the routes); this works on plans the caller may use.
 */
export class VersionService {
  constructor(private readonly deps: VersionServiceDeps) {}

  async list(plan: PlanRecord): Promise<VersionSummary[]> {
    return this.deps.store.summaries(await this.deps.store.list(plan.id))
  }

  /** A named version of the plan as it is now. */
  async name(plan: PlanRecord, user: User, name: string): Promise<VersionSummary> {
    await this.checkRate(plan, 'named')
    const version = await this.deps.rooms
      .withRoom(plan.docName, (room) =>
        this.deps.recorder.checkpoint(room, plan.id, 'named', { name, createdBy: user.id }),
      )
      .catch((error: unknown) => {
        throw historyFullError(error)
      })
    return this.summary(version as VersionRecord)
  }

  /**
   * Deletes a version (a facilitator making room in a full history; the routes check who). Its
   * authors go to the next newer version.
   */
  async remove(plan: PlanRecord, versionId: string): Promise<void> {
    const record = await this.find(plan, versionId)
    await this.deps.store.remove(plan.id, new Set([record.id]))
  }

  async rename(plan: PlanRecord, versionId: string, name: string): Promise<VersionSummary> {
    const version = await this.deps.store.rename(plan.id, versionId, name)
    if (!version) throw ApiError.notFound('No such version of this plan')
    return this.summary(version)
  }

  async detail(plan: PlanRecord, versionId: string): Promise<VersionDetailResponse> {
    const record = await this.find(plan, versionId)
    const doc = await this.loadDoc(plan, versionId)
    try {
      return { version: await this.summary(record), plan: new PlanModel(doc).snapshot(), prose: planProseJson(doc) }
    } finally {
      doc.destroy()
    }
  }

  /**
   * Compares a version with another (`other` is a version id) or with the plan as it is now
   * (`other` = `current`), always from the older to the newer.
   */
  async compare(plan: PlanRecord, versionId: string, other: string): Promise<CompareResponse> {
    const a = await this.find(plan, versionId)
    // Looked up before any document is made, so nothing is left undestroyed when one is missing.
    const b = other === 'current' ? null : await this.find(plan, other)
    const who = await this.whoWrote(plan.docName)
    const docA = await this.loadDoc(plan, a.id)
    let docB: Y.Doc
    let labelB: { id: string; label: string }
    let bIsNewer = true
    try {
      if (!b) {
        const state = await this.deps.rooms.withRoom(plan.docName, (room) => Y.encodeStateAsUpdate(room.doc))
        docB = new Y.Doc()
        Y.applyUpdate(docB, state)
        labelB = { id: 'current', label: 'The plan now' }
      } else {
        docB = await this.loadDoc(plan, b.id)
        labelB = { id: b.id, label: this.label(b) }
        bIsNewer = b.createdAt >= a.createdAt
      }
    } catch (error) {
      docA.destroy()
      throw error
    }
    const labelA = { id: a.id, label: this.label(a) }
    try {
      return bIsNewer
        ? comparePlans(docA, docB, who, { from: labelA, to: labelB })
        : comparePlans(docB, docA, who, { from: labelB, to: labelA })
    } finally {
      docA.destroy()
      docB.destroy()
    }
  }

  /**
   * Restores a version (whole, one initiative or one section) as a server-made forward edit of
   * the live plan, after taking a `before-restore` version; resolves once the edit is durable.
   */
  async restore(plan: PlanRecord, versionId: string, scope: RestoreScope, user: User): Promise<string> {
    const record = await this.find(plan, versionId)
    await this.checkRate(plan, 'before-restore')
    const target = await this.loadDoc(plan, record.id)
    try {
      if (scope.kind === 'initiative' && !new PlanModel(target).initiative(scope.initiativeId)) {
        throw ApiError.notFound('This version has no such initiative')
      }
      const what =
        record.kind === 'before-restore' && scope.kind === 'all'
          ? 'undoing a restore'
          : scope.kind === 'all'
            ? this.label(record)
            : scope.kind === 'section'
              ? `${labelOf(PLAN_SECTIONS, scope.section)} from ${this.label(record)}`
              : `an initiative from ${this.label(record)}`
      return await this.deps.rooms.withRoom(plan.docName, async (room) => {
        // The version before the restore is stored first (even past the history's budget): if it
        // cannot be, nothing is restored.
        const before = (await this.deps.recorder.checkpoint(room, plan.id, 'before-restore', {
          name:
            record.kind === 'before-restore' && scope.kind === 'all'
              ? 'Before undoing a restore'
              : `Before restoring ${what}`,
          createdBy: user.id,
        })) as VersionRecord
        const note: RestoreNote = {
          byId: user.id,
          byName: user.name,
          at: new Date().toISOString(),
          what,
          undo: record.kind === 'before-restore' && scope.kind === 'all',
        }
        room.transactServer(
          (doc) => {
            restoreInto(doc, target, scope)
            // Told to everyone in the plan with the restore itself (see RESTORE_NOTE_KEY).
            new PlanModel(doc).meta.set(RESTORE_NOTE_KEY, note)
          },
          { userId: user.id, reason: 'restore' },
        )
        await room.whenDurable()
        return before.id
      })
    } finally {
      target.destroy()
    }
  }

  private async checkRate(plan: PlanRecord, kind: 'named' | 'before-restore'): Promise<void> {
    if ((await this.deps.store.countSince(plan.id, [kind], Date.now() - HOUR)) >= MAX_MANUAL_VERSIONS_PER_HOUR) {
      const what = kind === 'named' ? 'named versions' : 'restores'
      throw new ApiError(429, ErrorCode.RateLimited, `Too many ${what} of this plan in the last hour; try again later.`)
    }
  }

  private async find(plan: PlanRecord, versionId: string): Promise<VersionRecord> {
    const version = await this.deps.store.get(plan.id, versionId)
    if (!version) throw ApiError.notFound('No such version of this plan')
    return version
  }

  private async loadDoc(plan: PlanRecord, versionId: string): Promise<Y.Doc> {
    const doc = await this.deps.store.loadVersionDoc(plan.id, versionId)
    if (!doc) throw ApiError.notFound('No such version of this plan')
    return doc
  }

  private async summary(record: VersionRecord): Promise<VersionSummary> {
    return (await this.deps.store.summaries([record]))[0] as VersionSummary
  }

  private label(v: VersionRecord): string {
    return v.name ? `“${v.name}”` : `the version of ${dateLabel(v.createdAt)} UTC`
  }

  /** Who wrote with each client id of the document: the people looked up once, before comparing. */
  private async whoWrote(docName: string): Promise<(clientId: number) => VersionPerson | null> {
    const owners = await this.deps.clients.clientsOf(docName)
    const people = new Map<string, VersionPerson | null>()
    for (const userId of new Set(owners.values())) {
      if (!userId) continue
      const name = await this.deps.nameOf(userId)
      people.set(userId, name ? { id: userId, name } : null)
    }
    return (clientId) => {
      const userId = owners.get(clientId)
      return userId ? (people.get(userId) ?? null) : null
    }
  }
}
