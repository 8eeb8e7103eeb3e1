import { z } from 'zod'
import type { User } from '../auth.ts'
import { type PlanRef, planAccess } from '../permissions.ts'
import { AccessMode, DocKind, docNameFor } from '../protocol.ts'

/**
 * Who may read a comment thread. A plan's threads live in two documents beside the plan, one per
 * visibility, because a Y.Doc cannot be filtered per reader: the server sends a document whole
 * or not at all.
 *
 * - `team`: the plan's team, its coaches and facilitators (the default: coaching feedback stays
 *   with the team);
 * - `all`: everyone who may read the plan (its peers, once the team shares it with the cohort).
 */
export const THREAD_VISIBILITIES = ['team', 'all'] as const
export type ThreadVisibility = (typeof THREAD_VISIBILITIES)[number]
export const threadVisibilitySchema = z.enum(THREAD_VISIBILITIES)
export const DEFAULT_THREAD_VISIBILITY: ThreadVisibility = 'team'

export const THREAD_VISIBILITY_LABELS: Record<ThreadVisibility, string> = {
  team: 'Team and coaches',
  all: 'Everyone who can read the plan',
}

const KIND_OF: Record<ThreadVisibility, DocKind> = {
  team: DocKind.PlanThreadsTeam,
  all: DocKind.PlanThreadsAll,
}

/** The document holding a plan's threads of one visibility. */
export function threadDocName(planId: string, visibility: ThreadVisibility): string {
  return docNameFor(KIND_OF[visibility], planId)
}

/** The visibility of a thread document kind, or null for other kinds. */
export function visibilityOfKind(kind: string): ThreadVisibility | null {
  if (kind === DocKind.PlanThreadsTeam) return 'team'
  if (kind === DocKind.PlanThreadsAll) return 'all'
  return null
}

/**
 * What a person may do with a plan's threads of one visibility: those who may comment on the plan
 * (its team, its coaches, facilitators) read and write both; those who only read the plan read the
 * threads for everyone and never see the team's; others nothing. Writes stay under the threads'
 * authorship rules whatever the mode.
 */
export function threadAccess(user: User, plan: PlanRef, visibility: ThreadVisibility): AccessMode | null {
  const mode = planAccess(user, plan)
  if (mode === AccessMode.ReadWrite || mode === AccessMode.CommentOnly) return AccessMode.ReadWrite
  if (mode === AccessMode.ReadOnly && visibility === 'all') return AccessMode.ReadOnly
  return null
}

/** The visibilities of threads a person may read on a plan. */
export function readableVisibilities(user: User, plan: PlanRef): ThreadVisibility[] {
  return THREAD_VISIBILITIES.filter((v) => threadAccess(user, plan, v) !== null)
}
