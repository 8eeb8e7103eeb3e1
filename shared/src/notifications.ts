import { z } from 'zod'

/** Which emails a person wants: mentions, replies to their threads, the daily digest. */
export const notificationSettingsSchema = z
  .object({ mentions: z.boolean(), replies: z.boolean(), digest: z.boolean() })
  .strict()
export type NotificationSettings = z.infer<typeof notificationSettingsSchema>

/** `GET`/`PUT /api/notifications/settings`: the settings, and whether this server sends email at all. */
export const notificationSettingsResponseSchema = z.object({
  settings: notificationSettingsSchema,
  emailEnabled: z.boolean(),
})
