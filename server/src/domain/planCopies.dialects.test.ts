import { expect, it } from 'vitest'
import type { Db } from '../db/queries.ts'
import { describeDialects } from '../testing/dialects.ts'
import { BorrowLog } from './planCopies.ts'

const JURISDICTIONS = ['boulder', 'ohio', 'atlanta']

/** A plan per jurisdiction (the log's rows point at plans). */
async function plans(db: Db) {
  await db
    .insertInto('jurisdictions')
    .values(JURISDICTIONS.map((id) => ({ id, name: id, kind: 'city', state: 'XX', agency: `${id} agency` })))
    .execute()
  const now = new Date().toISOString()
  await db
    .insertInto('plans')
    .values(
      JURISDICTIONS.map((id) => ({
        id: `plan-${id}`,
        jurisdiction_id: id,
        title: `${id} plan`,
        doc_name: `plan:plan-${id}`,
        created_at: now,
        updated_at: now,
      })),
    )
    .execute()
}

describeDialects('BorrowLog', (fresh) => {
  it('counts, per initiative, the other teams that copied it and all their copies', async () => {
    const { db } = await fresh()
    await plans(db)
    const borrows = new BorrowLog(db)
    let n = 0
    const copy = (from: string, initiative: string, to: string) =>
      borrows.record({
        sourcePlanId: `plan-${from}`,
        sourceInitiativeId: initiative,
        targetPlanId: `plan-${to}`,
        targetJurisdictionId: to,
        targetInitiativeId: `copy-${++n}`,
        by: 'someone',
        at: new Date().toISOString(),
      })
    await copy('boulder', 'wage-floor', 'ohio')
    await copy('boulder', 'wage-floor', 'ohio')
    await copy('boulder', 'wage-floor', 'atlanta')
    await copy('boulder', 'child-care', 'atlanta')
    // A team copying within its own plan is not borrowing; another plan's initiatives are not counted.
    await copy('boulder', 'child-care', 'boulder')
    await copy('ohio', 'wage-floor', 'boulder')

    const boulder = { id: 'plan-boulder', jurisdictionId: 'boulder' }
    expect(await borrows.counts(boulder as Parameters<BorrowLog['counts']>[0])).toEqual({
      'wage-floor': { teams: 2, copies: 3 },
      'child-care': { teams: 1, copies: 1 },
    })
    const atlanta = { id: 'plan-atlanta', jurisdictionId: 'atlanta' }
    expect(await borrows.counts(atlanta as Parameters<BorrowLog['counts']>[0])).toEqual({})
    const stored = await db
      .selectFrom('initiative_borrows')
      .selectAll()
      .where('target_initiative_id', '=', 'copy-1')
      .execute()
    expect(stored).toEqual([
      expect.objectContaining({
        source_plan_id: 'plan-boulder',
        source_initiative_id: 'wage-floor',
        target_plan_id: 'plan-ohio',
        target_jurisdiction_id: 'ohio',
        borrowed_by: 'someone',
      }),
    ])
  })
})
