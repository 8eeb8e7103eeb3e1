import { type Role, type User, userSchema, userWithInviteSchema } from '@lever/shared'
import { apiRequest, type ResponseSchema } from './http.ts'

/** Facilitators' calls to manage people (`/api/users`). */

const usersSchema: ResponseSchema<User[]> = {
  safeParse(value) {
    const list = (value as { users?: unknown } | null)?.users
    if (!Array.isArray(list)) return { success: false }
    const users: User[] = []
    for (const item of list) {
      const parsed = userSchema.safeParse(item)
      if (!parsed.success) return { success: false }
      users.push(parsed.data)
    }
    return { success: true, data: users }
  },
}

const oneUser: ResponseSchema<User> = {
  safeParse(value) {
    const parsed = userSchema.safeParse((value as { user?: unknown } | null)?.user)
    return parsed.success ? { success: true, data: parsed.data } : { success: false }
  },
}

const inviteSchema: ResponseSchema<string> = {
  safeParse(value) {
    const url = (value as { inviteUrl?: unknown } | null)?.inviteUrl
    return typeof url === 'string' ? { success: true, data: url } : { success: false }
  },
}

export async function listUsers(signal?: AbortSignal): Promise<User[]> {
  return apiRequest('/users', usersSchema, { signal })
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
  return apiRequest(`/users/${encodeURIComponent(id)}`, oneUser, { method: 'PATCH', body: patch })
}

export async function setCoachAssignments(id: string, jurisdictionIds: string[]): Promise<User> {
  return apiRequest(`/users/${encodeURIComponent(id)}/coach-assignments`, oneUser, {
    method: 'PUT',
    body: { jurisdictionIds },
  })
}

/** A new one-time link for someone (their earlier links stop working). */
export async function reissueInvite(id: string): Promise<string> {
  return apiRequest(`/users/${encodeURIComponent(id)}/invites`, inviteSchema, { method: 'POST' })
}
