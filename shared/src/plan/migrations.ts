import type * as Y from 'yjs'
import { PLAN_SCHEMA_VERSION, PlanKeys } from './PlanModel.ts'

/**
 * Changes to the layout of plan documents. The server runs `migratePlanDoc` when it loads a plan,
 * as one server-made change, so every client sees a plan in the current layout. Version 1 is the
 * first layout (written by PlanModel.initialize); add a migration for every later change.
 */
export interface PlanMigration {
  version: number
  description: string
  up(doc: Y.Doc): void
}

export const PLAN_MIGRATIONS: PlanMigration[] = [
  {
    version: 2,
    description: 'comment threads move out of the plan into thread documents of their own',
    // The server copies the threads into the team's thread document (durably) before it runs this.
    up(doc) {
      const threads = doc.getMap(PlanKeys.threads)
      for (const key of [...threads.keys()]) threads.delete(key)
    },
  },
]

export interface MigrationResult {
  from: number
  to: number
  /** The document is newer than this code knows; it was left alone. */
  tooNew: boolean
}

/** Whether `migratePlanDoc` would change this document (an initialized plan of an older layout). */
export function planDocNeedsMigration(
  doc: Y.Doc,
  migrations: readonly PlanMigration[] = PLAN_MIGRATIONS,
  target = Math.max(PLAN_SCHEMA_VERSION, ...migrations.map((m) => m.version)),
): boolean {
  const raw = doc.getMap(PlanKeys.meta).get('schemaVersion')
  const from = typeof raw === 'number' ? raw : 0
  return from !== 0 && from < target && migrations.some((m) => m.version > from && m.version <= target)
}

export function migratePlanDoc(
  doc: Y.Doc,
  migrations: readonly PlanMigration[] = PLAN_MIGRATIONS,
  target = Math.max(PLAN_SCHEMA_VERSION, ...migrations.map((m) => m.version)),
): MigrationResult {
  const meta = doc.getMap(PlanKeys.meta)
  const raw = meta.get('schemaVersion')
  const from = typeof raw === 'number' ? raw : 0
  if (from === 0) return { from, to: from, tooNew: false } // not an initialized plan
  if (from > target) return { from, to: from, tooNew: true }
  const pending = migrations
    .filter((m) => m.version > from && m.version <= target)
    .sort((a, b) => a.version - b.version)
  if (pending.length === 0) return { from, to: from, tooNew: false }
  doc.transact(() => {
    for (const m of pending) m.up(doc)
    meta.set('schemaVersion', target)
  })
  return { from, to: target, tooNew: false }
}
