import { useSyncExternalStore } from 'react'

/**
 * The fields on the page holding input that could not be written (an amount or date that does
 * not parse): what the person typed is only in that field, so the page must not say "All changes
 * saved" while any is left.
 */
const unwritten = new Set<string>()
const listeners = new Set<() => void>()

/** Marks the field `id` as holding input not written (true) or not any more (false). */
export function markUnwritten(id: string, holds: boolean): void {
  if (holds === unwritten.has(id)) return
  if (holds) unwritten.add(id)
  else unwritten.delete(id)
  for (const listener of listeners) listener()
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

/** How many fields on the page hold input that was not written. */
export function useUnwrittenCount(): number {
  return useSyncExternalStore(subscribe, () => unwritten.size)
}
