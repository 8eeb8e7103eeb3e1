import { z } from 'zod'
import { planAccessSchema } from '../auth.ts'
import { leverIdSchema, sectionIdSchema } from '../plan/schemas.ts'

/** A cohort session as the API shows it. Its live state is the document `docName`. */
export const cohortSessionSchema = z.object({
  id: z.string(),
  title: z.string(),
  topic: z.string(),
  phase: z.enum(['phase1', 'phase2', 'other']),
  startsAt: z.string(),
  durationMinutes: z.number().int(),
  agenda: z.string(),
  prework: z.string(),
  /** What the session is about: plan sections (`section:<id>`) and levers (`lever:<id>`). */
  focus: z.array(z.string()),
  status: z.enum(['scheduled', 'live', 'ended']),
  breakoutsOpen: z.boolean(),
  docName: z.string(),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
})
export type CohortSession = z.infer<typeof cohortSessionSchema>

/**
 * A session is past once it has ended, or once its scheduled time is over without it being
 * started. Past sessions are read-only: they cannot be started, and their room and details do not
 * change (a session never held can still be rescheduled into the future).
 */
export function isSessionPast(
  session: Pick<CohortSession, 'status' | 'startsAt' | 'durationMinutes'>,
  now: number = Date.now(),
): boolean {
  if (session.status === 'ended') return true
  if (session.status === 'live') return false
  return new Date(session.startsAt).getTime() + session.durationMinutes * 60_000 < now
}

const focusSchema = z
  .array(z.string().regex(/^(section|lever):[A-Za-z0-9]{1,40}$/, 'Focus items are section:<id> or lever:<id>'))
  .max(20)

/** A session's editable fields, without defaults (a change names only what it changes). */
const sessionFieldShapes = {
  title: z.string().trim().min(1, 'A session needs a title').max(150),
  topic: z.string().trim().max(150),
  phase: z.enum(['phase1', 'phase2', 'other']),
  startsAt: z.iso.datetime({ offset: true, message: 'Use a date and time like 2026-12-09T15:00:00Z' }),
  durationMinutes: z.number().int().min(15).max(480),
  agenda: z.string().max(10_000),
  prework: z.string().max(10_000),
  focus: focusSchema,
}

export const sessionFieldsSchema = z.object({
  ...sessionFieldShapes,
  topic: sessionFieldShapes.topic.default(''),
  phase: sessionFieldShapes.phase.default('other'),
  durationMinutes: sessionFieldShapes.durationMinutes.default(90),
  agenda: sessionFieldShapes.agenda.default(''),
  prework: sessionFieldShapes.prework.default(''),
  focus: sessionFieldShapes.focus.default([]),
})
export const createSessionRequestSchema = sessionFieldsSchema.strict()
/** Only the fields given change: no defaults here, or a change of the title would clear the agenda. */
export const updateSessionRequestSchema = z.object(sessionFieldShapes).partial().strict()

export const sendToPlanRequestSchema = z
  .object({
    planId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
    target: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('section'), sectionId: sectionIdSchema }),
      z.object({ kind: z.literal('lever'), leverId: leverIdSchema }),
    ]),
    /** Idea cards to turn into initiatives. */
    cardIds: z.array(z.string().max(64)).max(100).default([]),
    /** Top-level blocks of the draft's prose to copy (by index). */
    blockIndexes: z.array(z.number().int().min(0).max(10_000)).max(500).default([]),
    /**
     * For cards already sent into this plan whose initiative is still there: `update` that
     * initiative (title, components, notes), or add a `new` one. Without it the server asks first
     * (409 `already_sent`, listing the cards).
     */
    resend: z.enum(['update', 'new']).optional(),
  })
  .strict()
  .refine((r) => r.cardIds.length + r.blockIndexes.length > 0, 'Choose something to send')
export type SendToPlanRequest = z.infer<typeof sendToPlanRequestSchema>

/** `details` of a 409 `already_sent`: the chosen cards that are already in the plan. */
export const alreadySentDetailsSchema = z.object({
  cards: z.array(z.object({ cardId: z.string(), title: z.string(), initiativeId: z.string(), at: z.string() })),
})
export type AlreadySentDetails = z.infer<typeof alreadySentDetailsSchema>

export const draftInfoSchema = z.object({
  id: z.string(),
  docName: z.string(),
  sessionId: z.string(),
  sessionTitle: z.string(),
  groupId: z.string(),
  groupName: z.string(),
  prompt: z.string(),
  access: planAccessSchema,
})
export type DraftInfo = z.infer<typeof draftInfoSchema>

export const transferSchema = z.object({
  id: z.string(),
  draftId: z.string(),
  groupName: z.string(),
  planId: z.string(),
  planTitle: z.string(),
  jurisdictionId: z.string(),
  userName: z.string(),
  kind: z.enum(['card', 'prose']),
  summary: z.string(),
  target: z.string(),
  createdAt: z.string(),
})
export type Transfer = z.infer<typeof transferSchema>

// ---- Responses ----

export const sessionListResponseSchema = z.object({ sessions: z.array(cohortSessionSchema) })

const personSchema = z.object({ id: z.string(), name: z.string(), jurisdictionId: z.string().nullable() })

export const sessionDetailResponseSchema = z.object({
  session: cohortSessionSchema,
  groups: z.array(
    z.object({
      id: z.string(),
      sessionId: z.string(),
      name: z.string(),
      prompt: z.string(),
      draftId: z.string(),
      removed: z.boolean(),
      members: z.array(personSchema),
    }),
  ),
  myGroupId: z.string().nullable(),
})
export type SessionDetail = z.infer<typeof sessionDetailResponseSchema>

export const attendeeSchema = personSchema.extend({ joinedAt: z.string(), groups: z.array(z.string()) })
export type Attendee = z.infer<typeof attendeeSchema>

export const attendanceResponseSchema = z.object({ attendance: z.array(attendeeSchema) })

export const followUpResponseSchema = z.object({
  session: cohortSessionSchema,
  attendance: z.array(attendeeSchema),
  jurisdictions: z.array(
    z.object({
      jurisdictionId: z.string(),
      name: z.string(),
      attended: z.number().int(),
      transfers: z.array(transferSchema),
    }),
  ),
})
export type FollowUp = z.infer<typeof followUpResponseSchema>

export const sendToPlanResponseSchema = z.object({
  initiativeIds: z.array(z.string()),
  blocks: z.number().int(),
  /** Which of `initiativeIds` were updated in place (cards sent before) rather than added. */
  updated: z.array(z.string()).default([]),
})
