import { type NotificationSettings, notificationSettingsResponseSchema } from '@lever/shared'
import { apiRequest, type Parsed } from './http.ts'

export type NotificationSettingsResponse = Parsed<typeof notificationSettingsResponseSchema>

/** The signed-in person's email settings, and whether this Lever sends email at all. */
export function fetchNotificationSettings(signal?: AbortSignal): Promise<NotificationSettingsResponse> {
  return apiRequest('/notifications/settings', notificationSettingsResponseSchema, { signal })
}

export function saveNotificationSettings(settings: NotificationSettings): Promise<NotificationSettingsResponse> {
  return apiRequest('/notifications/settings', notificationSettingsResponseSchema, { method: 'PUT', body: settings })
}

const unsubscribedSchema = {
  safeParse: (value: unknown) =>
    (value as { unsubscribed?: unknown } | null)?.unsubscribed === true
      ? ({ success: true, data: true } as const)
      : ({ success: false } as const),
}

/** Turns every email off for the owner of an unsubscribe link (no sign-in needed). */
export async function unsubscribe(token: string): Promise<void> {
  await apiRequest(`/notifications/unsubscribe/${encodeURIComponent(token)}`, unsubscribedSchema, { method: 'POST' })
}
