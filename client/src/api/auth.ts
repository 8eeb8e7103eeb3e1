import { inviteInfoSchema, loginResponseSchema, meResponseSchema, type User } from '@lever/shared'
import { ApiRequestError, apiRequest, noContent } from './http.ts'

/** The signed-in person, or null when nobody is (401). */
export async function fetchMe(signal?: AbortSignal): Promise<User | null> {
  try {
    return (await apiRequest('/me', meResponseSchema, { signal })).user
  } catch (error) {
    if (error instanceof ApiRequestError && error.status === 401) return null
    throw error
  }
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
