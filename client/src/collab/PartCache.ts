import type { SnapshotParts } from '@lever/shared'
import type { DocSession, SharedType } from './DocSession.ts'

/**
 * Remembers what was read of each part of a document (a section's fragment, an initiative's map)
 * and reads it again only when something inside that part changed: the session's part version
 * moved. A part is followed from its first read on, until `dispose()`.
 */
export class PartCache implements SnapshotParts {
  private readonly reads = new WeakMap<SharedType, { version: number; value: unknown }>()
  private readonly subscriptions = new Map<SharedType, () => void>()

  constructor(private readonly session: DocSession) {}

  part = <T>(type: SharedType, read: () => T): T => {
    if (!this.subscriptions.has(type)) {
      // Not followed (first read, or after `dispose()`): what was read before may be out of date.
      this.subscriptions.set(type, this.session.subscribePart(type, noop))
      this.reads.delete(type)
    }
    const version = this.session.getPartVersion(type)
    const known = this.reads.get(type)
    if (known && known.version === version) return known.value as T
    const value = read()
    this.reads.set(type, { version, value })
    return value
  }

  dispose(): void {
    for (const unsubscribe of this.subscriptions.values()) unsubscribe()
    this.subscriptions.clear()
  }
}

const noop = () => {}
