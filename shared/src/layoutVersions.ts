import { PLAN_MIGRATIONS } from './plan/migrations.ts'
import { PLAN_SCHEMA_VERSION } from './plan/PlanModel.ts'
import { DocKind } from './protocol.ts'

/** The plan layout this code writes: the newest plan migration (or the first layout). */
export const PLAN_LAYOUT_VERSION = Math.max(PLAN_SCHEMA_VERSION, ...PLAN_MIGRATIONS.map((m) => m.version))

/**
 * The document layout each kind of live document has in this build. The client sends it when it
 * connects (`?layout=`, see `LAYOUT_PARAM`); the server closes a client whose layout is older
 * with `ReloadRequired`. Kinds without a layout version (sessions, drafts) are not checked; give
 * one here when a kind gets migrations.
 */
export const DOC_LAYOUT_VERSIONS: Readonly<Partial<Record<DocKind, number>>> = {
  [DocKind.Plan]: PLAN_LAYOUT_VERSION,
  // Templates are laid out as plans and migrated with them.
  [DocKind.Template]: PLAN_LAYOUT_VERSION,
}

/** The layout version of a document kind in this build, or undefined when the kind has none. */
export function layoutVersionOf(kind: string): number | undefined {
  return (DOC_LAYOUT_VERSIONS as Partial<Record<string, number>>)[kind]
}
