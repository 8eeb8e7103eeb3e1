import { meResponseSchema, type Role, type User, userSchema, userWithInviteSchema } from '@lever/shared'
import { ApiRequestError, apiRequest } from './http.ts'

/** Facilitators' calls to manage people (`/api/users`). */

// `{ user }`, `{ users }` and `{ inviteUrl }`, composed from the shared schemas until shared names them.
const userResponseSchema = meResponseSchema
const userListResponseSchema = meResponseSchema.omit({ user: true }).extend({ users: userSchema.array() })
const inviteResponseSchema = userWithInviteSchema.pick({ inviteUrl: true })

/** Everyone in the cohort, active or not. */
export async function listUsers(signal?: AbortSignal): Promise<User[]> {
  return (await apiRequest('/users', userListResponseSchema, { signal })).users
}

export interface NewPerson {
  email: string
  name: string
  role: Role
  jurisdictionId?: string | null
}

/** Creates the account and a one-time link for the person to set their password. */
export async function createUser(person: NewPerson): Promise<{ user: User; inviteUrl: string | null }> {
  return apiRequest('/users', userWithInviteSchema, { method: 'POST', body: person })
}

export async function updateUser(
  id: string,
  patch: { name?: string; role?: Role; jurisdictionId?: string | null; active?: boolean },
): Promise<User> {
  return (await apiRequest(`/users/${encodeURIComponent(id)}`, userResponseSchema, { method: 'PATCH', body: patch }))
    .user
}

export async function setCoachAssignments(id: string, jurisdictionIds: string[]): Promise<User> {
  return (
    await apiRequest(`/users/${encodeURIComponent(id)}/coach-assignments`, userResponseSchema, {
      method: 'PUT',
      body: { jurisdictionIds },
    })
  ).user
}

/** A new one-time link for someone (their earlier links stop working). */
export async function reissueInvite(id: string): Promise<string> {
  const { inviteUrl } = await apiRequest(`/users/${encodeURIComponent(id)}/invites`, inviteResponseSchema, {
    method: 'POST',
  })
  if (inviteUrl === null)
    throw new ApiRequestError(201, 'bad_response', 'The server sent an answer this page does not understand.')
  return inviteUrl
}
