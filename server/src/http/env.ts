import type { Authenticated } from '../auth/AuthService.ts'

/** Variables every request carries through the Hono app. */
export interface AppEnv {
  Variables: {
    /** The signed-in person and session, or null. */
    auth: Authenticated | null
  }
}
