import { DocKind } from './protocol.ts'

/**
 * The plan layout this code writes: the newest plan migration (or the first layout). Written out
 * rather than computed from the migrations, so that the app's first script can connect to a plan
 * without loading the plan's code; `layoutVersions.test.ts` fails when a migration is added and
 * this is not raised with it.
 */
export const PLAN_LAYOUT_VERSION = 2

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
