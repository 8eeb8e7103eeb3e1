import {
  type Completeness,
  type CoverageMatrix,
  completeness,
  coverageMatrix,
  type PlanSnapshot,
  type PlanWarning,
  planWarnings,
} from '@lever/shared'
import { createContext, type ReactNode, useContext, useMemo } from 'react'
import { usePlanSession, usePlanVersion } from './PlanContext.tsx'

export interface DerivedViews {
  snapshot: PlanSnapshot
  coverage: CoverageMatrix
  completeness: Completeness
  warnings: PlanWarning[]
  warningsFor(initiativeId: string): PlanWarning[]
}

const DerivedContext = createContext<DerivedViews | null>(null)

/** Recomputes the plan's derived views from a snapshot once per frame with changes. */
export function DerivedProvider({ children }: { children: ReactNode }) {
  const session = usePlanSession()
  const version = usePlanVersion()
  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` is what says the plan changed
  const value = useMemo<DerivedViews>(() => {
    const snapshot = session.model.snapshot()
    const warnings = planWarnings(snapshot)
    return {
      snapshot,
      coverage: coverageMatrix(snapshot),
      completeness: completeness(snapshot),
      warnings,
      warningsFor: (id) => warnings.filter((w) => w.initiativeId === id),
    }
  }, [session, version])
  return <DerivedContext.Provider value={value}>{children}</DerivedContext.Provider>
}

export function useDerived(): DerivedViews {
  const derived = useContext(DerivedContext)
  if (!derived) throw new Error('useDerived() outside a plan page')
  return derived
}
