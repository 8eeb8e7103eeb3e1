import { PlanKeys } from '@lever/shared'
import * as Y from 'yjs'

/** How long after setting a value a person is told that someone else replaced it. */
export const REPLACED_CHOICE_WINDOW_MS = 2 * 60_000

/**
 * Keys of plan maps that are not choices made in a select, date or amount field: ids, ordering,
 * timestamps, and free text kept as plain strings (titles, labels).
 */
const NOT_CHOICES = new Set(['id', 'order', 'title', 'label', 'name', 'description', 'schemaVersion', 'jurisdictionId'])

/** The plan's top-level maps that hold choices (threads are changed by their own controls). */
const CHOICE_ROOTS = [PlanKeys.meta, PlanKeys.levers, PlanKeys.initiatives, PlanKeys.targetComponents]

export type Choice = string | number

/** A value this person set that someone else has since replaced. */
export interface ReplacedChoice {
  id: number
  map: Y.Map<unknown>
  key: string
  /** What this person had set. */
  mine: Choice
  /** What it is now (undefined when cleared). */
  theirs: Choice | undefined
  /** Who replaced it (null when unknown). */
  by: string | null
}

export interface ReplacedChoicesOptions {
  /** The origin of this person's own edits. */
  isOwnEdit(origin: unknown): boolean
  /** The origin of changes from the server (other people's). */
  isRemote(origin: unknown): boolean
  /** The person behind a Yjs client id, when known (`self`: this person, in another tab). */
  whoIs(clientId: number): { name: string; self: boolean } | null
  now?: () => number
}

function isChoice(value: unknown): value is Choice {
  return (typeof value === 'string' && value.length <= 200) || (typeof value === 'number' && Number.isFinite(value))
}

function isChoiceKey(key: string): boolean {
  return !NOT_CHOICES.has(key) && !/(At|By)$/.test(key)
}

/**
 * Watches a plan document for values this person set in the last few minutes (a status, a
 * lever, a date, an amount) that a change from someone else then replaced, which Yjs resolves
 * silently (the last writer wins). Each replacement becomes a `ReplacedChoice` until the person
 * dismisses it, puts their value back, changes the field again, or the value returns to theirs.
 */
export class ReplacedChoices {
  private readonly mine = new Map<Y.Map<unknown>, Map<string, { value: Choice; at: number }>>()
  private list: ReplacedChoice[] = []
  private nextId = 1
  private readonly listeners = new Set<() => void>()
  private readonly roots: Set<Y.AbstractType<unknown>>
  private readonly now: () => number

  constructor(
    private readonly doc: Y.Doc,
    private readonly options: ReplacedChoicesOptions,
  ) {
    this.now = options.now ?? Date.now
    this.roots = new Set(CHOICE_ROOTS.map((key) => doc.getMap(key) as Y.AbstractType<unknown>))
    doc.on('afterTransaction', this.onTransaction)
  }

  /** The replacements to tell the person about, oldest first. */
  get current(): readonly ReplacedChoice[] {
    return this.list
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  dismiss(id: number): void {
    this.setList(this.list.filter((c) => c.id !== id))
  }

  stop(): void {
    this.doc.off('afterTransaction', this.onTransaction)
    this.listeners.clear()
  }

  private setList(next: ReplacedChoice[]): void {
    if (next.length === this.list.length && next.every((c, i) => c === this.list[i])) return
    this.list = next
    for (const listener of this.listeners) listener()
  }

  private inChoiceRoot(type: Y.AbstractType<unknown>): boolean {
    let t: Y.AbstractType<unknown> = type
    while (t._item) t = t._item.parent as Y.AbstractType<unknown>
    return this.roots.has(t)
  }

  private readonly onTransaction = (tr: Y.Transaction): void => {
    const own = this.options.isOwnEdit(tr.origin)
    const remote = !own && this.options.isRemote(tr.origin)
    let next = this.list
    for (const [type, keys] of tr.changed) {
      if (!(type instanceof Y.Map) || !this.inChoiceRoot(type as Y.AbstractType<unknown>)) continue
      const map = type as Y.Map<unknown>
      for (const key of keys) {
        if (key === null || !isChoiceKey(key)) continue
        const value = map.get(key)
        // Whatever happened to this field, a notice about it that no longer holds goes.
        next = next.filter((c) => c.map !== map || c.key !== key || (!own && value !== c.mine))
        if (own) {
          this.record(map, key, value)
          continue
        }
        const set = this.mine.get(map)?.get(key)
        if (!set) continue
        if (!remote) {
          // Undo, redo or this browser's saved copy: no longer a choice made moments ago.
          this.mine.get(map)?.delete(key)
          continue
        }
        if (value === set.value || (value !== undefined && !isChoice(value))) continue
        this.mine.get(map)?.delete(key)
        const by = this.author(tr, map, key)
        if (this.now() - set.at > REPLACED_CHOICE_WINDOW_MS || by?.self) continue
        next = [
          ...next,
          { id: this.nextId++, map, key, mine: set.value, theirs: value as Choice | undefined, by: by?.name ?? null },
        ]
      }
    }
    this.setList(next.slice(-3))
  }

  private record(map: Y.Map<unknown>, key: string, value: unknown): void {
    let keys = this.mine.get(map)
    if (!isChoice(value)) {
      keys?.delete(key)
      return
    }
    if (!keys) {
      keys = new Map()
      this.mine.set(map, keys)
    }
    keys.set(key, { value, at: this.now() })
  }

  /**
   * Who wrote the value now at `key`, or for a cleared one whose new changes this transaction
   * holds (a deletion alone writes nothing, so its author is not known).
   */
  private author(tr: Y.Transaction, map: Y.Map<unknown>, key: string): { name: string; self: boolean } | null {
    // biome-ignore lint/suspicious/noExplicitAny: Y.Map keeps its items in an internal map
    const item = (map as any)._map.get(key) as Y.Item | undefined
    if (item && !item.deleted) return this.options.whoIs(item.id.client)
    const writers = [...tr.afterState].filter(([client, clock]) => (tr.beforeState.get(client) ?? 0) < clock)
    const only = writers.length === 1 ? writers[0] : undefined
    return only ? this.options.whoIs(only[0]) : null
  }
}
