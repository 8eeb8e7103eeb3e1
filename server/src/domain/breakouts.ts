import { newId, SessionModel, type Transfer } from '@lever/shared'
import type * as Y from 'yjs'
import type { Db } from '../db/queries.ts'

export interface GroupRecord {
  id: string
  sessionId: string
  name: string
  prompt: string
  draftId: string
  removed: boolean
  members: string[]
}

/** A breakout group as the session document has it, read at one moment. */
export interface GroupState {
  id: string
  name: string
  prompt: string
  draftId: string
  members: string[]
}

/** What decides whether a person may edit a draft, read in one query. */
export interface DraftAccessFacts {
  sessionId: string
  removed: boolean
  /** The person is currently in the draft's group. */
  member: boolean
  sessionStatus: string
  breakoutsOpen: boolean
}

/** One transfer of a send: a card into a lever, or prose into a section. */
export type TransferItem = Pick<Transfer, 'kind' | 'summary' | 'target'>

/** Who sent what from which draft into which plan (shared by the transfers of one send). */
export type TransferSource = Pick<Transfer, 'draftId' | 'planId' | 'jurisdictionId' | 'userName'> & {
  sessionId: string
  groupId: string
  userId: string
}

/** Parameters per statement, under SQLite's limit of 999. */
const PARAMETERS = 800

/** `items` in parts of at most `PARAMETERS / each` (`each`: parameters per item). */
function chunks<T>(items: readonly T[], each = 1): T[][] {
  const size = Math.floor(PARAMETERS / each)
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

/** Text order by code unit, the same in every engine and locale. */
function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** The groups of a session document, with the ids a group needs (a draft) and members as lists. */
export function groupStates(doc: Y.Doc): GroupState[] {
  return new SessionModel(doc).groups
    .list()
    .filter((g) => g.id && g.draftId)
    .map((g) => ({ id: g.id, name: g.name, prompt: g.prompt, draftId: g.draftId, members: [...new Set(g.members)] }))
}

/**
 * Breakout groups as the server knows them: mirrored from the session document (which the
 * facilitator edits) into the database, because group membership is the permission to edit a draft.
 */
export class BreakoutService {
  constructor(private readonly db: Db) {}

  /** Copies the groups of a session document into the database (see `mirrorGroups`). */
  mirror(sessionId: string, doc: Y.Doc): Promise<string[]> {
    return this.mirrorGroups(sessionId, groupStates(doc))
  }

  /**
   * Makes the session's groups in the database those of `groups` (the document's, in its order),
   * in one transaction: groups gone from the document are marked removed, new ones added, names and
   * prompts updated, and each person is a current member of one group of the session only (the
   * first that lists them, as the document shows it). A group whose id or draft belongs to another
   * session is ignored. Returns the draft ids whose access changed.
   *
   * Rows are written in one order (groups by id, then members by group and person), the same on
   * every server, so two servers mirroring one session at once wait for each other on PostgreSQL
   * instead of deadlocking.
   */
  mirrorGroups(sessionId: string, groups: readonly GroupState[]): Promise<string[]> {
    const now = new Date().toISOString()
    return this.db.transaction().execute(async (tx) => {
      const touched = new Set<string>()
      const known = await tx
        .selectFrom('breakout_groups')
        .select(['id', 'draft_id', 'name', 'prompt', 'removed'])
        .where('session_id', '=', sessionId)
        .execute()
      const knownById = new Map(known.map((g) => [g.id, g]))
      const inDoc = new Set(groups.map((g) => g.id))

      // Ids and drafts of new groups that another session already has.
      const fresh = groups.filter((g) => !knownById.has(g.id))
      const taken = new Set<string>()
      for (const part of chunks(fresh, 2)) {
        const rows = await tx
          .selectFrom('breakout_groups')
          .select(['id', 'draft_id'])
          .where((eb) =>
            eb.or([
              eb(
                'id',
                'in',
                part.map((g) => g.id),
              ),
              eb(
                'draft_id',
                'in',
                part.map((g) => g.draftId),
              ),
            ]),
          )
          .execute()
        for (const r of rows) taken.add(`id:${r.id}`).add(`draft:${r.draft_id}`)
      }
      // Which groups to keep, in the document's order (the first of two with one draft wins).
      const candidates: GroupState[] = []
      const drafts = new Set<string>()
      for (const g of groups) {
        const existing = knownById.get(g.id)
        if (existing) {
          candidates.push({ ...g, draftId: existing.draft_id })
          continue
        }
        if (taken.has(`id:${g.id}`) || taken.has(`draft:${g.draftId}`) || drafts.has(g.draftId)) continue
        drafts.add(g.draftId)
        candidates.push(g)
      }
      const candidateById = new Map(candidates.map((g) => [g.id, g]))
      const gone = known.filter((g) => g.removed === 0 && !inDoc.has(g.id))

      // The groups' rows, by id.
      const kept = new Set<string>()
      const foreign = new Set<string>()
      const groupIds = [...new Set([...candidateById.keys(), ...gone.map((g) => g.id)])].sort(byText)
      /** Writes the document's name and prompt into a group's row and marks it current, if it differs. */
      const makeCurrent = async (
        id: string,
        g: GroupState,
        row: { name: string; prompt: string; removed: number },
      ): Promise<void> => {
        if (row.name === g.name && row.prompt === g.prompt && row.removed === 0) return
        await tx
          .updateTable('breakout_groups')
          .set({ name: g.name, prompt: g.prompt, removed: 0 })
          .where('id', '=', id)
          .execute()
      }
      for (const id of groupIds) {
        const g = candidateById.get(id)
        const existing = knownById.get(id)
        if (!g) {
          await tx.updateTable('breakout_groups').set({ removed: 1 }).where('id', '=', id).execute()
          if (existing) touched.add(existing.draft_id)
        } else if (existing) {
          await makeCurrent(id, g, existing)
          if (existing.removed !== 0) touched.add(existing.draft_id)
          kept.add(id)
        } else {
          const inserted = await tx
            .insertInto('breakout_groups')
            .values({ id, session_id: sessionId, name: g.name, prompt: g.prompt, draft_id: g.draftId })
            .onConflict((oc) => oc.doNothing())
            .executeTakeFirst()
          if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) {
            // Someone inserted this id just now. On PostgreSQL the insert waited for their commit, so
            // the row is visible: if it is this session's group with this draft (another server
            // mirroring the same document), it is ours to keep; otherwise it is another session's
            // and neither it nor its members are touched.
            const row = await tx
              .selectFrom('breakout_groups')
              .select(['session_id', 'draft_id', 'name', 'prompt', 'removed'])
              .where('id', '=', id)
              .executeTakeFirst()
            if (row?.session_id !== sessionId || row.draft_id !== g.draftId) {
              foreign.add(id)
              continue
            }
            // This document has the group: it is current, whatever the other server wrote since.
            await makeCurrent(id, g, row)
          }
          touched.add(g.draftId)
          kept.add(id)
        }
      }
      const accepted = candidates.filter((g) => kept.has(g.id))
      const ownIds = groupIds.filter((id) => !foreign.has(id))

      // One current group per person in the session: the first group that lists them.
      const wanted = new Map<string, Set<string>>(accepted.map((g) => [g.id, new Set<string>()]))
      const placed = new Set<string>()
      for (const g of accepted) {
        for (const userId of g.members) {
          if (placed.has(userId)) continue
          placed.add(userId)
          wanted.get(g.id)?.add(userId)
        }
      }
      const current = new Map<string, Set<string>>()
      for (const part of chunks(ownIds)) {
        const rows = await tx
          .selectFrom('breakout_members')
          .select(['group_id', 'user_id'])
          .where('group_id', 'in', part)
          .where('current', '=', 1)
          .execute()
        for (const r of rows) current.set(r.group_id, (current.get(r.group_id) ?? new Set<string>()).add(r.user_id))
      }

      // The members' rows, by group and person, in as few statements as fit: each row says
      // whether the person is current there now (rows of people leaving exist already).
      const changes: Array<{ group_id: string; user_id: string; added_at: string; current: number }> = []
      for (const id of ownIds) {
        const want = wanted.get(id) ?? new Set<string>()
        const have = current.get(id) ?? new Set<string>()
        const people = [...new Set([...want, ...have])].filter((u) => want.has(u) !== have.has(u)).sort(byText)
        for (const userId of people) {
          changes.push({ group_id: id, user_id: userId, added_at: now, current: want.has(userId) ? 1 : 0 })
        }
        const draftId = candidateById.get(id)?.draftId ?? knownById.get(id)?.draft_id
        if (people.length > 0 && draftId) touched.add(draftId)
      }
      for (const part of chunks(changes, 4)) {
        await tx
          .insertInto('breakout_members')
          .values(part)
          .onConflict((oc) =>
            oc.columns(['group_id', 'user_id']).doUpdateSet((eb) => ({ current: eb.ref('excluded.current') })),
          )
          .execute()
      }
      return [...touched]
    })
  }

  async groups(sessionId: string, includeRemoved = false): Promise<GroupRecord[]> {
    let query = this.db.selectFrom('breakout_groups').selectAll().where('session_id', '=', sessionId)
    if (!includeRemoved) query = query.where('removed', '=', 0)
    // Sorted here: the engines' collations order names differently.
    const rows = (await query.execute()).sort((a, b) => byText(a.name, b.name) || byText(a.id, b.id))
    if (rows.length === 0) return []
    const members = new Map<string, string[]>()
    for (const part of chunks(rows.map((r) => r.id))) {
      const found = await this.db
        .selectFrom('breakout_members')
        .select(['group_id', 'user_id'])
        .where('group_id', 'in', part)
        .where('current', '=', 1)
        .execute()
      for (const m of found) members.set(m.group_id, [...(members.get(m.group_id) ?? []), m.user_id])
    }
    for (const list of members.values()) list.sort(byText)
    return rows.map((r) => ({
      id: r.id,
      sessionId: r.session_id,
      name: r.name,
      prompt: r.prompt,
      draftId: r.draft_id,
      removed: r.removed === 1,
      members: members.get(r.id) ?? [],
    }))
  }

  async groupByDraft(draftId: string): Promise<GroupRecord | null> {
    const row = await this.db
      .selectFrom('breakout_groups')
      .selectAll()
      .where('draft_id', '=', draftId)
      .executeTakeFirst()
    if (!row) return null
    const members = await this.db
      .selectFrom('breakout_members')
      .select('user_id')
      .where('group_id', '=', row.id)
      .where('current', '=', 1)
      .execute()
    return {
      id: row.id,
      sessionId: row.session_id,
      name: row.name,
      prompt: row.prompt,
      draftId: row.draft_id,
      removed: row.removed === 1,
      members: members.map((m) => m.user_id).sort(byText),
    }
  }

  /** Whether a draft exists (one query, for each connection to it). */
  async draftExists(draftId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('breakout_groups')
      .select('id')
      .where('draft_id', '=', draftId)
      .executeTakeFirst()
    return row !== undefined
  }

  /** The facts that decide a person's access to a draft, in one query (null: no such draft). */
  async draftAccessFacts(draftId: string, userId: string): Promise<DraftAccessFacts | null> {
    const row = await this.db
      .selectFrom('breakout_groups as g')
      .innerJoin('cohort_sessions as s', 's.id', 'g.session_id')
      .leftJoin('breakout_members as m', (join) =>
        join.onRef('m.group_id', '=', 'g.id').on('m.user_id', '=', userId).on('m.current', '=', 1),
      )
      .select(['g.session_id', 'g.removed', 'm.user_id', 's.status', 's.breakouts_open'])
      .where('g.draft_id', '=', draftId)
      .executeTakeFirst()
    if (!row) return null
    return {
      sessionId: row.session_id,
      removed: row.removed === 1,
      member: row.user_id !== null,
      sessionStatus: row.status,
      breakoutsOpen: row.breakouts_open === 1,
    }
  }

  /** Everyone ever placed in a group of the session, with the group (attendance per group). */
  async memberships(
    sessionId: string,
  ): Promise<Array<{ userId: string; groupId: string; groupName: string; current: boolean }>> {
    const rows = await this.db
      .selectFrom('breakout_members as m')
      .innerJoin('breakout_groups as g', 'g.id', 'm.group_id')
      .select(['m.user_id', 'g.id as group_id', 'g.name', 'm.current'])
      .where('g.session_id', '=', sessionId)
      .execute()
    rows.sort((a, b) => byText(a.name, b.name) || byText(a.group_id, b.group_id) || byText(a.user_id, b.user_id))
    return rows.map((r) => ({ userId: r.user_id, groupId: r.group_id, groupName: r.name, current: r.current === 1 }))
  }

  /**
   * Records the transfers of one send in one transaction (all recorded, or none). Their ids share
   * a prefix and end in their position, so they list in the order they were sent.
   */
  async recordTransfers(source: TransferSource, items: readonly TransferItem[]): Promise<void> {
    if (items.length === 0) return
    const now = new Date().toISOString()
    const send = newId()
    const rows = items.map((t, i) => ({ ...t, id: `${send}-${String(i).padStart(4, '0')}` }))
    await this.db.transaction().execute(async (tx) => {
      for (const part of chunks(rows, 12)) {
        await tx
          .insertInto('draft_transfers')
          .values(
            part.map((t) => ({
              id: t.id,
              draft_id: source.draftId,
              session_id: source.sessionId,
              group_id: source.groupId,
              plan_id: source.planId,
              jurisdiction_id: source.jurisdictionId,
              user_id: source.userId,
              user_name: source.userName,
              kind: t.kind,
              summary: t.summary,
              target: t.target,
              created_at: now,
            })),
          )
          .execute()
      }
    })
  }

  async transfers(sessionId: string): Promise<Transfer[]> {
    const rows = await this.db
      .selectFrom('draft_transfers as t')
      .innerJoin('plans as p', 'p.id', 't.plan_id')
      .innerJoin('breakout_groups as g', 'g.id', 't.group_id')
      .selectAll('t')
      .select(['p.title as plan_title', 'g.name as group_name'])
      .where('t.session_id', '=', sessionId)
      .orderBy('t.jurisdiction_id')
      .orderBy('t.created_at')
      .orderBy('t.id')
      .execute()
    return rows.map((r) => ({
      id: r.id,
      draftId: r.draft_id,
      groupName: r.group_name,
      planId: r.plan_id,
      planTitle: r.plan_title,
      jurisdictionId: r.jurisdiction_id,
      userName: r.user_name,
      kind: r.kind as 'card' | 'prose',
      summary: r.summary,
      target: r.target,
      createdAt: r.created_at,
    }))
  }
}
