import { z } from 'zod'
import { componentIdSchema, isoDateSchema, leverIdSchema } from './plan/schemas.ts'

/**
 * The coaching log: one-on-one sessions a coach gives a jurisdiction's team, counted against the
 * team's allowance for the cohort phase (four hours in phase 1 unless facilitators change it).
 */
export const COACHING_PHASES = [
  { id: 'phase1', label: 'Phase 1' },
  { id: 'phase2', label: 'Phase 2' },
] as const
export const coachingPhaseSchema = z.enum(['phase1', 'phase2'])
export type CoachingPhase = z.infer<typeof coachingPhaseSchema>

/** The default allowance per team and phase, in minutes. */
export const DEFAULT_ALLOWANCE_MINUTES = 240
/** At and past this share of the allowance a team is running low. */
export const RUNNING_LOW_SHARE = 0.75

export const coachingSessionIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Not a coaching session id')

const followUpSchema = z
  .string()
  .trim()
  .min(1, 'A follow-up needs some text')
  .max(500, 'Keep follow-ups under 500 characters')

const sessionFields = {
  jurisdictionId: z.string().min(1).max(64),
  date: isoDateSchema,
  minutes: z
    .number({ message: 'Minutes must be a number' })
    .int('Use whole minutes')
    .min(5, 'A session lasts at least 5 minutes')
    .max(480, 'A session lasts at most 8 hours'),
  phase: coachingPhaseSchema,
  topics: z
    .object({
      levers: z.array(leverIdSchema).max(20),
      components: z.array(componentIdSchema).max(8),
    })
    .strict(),
  notes: z.string().max(10_000, 'Keep notes under 10,000 characters'),
  followUps: z.array(followUpSchema).max(20, 'At most 20 follow-ups'),
}

/** `POST /api/coaching/sessions`: the phase defaults to the current one. */
export const coachingSessionInputSchema = z
  .object({
    ...sessionFields,
    phase: sessionFields.phase.optional(),
    topics: sessionFields.topics.default({ levers: [], components: [] }),
    notes: sessionFields.notes.default(''),
    followUps: sessionFields.followUps.default([]),
  })
  .strict()
export type CoachingSessionInput = z.input<typeof coachingSessionInputSchema>

/** `PATCH /api/coaching/sessions/:id`: only the fields sent change. */
export const coachingSessionPatchSchema = z.object(sessionFields).partial().strict()

export const coachingSessionSchema = z.object({
  id: z.string(),
  jurisdictionId: z.string(),
  coachId: z.string(),
  coachName: z.string(),
  date: z.string(),
  minutes: z.number().int(),
  phase: coachingPhaseSchema,
  topics: z.object({ levers: z.array(z.string()), components: z.array(z.string()) }),
  /** Null when the caller may not read them (another coach's session). */
  notes: z.string().nullable(),
  followUps: z.array(z.string()).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
})
export type CoachingSession = z.infer<typeof coachingSessionSchema>
export const coachingSessionListSchema = z.object({ sessions: z.array(coachingSessionSchema) })

export const coachingSummarySchema = z.object({
  phase: coachingPhaseSchema,
  jurisdictions: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      allowanceMinutes: z.number().int(),
      usedMinutes: z.number().int(),
      sessions: z.number().int(),
      lastSessionOn: z.string().nullable(),
    }),
  ),
})
export type CoachingSummary = z.infer<typeof coachingSummarySchema>

export const coachingAllowancesSchema = z.object({
  currentPhase: coachingPhaseSchema,
  phases: z.array(z.object({ phase: coachingPhaseSchema, allowanceMinutes: z.number().int() })),
})
export type CoachingAllowances = z.infer<typeof coachingAllowancesSchema>

export const updateAllowancesRequestSchema = z
  .object({
    currentPhase: coachingPhaseSchema.optional(),
    phases: z
      .array(
        z
          .object({
            phase: coachingPhaseSchema,
            allowanceMinutes: z
              .number()
              .int()
              .min(0)
              .max(100 * 60, 'At most 100 hours'),
          })
          .strict(),
      )
      .max(2)
      .optional(),
  })
  .strict()

/** How much of its allowance a team has used: unused, fine, running low, or all of it. */
export function allowanceState(used: number, allowance: number): 'unused' | 'ok' | 'low' | 'over' {
  if (used === 0) return 'unused'
  if (allowance > 0 && used >= allowance) return 'over'
  if (allowance <= 0 || used >= allowance * RUNNING_LOW_SHARE) return 'low'
  return 'ok'
}
