import { type CheckInStatus, CheckInsModel, type FundingAsOf, type MetricActual, PlanModel } from '@lever/shared'
import type { DocSession } from '../collab/DocSession.ts'
import { tryEdit } from '../collab/sessionHooks.ts'

/**
 * Writing check-ins. A check-in of the current period also moves the plan forward: its status
 * becomes the initiative's status and its funding amounts the funding line's, in the same
 * change, so the plan, the dashboard and the cohort overview agree.
 */
export interface CheckInTarget {
  session: DocSession
  period: string
  isCurrent: boolean
  initiativeId: string
  by: string
}

export function reportStatus(t: CheckInTarget, status: CheckInStatus | null): string | null {
  return tryEdit(t.session, () => {
    new CheckInsModel(t.session.doc).setStatus(t.period, t.initiativeId, status, t.by)
    if (t.isCurrent && status) new PlanModel(t.session.doc).initiative(t.initiativeId)?.setStatus(status)
  })
}

export function reportUpdate(t: CheckInTarget, text: string): string | null {
  return tryEdit(t.session, () => new CheckInsModel(t.session.doc).setUpdate(t.period, t.initiativeId, text, t.by), {
    withoutField: true,
  })
}

export function reportMetric(t: CheckInTarget, metricId: string, actual: MetricActual | null): string | null {
  return tryEdit(
    t.session,
    () => new CheckInsModel(t.session.doc).setMetricActual(t.period, t.initiativeId, metricId, actual, t.by),
    { withoutField: true },
  )
}

export function reportFunding(t: CheckInTarget, lineId: string, amounts: FundingAsOf): string | null {
  return tryEdit(
    t.session,
    () => {
      const empty = amounts.obligated === null && amounts.spent === null
      new CheckInsModel(t.session.doc).setFundingAsOf(t.period, t.initiativeId, lineId, empty ? null : amounts, t.by)
      if (!t.isCurrent) return
      const line = new PlanModel(t.session.doc)
        .initiative(t.initiativeId)
        ?.funding.list()
        .find((l) => l.id === lineId)
      line?.setAmount('obligated', amounts.obligated)
      line?.setAmount('spent', amounts.spent)
    },
    { withoutField: true },
  )
}
