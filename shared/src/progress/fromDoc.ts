import type * as Y from 'yjs'
import { PlanModel } from '../plan/PlanModel.ts'
import type { PlanSnapshot } from '../plan/schemas.ts'
import { CHECK_INS_KEY, type CheckInSnapshot, readCheckIns } from './CheckInsModel.ts'

/** What the progress figures are computed from: the plan's snapshot and its check-ins. */
export interface PlanProgressInput {
  plan: PlanSnapshot
  checkIns: CheckInSnapshot[]
}

/** Reads a plan document once for the figures (client and server call this alike). */
export function progressInputOf(doc: Y.Doc): PlanProgressInput {
  return { plan: new PlanModel(doc).snapshot(), checkIns: readCheckIns(doc.getMap(CHECK_INS_KEY)) }
}
