import {
  type HomeResponse,
  localToday,
  type NeedItem,
  PlanModel,
  type PlanSummary,
  planAccess,
  threadAccess,
  type User,
} from '@lever/shared'
import type { UserService } from '../auth/users.ts'
import type { RoomManager } from '../collab/RoomManager.ts'
import type { JurisdictionService } from './jurisdictions.ts'
import type { PlanService } from './plans.ts'
import type { ThreadIndex } from './threadIndex.ts'

export interface HomeDeps {
  plans: PlanService
  jurisdictions: JurisdictionService
  threads: ThreadIndex
  rooms: RoomManager
  users: UserService
}

/** How far ahead "milestones due" looks. */
export const MILESTONE_HORIZON_DAYS = 14

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)
}

/**
 * What a person lands on: their jurisdictions and plans (a member's own, a coach's assigned ones)
 * and what needs them: open threads that mention them, threads on their plans waiting for their
 * answer (for a team, someone outside it spoke last; for a coach, anyone else), and, for team members, milestones overdue or due within two
 * weeks. Only plans the person may open are read.
 */
export async function homeFor(deps: HomeDeps, user: User, today: string = localToday()): Promise<HomeResponse> {
  const role = user.role === 'facilitator' ? 'facilitator' : user.role === 'coach' ? 'coach' : 'member'
  const jurisdictionIds =
    role === 'member' ? (user.jurisdictionId ? [user.jurisdictionId] : []) : role === 'coach' ? user.coachOf : []
  const visibleCounts = new Map<string, number>()
  const visible = new Set<string>()
  const team = new Set<string>()
  const plans: PlanSummary[] = []
  for (const plan of await deps.plans.listAll()) {
    const access = planAccess(user, plan)
    if (!access) continue
    visible.add(plan.id)
    if (threadAccess(user, plan, 'team')) team.add(plan.id)
    visibleCounts.set(plan.jurisdictionId, (visibleCounts.get(plan.jurisdictionId) ?? 0) + 1)
    if (jurisdictionIds.includes(plan.jurisdictionId)) plans.push({ ...plan, access })
  }
  const jurisdictions = (await Promise.all(jurisdictionIds.map((id) => deps.jurisdictions.get(id)))).flatMap((j) =>
    j ? [{ ...j, planCount: visibleCounts.get(j.id) ?? 0 }] : [],
  )
  const mine = new Set(plans.map((p) => p.id))
  const titles = new Map(plans.map((p) => [p.id, p.title]))

  // A thread waits for a team member when someone outside the team spoke last (a coach, a
  // facilitator); for a coach, when anyone but them spoke last.
  const waitsFor = async (lastBy: string) => {
    if (lastBy === user.id) return false
    if (role !== 'member') return true
    return (await deps.users.get(lastBy))?.jurisdictionId !== user.jurisdictionId
  }
  const mentions: NeedItem[] = []
  const replies: NeedItem[] = []
  for (const t of await deps.threads.inbox(user.id, mine, visible, team)) {
    if (t.status !== 'open') continue
    const base = {
      planId: t.planId,
      planTitle: t.planTitle,
      threadId: t.threadId,
      about: t.anchorLabel,
      by: t.lastCommentByName,
      excerpt: t.excerpt,
      at: t.lastCommentAt,
      unread: t.unread,
    }
    if (t.mentionsMe) mentions.push({ kind: 'mention', ...base })
    else if (mine.has(t.planId) && (await waitsFor(t.lastCommentBy))) replies.push({ kind: 'reply', ...base })
  }

  const overdue: NeedItem[] = []
  const soon: NeedItem[] = []
  if (role === 'member') {
    const horizon = addDays(today, MILESTONE_HORIZON_DAYS)
    for (const plan of plans) {
      const snapshot = await deps.rooms.withRoom(plan.docName, (room) => new PlanModel(room.doc).snapshot())
      for (const i of snapshot.initiatives) {
        for (const m of i.milestones) {
          if (m.done || m.dueDate === null || m.dueDate > horizon) continue
          const item: NeedItem = {
            kind: 'milestone',
            planId: plan.id,
            planTitle: titles.get(plan.id) ?? snapshot.title,
            initiativeId: i.id,
            initiativeTitle: i.title.trim() || 'Untitled initiative',
            milestoneId: m.id,
            title: m.title.trim() || 'Untitled milestone',
            dueDate: m.dueDate,
            overdue: m.dueDate < today,
          }
          ;(item.overdue ? overdue : soon).push(item)
        }
      }
    }
  }
  const byDate = (a: NeedItem, b: NeedItem) =>
    a.kind === 'milestone' && b.kind === 'milestone' ? a.dueDate.localeCompare(b.dueDate) : 0
  return {
    role,
    jurisdictions,
    plans,
    needs: [...overdue.sort(byDate), ...mentions, ...replies, ...soon.sort(byDate)],
    horizonDays: MILESTONE_HORIZON_DAYS,
  }
}
