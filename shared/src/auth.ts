import { z } from 'zod'
import { AccessMode } from './protocol.ts'

/** Roles in the cohort. Everyone signed in is also a *peer*: they may read plans shared with the cohort. */
export const ROLES = [
  { id: 'facilitator', label: 'Facilitator', description: 'Runs the cohort: sessions, people, every plan.' },
  { id: 'coach', label: 'Coach', description: 'Reads and comments on the plans of assigned jurisdictions.' },
  { id: 'member', label: 'Team member', description: "Writes their own jurisdiction's plan." },
] as const
export const roleSchema = z.enum(['facilitator', 'coach', 'member'])
export type Role = z.infer<typeof roleSchema>

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, 'That email address is too long')
  .pipe(z.email('Enter a valid email address'))

/** A new password: at least 12 characters (the server also refuses the most common ones). */
export const passwordSchema = z.string().min(12, 'Use at least 12 characters').max(200, 'Use at most 200 characters')

export const personNameSchema = z.string().trim().min(1, 'A name is needed').max(100, 'Keep names under 100 characters')

export const userSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: roleSchema,
  /** The team a member belongs to (null for facilitators and coaches). */
  jurisdictionId: z.string().nullable(),
  /** Jurisdictions a coach is assigned to. */
  coachOf: z.array(z.string()),
  active: z.boolean(),
  /** Presence colour, derived from the id. */
  color: z.string(),
  /** True once the person has set a password. */
  hasPassword: z.boolean(),
})
export type User = z.infer<typeof userSchema>

export const loginRequestSchema = z.object({ email: emailSchema, password: z.string().min(1).max(200) }).strict()
/** A sign-in's answer: the token only for programs (a page's browser holds it in the session cookie). */
export const loginResponseSchema = z.object({ user: userSchema, token: z.string().optional() })
export const meResponseSchema = z.object({ user: userSchema })
/** `GET /api/auth/session`: the signed-in person, or null (never a 401). */
export const sessionResponseSchema = z.object({ user: userSchema.nullable() })

export const acceptInviteRequestSchema = z
  .object({ password: passwordSchema, name: personNameSchema.optional() })
  .strict()
/** Changing one's own password (`POST /api/auth/password`): other sessions end. */
export const changePasswordRequestSchema = z
  .object({ currentPassword: z.string().min(1, 'Enter your current password').max(200), newPassword: passwordSchema })
  .strict()
export const inviteInfoSchema = z.object({ email: z.string(), name: z.string() })

export const createUserRequestSchema = z
  .object({
    email: emailSchema,
    name: personNameSchema,
    role: roleSchema,
    jurisdictionId: z.string().nullable().optional(),
  })
  .strict()

export const updateUserRequestSchema = z
  .object({
    name: personNameSchema.optional(),
    role: roleSchema.optional(),
    jurisdictionId: z.string().nullable().optional(),
    active: z.boolean().optional(),
  })
  .strict()

export const coachAssignmentsRequestSchema = z.object({ jurisdictionIds: z.array(z.string()).max(100) }).strict()

export const userWithInviteSchema = z.object({ user: userSchema, inviteUrl: z.string().nullable() })
export const userResponseSchema = z.object({ user: userSchema })
export const userListResponseSchema = z.object({ users: z.array(userSchema) })
export const inviteUrlResponseSchema = z.object({ inviteUrl: z.string() })

/** What a person may do with a plan, as the API reports it. */
export const planAccessSchema = z.enum([AccessMode.ReadWrite, AccessMode.CommentOnly, AccessMode.ReadOnly])

/** The session cookie's name. */
export const SESSION_COOKIE = 'lever_session'
