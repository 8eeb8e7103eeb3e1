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
import { createContext, type ReactNode, useContext, useEffect, useMemo, useSyncExternalStore } from 'react'
import { PartCache } from '../collab/PartCache.ts'
import type { PlanSession } from '../collab/PlanSession.ts'
import { usePlanSession } from './PlanContext.tsx'
import { sameShape } from './sameShape.ts'

export interface DerivedViews {
  snapshot: PlanSnapshot
  coverage: CoverageMatrix
  completeness: Completeness
  warnings: PlanWarning[]
  /** The warnings of one initiative (the same array while they stay the same). */
  warningsFor(initiativeId: string): PlanWarning[]
  /** What the plan does not have yet (an empty plan has no warnings but is not fine). */
  gaps: PlanGap[]
  funding: FundingSummary
  /** Unspent SLFRF money of one funding line and the days left to spend it. */
  slfrfCountdownOf(lineId: string): SlfrfCountdown | null
  /** Ids of the prose sections that are still empty, in the plan's order. */
  emptySections: string[]
  /** Today (`YYYY-MM-DD`, local), as the views were computed. */
  today: string
}

const NO_WARNINGS: PlanWarning[] = []

/**
 * The plan's derived views, recomputed once per frame with changes. Every part keeps its previous
 * value (the same object) while it says the same, so a view that reads one part re-renders only
 * when that part changed: typing in a section changes the snapshot's prose, not the warnings,
 * coverage or funding the cards and the health views show.
 */
class DerivedStore {
  /**
   * Computed when first read, not when the plan opens: on a large plan that is tens of
   * milliseconds, and the part of the page drawn first (the top and the first section) reads none
   * of it.
   */
  private views: DerivedViews | null = null
  private readonly listeners = new Set<() => void>()
  /** What the snapshot read of each section and initiative, read again only when it changed. */
  private readonly parts: PartCache

  constructor(private readonly session: PlanSession) {
    this.parts = new PartCache(session)
  }

  dispose(): void {
    this.parts.dispose()
  }

  get = (): DerivedViews => {
    this.views ??= this.compute(null)
    return this.views
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  refresh = (): void => {
    // Not read yet: the first reader computes them as they are then.
    if (this.views === null) return
    const next = this.compute(this.views)
    if (next === this.views) return
    this.views = next
    for (const listener of this.listeners) listener()
  }

  private compute(prev: DerivedViews | null): DerivedViews {
    const snapshot = sameShape(prev?.snapshot, this.session.model.snapshot(this.parts))
    const today = localToday()
    if (prev && snapshot === prev.snapshot && today === prev.today) return prev
    // Typing in a section changes the sections alone: what is read from the initiatives, the
    // levers and the target components (warnings, coverage, funding) stays as it was.
    const sameItems =
      prev !== null &&
      snapshot.initiatives === prev.snapshot.initiatives &&
      snapshot.levers === prev.snapshot.levers &&
      snapshot.targetComponents === prev.snapshot.targetComponents &&
      today === prev.today
    const emptySections = Object.entries(snapshot.sections)
      .filter(([, text]) => text.trim() === '')
      .map(([id]) => id)
    if (sameItems) {
      const empty = sameShape(prev.emptySections, emptySections)
      // Completeness and gaps read of the sections only whether each is empty: while the same
      // sections are empty, a keystroke leaves them as they were.
      if (empty === prev.emptySections) return { ...prev, snapshot }
      return {
        ...prev,
        snapshot,
        completeness: sameShape(prev.completeness, completeness(snapshot)),
        gaps: sameShape(prev.gaps, planGaps(snapshot)),
        emptySections: empty,
      }
    }
    const warnings = sameShape(prev?.warnings, planWarnings(snapshot, today))
    let warningsFor = prev?.warningsFor
    if (!prev || warnings !== prev.warnings) {
      const byInitiative = new Map<string, PlanWarning[]>()
      for (const w of warnings) {
        const list = byInitiative.get(w.initiativeId) ?? []
        list.push(w)
        byInitiative.set(w.initiativeId, list)
      }
      for (const [id, list] of byInitiative) byInitiative.set(id, sameShape(prev?.warningsFor(id), list))
      warningsFor = (id) => byInitiative.get(id) ?? NO_WARNINGS
    }
    let slfrfCountdownOf = prev?.slfrfCountdownOf
    if (!prev || snapshot.initiatives !== prev.snapshot.initiatives || today !== prev.today) {
      const lines = new Map(snapshot.initiatives.flatMap((i) => i.funding.map((f) => [f.id, f] as const)))
      const countdowns = new Map<string, SlfrfCountdown | null>()
      slfrfCountdownOf = (lineId) => {
        if (!countdowns.has(lineId)) {
          const line = lines.get(lineId)
          countdowns.set(lineId, line ? slfrfCountdown([line], today) : null)
        }
        return countdowns.get(lineId) ?? null
      }
    }
    return {
      snapshot,
      coverage: sameShape(prev?.coverage, coverageMatrix(snapshot)),
      completeness: sameShape(prev?.completeness, completeness(snapshot)),
      warnings,
      warningsFor: warningsFor as DerivedViews['warningsFor'],
      gaps: sameShape(prev?.gaps, planGaps(snapshot)),
      funding: sameShape(prev?.funding, fundingSummary(snapshot, today)),
      slfrfCountdownOf: slfrfCountdownOf as DerivedViews['slfrfCountdownOf'],
      emptySections: sameShape(prev?.emptySections, emptySections),
      today,
    }
  }
}

const DerivedContext = createContext<DerivedStore | null>(null)

/** Keeps the plan's derived views up to date, once per frame with changes. */
export function DerivedProvider({ children }: { children: ReactNode }) {
  const session = usePlanSession()
  const store = useMemo(() => new DerivedStore(session), [session])
  useEffect(() => {
    // The document may have changed between the first render and this subscription.
    store.refresh()
    const unsubscribe = session.subscribeVersion(store.refresh)
    return () => {
      unsubscribe()
      store.dispose()
    }
  }, [session, store])
  return <DerivedContext.Provider value={store}>{children}</DerivedContext.Provider>
}

function useDerivedStore(): DerivedStore {
  const store = useContext(DerivedContext)
  if (!store) throw new Error('useDerived() outside a plan page')
  return store
}

/**
 * One part of the derived views; the component re-renders only when that part changed. `select`
 * returns a part of the views as they are (`d => d.coverage`, `d => d.warningsFor(id)`), not a
 * new object.
 */
export function useDerivedValue<T>(select: (views: DerivedViews) => T): T {
  const store = useDerivedStore()
  return useSyncExternalStore(store.subscribe, () => select(store.get()))
}

/** The derived views as they are now, for event handlers (reading them does not re-render). */
export function useDerivedNow(): () => DerivedViews {
  return useDerivedStore().get
}

/** All derived views; the component re-renders whenever any of them changes. */
export function useDerived(): DerivedViews {
  return useDerivedValue((views) => views)
}
