import { Hono } from 'hono'
import { type HomeDeps, homeFor } from '../domain/home.ts'
import { requireUser } from './authMiddleware.ts'
import type { AppEnv } from './env.ts'

/** `/api/home`: a person's plans and what needs them, by role (see `homeFor`). */
export function homeRoutes(deps: HomeDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  app.get('/', async (c) => c.json(await homeFor(deps, requireUser(c))))
  return app
}
