import type { PeopleDirectoryResponse } from '@lever/shared'
import { Hono } from 'hono'
import type { UserService } from '../auth/users.ts'
import { requireUser } from './authMiddleware.ts'
import type { AppEnv } from './env.ts'

export interface PeopleRoutesDeps {
  users: Pick<UserService, 'list'>
}

/**
 * `/api/people`: what any signed-in person may know about the others. `GET /directory` lists
 * everyone's id and name (deactivated people too: their comments stay), so the client shows the
 * name the server knows for a comment's author rather than the one written into the document.
 */
export function peopleRoutes({ users }: PeopleRoutesDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  app.get('/directory', async (c) => {
    requireUser(c)
    const body: PeopleDirectoryResponse = { people: (await users.list()).map((u) => ({ id: u.id, name: u.name })) }
    return c.json(body)
  })
  return app
}
