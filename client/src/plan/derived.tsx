import {
  type Completeness,
  type CoverageMatrix,
  completeness,
  coverageMatrix,
  type FundingSummary,
  fundingSummary,
  localToday,
  type PlanGap,
  type PlanSnapshot,
  type PlanWarning,
  planGaps,
  planWarnings,
  type SlfrfCountdown,
  slfrfCountdown,
} from '@lever/shared'
import { createContext, type ReactNode, useContext, useMemo } from 'react'
import { usePlanSession, usePlanVersion } from './PlanContext.tsx'

export interface DerivedViews {
  snapshot: PlanSnapshot
  coverage: CoverageMatrix
  completeness: Completeness
  warnings: PlanWarning[]
  warningsFor(initiativeId: string): PlanWarning[]
  /** What the plan does not have yet (an empty plan has no warnings but is not fine). */
  gaps: PlanGap[]
  funding: FundingSummary
  /** Unspent SLFRF money of one funding line and the days left to spend it. */
  slfrfCountdownOf(lineId: string): SlfrfCountdown | null
  /** Today (`YYYY-MM-DD`, local), as the views were computed. */
  today: string
}

const DerivedContext = createContext<DerivedViews | null>(null)

/** Recomputes the plan's derived views from a snapshot once per frame with changes. */
export function DerivedProvider({ children }: { children: ReactNode }) {
  const session = usePlanSession()
  const version = usePlanVersion()
  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` is what says the plan changed
  const value = useMemo<DerivedViews>(() => {
    const snapshot = session.model.snapshot()
    const today = localToday()
    const warnings = planWarnings(snapshot, today)
    const lines = new Map(snapshot.initiatives.flatMap((i) => i.funding.map((f) => [f.id, f] as const)))
    return {
      snapshot,
      coverage: coverageMatrix(snapshot),
      completeness: completeness(snapshot),
      warnings,
      warningsFor: (id) => warnings.filter((w) => w.initiativeId === id),
      gaps: planGaps(snapshot),
      funding: fundingSummary(snapshot, today),
      slfrfCountdownOf: (lineId) => {
        const line = lines.get(lineId)
        return line ? slfrfCountdown([line], today) : null
      },
      today,
    }
  }, [session, version])
  return <DerivedContext.Provider value={value}>{children}</DerivedContext.Provider>
}

export function useDerived(): DerivedViews {
  const derived = useContext(DerivedContext)
  if (!derived) throw new Error('useDerived() outside a plan page')
  return derived
}
