import { describe, expect, it } from 'vitest'
import { DOC_LAYOUT_VERSIONS, PLAN_LAYOUT_VERSION } from './layoutVersions.ts'
import { PLAN_MIGRATIONS } from './plan/migrations.ts'
import { PLAN_SCHEMA_VERSION } from './plan/PlanModel.ts'
import { DocKind } from './protocol.ts'

describe('layout versions', () => {
  it('name the newest plan layout: the last migration, or the first layout when there is none', () => {
    expect(PLAN_LAYOUT_VERSION).toBe(Math.max(PLAN_SCHEMA_VERSION, ...PLAN_MIGRATIONS.map((m) => m.version)))
    expect(DOC_LAYOUT_VERSIONS[DocKind.Plan]).toBe(PLAN_LAYOUT_VERSION)
    expect(DOC_LAYOUT_VERSIONS[DocKind.Template]).toBe(PLAN_LAYOUT_VERSION)
  })
})
