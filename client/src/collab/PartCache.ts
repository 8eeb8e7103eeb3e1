import type { SnapshotParts } from '@lever/shared'
import type { DocSession, SharedType } from './DocSession.ts'

/**
 * Remembers what was read of each part of a document (a section's fragment, an initiative's map)
 * and reads it again only when something inside that part changed: the session's part version
 * moved (`together`: inside any of several parts). A part is followed from its first read on,
 * until `dispose()`.
 */
export class PartCache implements SnapshotParts {
  private readonly reads = new WeakMap<SharedType, { version: number; value: unknown }>()
  private readonly subscriptions = new Map<SharedType, () => void>()
  /** What was read of several parts together, by the name of the read. */
  private readonly groups = new Map<string, { types: SharedType[]; versions: number[]; value: unknown }>()

  constructor(private readonly session: DocSession) {}

  part = <T>(type: SharedType, read: () => T): T => {
    if (this.follow(type)) this.reads.delete(type)
    const version = this.session.getPartVersion(type)
    const known = this.reads.get(type)
    if (known && known.version === version) return known.value as T
    const value = read()
    this.reads.set(type, { version, value })
    return value
  }

  together = <T>(key: string, types: readonly SharedType[], read: () => T): T => {
    let followed = true
    for (const type of types) if (this.follow(type)) followed = false
    const versions = types.map((type) => this.session.getPartVersion(type))
    const known = this.groups.get(key)
    if (followed && known?.types.every((type, i) => type === types[i] && known.versions[i] === versions[i])) {
      return known.value as T
    }
    const value = read()
    this.groups.set(key, { types: [...types], versions, value })
    return value
  }

  /**
   * Follows a part from now on; true when it was not followed (first read, or after `dispose()`):
   * what was read of it before may be out of date.
   */
  private follow(type: SharedType): boolean {
    if (this.subscriptions.has(type)) return false
    this.subscriptions.set(type, this.session.subscribePart(type, noop))
    return true
  }

  dispose(): void {
    for (const unsubscribe of this.subscriptions.values()) unsubscribe()
    this.subscriptions.clear()
  }
}

const noop = () => {}
