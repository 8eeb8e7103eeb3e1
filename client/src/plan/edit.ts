import { PlanValidationError } from '@lever/shared'
import type { PlanSession } from '../collab/PlanSession.ts'

/** Applies a local change; a value the model rejects comes back as its message (nothing is written). */
export function tryEdit(session: PlanSession, change: () => void): string | null {
  try {
    session.edit(change)
    return null
  } catch (error) {
    if (error instanceof PlanValidationError) return error.message
    throw error
  }
}
