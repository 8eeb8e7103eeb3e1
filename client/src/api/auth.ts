import { inviteInfoSchema, loginResponseSchema, sessionResponseSchema, type User } from '@lever/shared'
import { apiRequest, noContent } from './http.ts'

/**
 * The signed-in person, or null when nobody is. Asks `/api/auth/session`, which answers 200 either
 * way, so the sign-in page shows no failed request in the console.
 */
export async function fetchMe(signal?: AbortSignal): Promise<User | null> {
  return (await apiRequest('/auth/session', sessionResponseSchema, { signal })).user
}

export async function login(email: string, password: string): Promise<User> {
  return (await apiRequest('/auth/login', loginResponseSchema, { method: 'POST', body: { email, password } })).user
}

export async function logout(): Promise<void> {
  await apiRequest('/auth/logout', noContent, { method: 'POST' })
}

/** Ends every session of the signed-in person, on every device; their open plans disconnect. */
export async function logoutEverywhere(): Promise<void> {
  await apiRequest('/auth/logout-everywhere', noContent, { method: 'POST' })
}

/** Changes the signed-in person's password; their other sessions end. */
export async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  await apiRequest('/auth/password', noContent, { method: 'POST', body: { currentPassword, newPassword } })
}

export async function inviteInfo(token: string, signal?: AbortSignal): Promise<{ email: string; name: string }> {
  return apiRequest(`/auth/invites/${encodeURIComponent(token)}`, inviteInfoSchema, { signal })
}

export async function acceptInvite(token: string, password: string, name?: string): Promise<User> {
  return (
    await apiRequest(`/auth/invites/${encodeURIComponent(token)}`, loginResponseSchema, {
      method: 'POST',
      body: name ? { password, name } : { password },
    })
  ).user
}
