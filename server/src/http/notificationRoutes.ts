import { notificationSettingsSchema } from '@lever/shared'
import { Hono } from 'hono'
import { streamSSE } from 'hono/streaming'
import { z } from 'zod'
import type { InboxEvents } from '../notify/InboxEvents.ts'
import type { NotificationPrefs } from '../notify/NotificationPrefs.ts'
import { ApiError } from './ApiError.ts'
import { requireUser } from './authMiddleware.ts'
import type { AppEnv } from './env.ts'
import { parseWith, readJson } from './validation.ts'

const tokenSchema = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/) })

/** A comment line every this often keeps proxies from closing an idle event stream. */
const HEARTBEAT_MS = 25_000
/** Distinct events one stream holds unsent at most (there are few kinds; a bound all the same). */
const MAX_PENDING = 64

/**
 * `/api/notifications`: the person's email settings (`GET`/`PUT /settings`, whether email is
 * configured at all), the unsubscribe link's one-click endpoint (no sign-in: the token is the
 * proof, as RFC 8058 asks), and `GET /events`, a server-sent event stream that says `inbox` when
 * the person's inbox may have changed and `changed` (`{ "topic" }`) when something of a kind was
 * changed through the API.
 */
export function notificationRoutes({
  prefs,
  events,
  mailEnabled,
}: {
  prefs: NotificationPrefs
  events: InboxEvents
  mailEnabled: boolean
}): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  app.get('/settings', async (c) => {
    const user = requireUser(c)
    return c.json({ settings: await prefs.get(user.id), emailEnabled: mailEnabled })
  })

  app.put('/settings', async (c) => {
    const user = requireUser(c)
    const body = await readJson(c, notificationSettingsSchema)
    return c.json({ settings: await prefs.set(user.id, body), emailEnabled: mailEnabled })
  })

  // Mail programs post `List-Unsubscribe=One-Click` as a form; the body carries nothing we need.
  app.post('/unsubscribe/:token', async (c) => {
    const { token } = parseWith(tokenSchema, c.req.param())
    if (!(await prefs.unsubscribe(token))) throw ApiError.notFound('This unsubscribe link is not valid')
    return c.json({ unsubscribed: true })
  })

  app.get('/events', (c) => {
    const user = requireUser(c)
    return streamSSE(c, async (stream) => {
      let wake: (() => void) | null = null
      // Event names (and kinds of change) to send, each once however often it was told.
      const pending = new Set<string>()
      let open = true
      const unsubscribe = events.subscribe(
        user,
        (event) => {
          if (pending.size < MAX_PENDING) pending.add(event.name === 'inbox' ? 'inbox' : `changed:${event.topic}`)
          wake?.()
        },
        () => {
          open = false
          wake?.()
        },
      )
      stream.onAbort(() => {
        open = false
        wake?.()
      })
      try {
        await stream.writeSSE({ event: 'ready', data: '{}' })
        while (open && !stream.aborted) {
          await new Promise<void>((resolve) => {
            wake = resolve
            setTimeout(resolve, HEARTBEAT_MS).unref()
          })
          wake = null
          if (!open || stream.aborted) break
          if (pending.size) {
            const toSend = [...pending]
            pending.clear()
            for (const p of toSend) {
              if (p === 'inbox') await stream.writeSSE({ event: 'inbox', data: '{}' })
              else await stream.writeSSE({ event: 'changed', data: JSON.stringify({ topic: p.slice(8) }) })
            }
          } else {
            await stream.write(': keep-alive\n\n')
          }
        }
      } finally {
        unsubscribe()
      }
    })
  })

  return app
}
