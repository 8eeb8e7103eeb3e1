import type { User } from './auth.ts'
import { AccessMode } from './protocol.ts'

export interface PlanRef {
  jurisdictionId: string
  sharedWithCohort: boolean
}

/**
 * What a person may do with a plan:
 * - facilitators: everything;
 * - team members: edit their own jurisdiction's plans;
 * - coaches: comment on the plans of the jurisdictions assigned to them;
 * - everyone (as a peer): read plans their team shared with the cohort.
 */
export function planAccess(user: User, plan: PlanRef): AccessMode | null {
  if (!user.active) return null
  if (user.role === 'facilitator') return AccessMode.ReadWrite
  if (user.role === 'member' && user.jurisdictionId === plan.jurisdictionId) return AccessMode.ReadWrite
  if (user.role === 'coach' && user.coachOf.includes(plan.jurisdictionId)) return AccessMode.CommentOnly
  if (plan.sharedWithCohort) return AccessMode.ReadOnly
  return null
}

export function canCreatePlan(user: User, jurisdictionId: string): boolean {
  return (
    user.active && (user.role === 'facilitator' || (user.role === 'member' && user.jurisdictionId === jurisdictionId))
  )
}

export function canManagePeople(user: User): boolean {
  return user.active && user.role === 'facilitator'
}
