import type { EvidenceEntry } from '@lever/shared'
import { useEffect, useState } from 'react'
import { listEvidence } from './api.ts'

/** How long the library's entries are reused before they are fetched again. */
const FRESH_MS = 60_000

let cached: { at: number; promise: Promise<Map<string, EvidenceEntry>> } | null = null
const listeners = new Set<() => void>()

function load(): Promise<Map<string, EvidenceEntry>> {
  if (cached && Date.now() - cached.at < FRESH_MS) return cached.promise
  const promise = listEvidence().then((entries) => new Map(entries.map((e) => [e.id, e])))
  cached = { at: Date.now(), promise }
  promise.catch(() => {
    if (cached?.promise === promise) cached = null
  })
  return promise
}

/** Fetches the entries again the next time they are asked for (and now, for those showing them). */
export function refreshEvidenceIndex(): void {
  cached = null
  for (const listener of listeners) listener()
}

/**
 * The library's entries by id, as they are now (shared by every citation on a page): a citation
 * whose entry has a newer revision shows "updated since cited". Null while loading or offline.
 */
export function useEvidenceIndex(): Map<string, EvidenceEntry> | null {
  const [index, setIndex] = useState<Map<string, EvidenceEntry> | null>(null)
  const [attempt, setAttempt] = useState(0)
  useEffect(() => {
    const listener = () => setAttempt((n) => n + 1)
    listeners.add(listener)
    return () => {
      listeners.delete(listener)
    }
  }, [])
  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` asks for a fresh copy
  useEffect(() => {
    let live = true
    load().then(
      (map) => {
        if (live) setIndex(map)
      },
      () => {},
    )
    return () => {
      live = false
    }
  }, [attempt])
  return index
}
