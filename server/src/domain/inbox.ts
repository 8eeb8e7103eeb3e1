import { planAccess, threadAccess, type User } from '@lever/shared'
import type { PlanService } from './plans.ts'
import type { InboxItem, ThreadIndex } from './threadIndex.ts'

/**
 * A person's inbox: threads that mention them, or are open on plans they are responsible for
 * (their team's, their coaching assignments', every plan for facilitators), among the plans they
 * may see now. Newest activity first.
 */
export async function inboxFor(user: User, plans: PlanService, threads: ThreadIndex): Promise<InboxItem[]> {
  const visible = new Set<string>()
  const responsible = new Set<string>()
  const team = new Set<string>()
  for (const plan of await plans.listAll()) {
    if (!planAccess(user, plan)) continue
    visible.add(plan.id)
    if (threadAccess(user, plan, 'team')) team.add(plan.id)
    const mine =
      user.role === 'facilitator' ||
      (user.role === 'member' && plan.jurisdictionId === user.jurisdictionId) ||
      (user.role === 'coach' && user.coachOf.includes(plan.jurisdictionId))
    if (mine) responsible.add(plan.id)
  }
  return threads.inbox(user.id, responsible, visible, team)
}
