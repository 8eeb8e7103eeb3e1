import { type AccessMode, parseDocName, type User } from '@lever/shared'
import type { DurableChange } from './changeOrigin.ts'
import type { Room } from './Room.ts'
import { accessModePolicy, policyFor, type UpdatePolicy, type WriteRules } from './updatePolicy.ts'

/**
 * What the server knows about one kind of collaboration document (`plan:<id>`, drafts, sessions):
 * whether a given id exists, and server-side work when its room loads or changes.
 */
export interface DocumentType {
  kind: string
  /** Whether the document exists (read from the database: may be asynchronous). */
  exists(id: string): boolean | Promise<boolean>
  /** What this person may do with the document (null: nothing). */
  access(user: User, id: string): AccessMode | null | Promise<AccessMode | null>
  /**
   * What each connection mode may change and which rules every change keeps (see `WriteRules`);
   * without it, read-write connections change anything and the others nothing.
   */
  writeRules?: WriteRules
  /**
   * Runs once after the room has loaded, before any client is answered (initialize, migrate); a
   * returned promise holds the clients back until it settles.
   */
  onLoad?(room: Room, id: string): void | Promise<void>
  /** Runs after a change to the document is durable. Called often: debounce expensive work. */
  onChange?(room: Room, id: string, change: DurableChange): void
}

/**
 * A feature that reacts to documents without being part of their kind (version history, the
 * search index, dashboards' projection, fan-out to other servers). Hooks run after the document
 * kind's own `onLoad` / `onChange`; a hook that throws is logged and does not stop the others.
 */
export interface DocumentHook {
  name: string
  /** The document kinds this hook wants (all when omitted). */
  kinds?: readonly string[]
  onLoad?(room: Room, id: string, kind: string): void
  /** After a change is durable (called for every change: debounce expensive work). */
  afterChange?(room: Room, id: string, kind: string, change: DurableChange): void
  /** After the room has been unloaded or closed (flush debounced work). */
  afterUnload?(docName: string, id: string, kind: string): void
}

/** The registry of document kinds; a name of no registered kind does not exist. */
export class DocumentTypes {
  private readonly types = new Map<string, DocumentType>()
  private readonly hooks: DocumentHook[] = []
  private readonly policies = new Map<string, UpdatePolicy>()

  constructor(private readonly onHookError: (hook: string, error: unknown) => void = () => {}) {}

  register(type: DocumentType): this {
    this.types.set(type.kind, type)
    this.policies.set(type.kind, type.writeRules ? policyFor(type.writeRules) : accessModePolicy)
    return this
  }

  /** The update policy of a document's kind (the default one for names of no registered kind). */
  policyFor(docName: string): UpdatePolicy {
    const kind = parseDocName(docName)?.kind
    return (kind !== undefined && this.policies.get(kind)) || accessModePolicy
  }

  /** Adds a hook that sees every load and durable change of the documents of its kinds. */
  addHook(hook: DocumentHook): this {
    this.hooks.push(hook)
    return this
  }

  /** The type and id of an existing document, or null. */
  async resolve(docName: string): Promise<{ type: DocumentType; id: string } | null> {
    const parsed = parseDocName(docName)
    if (!parsed) return null
    const type = this.types.get(parsed.kind)
    if (!type || !(await type.exists(parsed.id))) return null
    return { type, id: parsed.id }
  }

  /** What this person may do with the document (null: nothing, or no such document). */
  async accessTo(user: User, docName: string): Promise<AccessMode | null> {
    const resolved = await this.resolve(docName)
    return resolved ? await resolved.type.access(user, resolved.id) : null
  }

  onLoad(room: Room): void | Promise<void> {
    const parsed = parseDocName(room.name)
    if (!parsed) return
    const runHooks = () => {
      for (const hook of this.hooksFor(parsed.kind)) {
        this.run(hook, () => hook.onLoad?.(room, parsed.id, parsed.kind))
      }
    }
    const prepared = this.types.get(parsed.kind)?.onLoad?.(room, parsed.id)
    if (prepared instanceof Promise) return prepared.finally(runHooks)
    runHooks()
  }

  onChange(room: Room, change: DurableChange): void {
    const parsed = parseDocName(room.name)
    if (!parsed) return
    this.types.get(parsed.kind)?.onChange?.(room, parsed.id, change)
    for (const hook of this.hooksFor(parsed.kind)) {
      this.run(hook, () => hook.afterChange?.(room, parsed.id, parsed.kind, change))
    }
  }

  onUnload(docName: string): void {
    const parsed = parseDocName(docName)
    if (!parsed) return
    for (const hook of this.hooksFor(parsed.kind)) {
      this.run(hook, () => hook.afterUnload?.(docName, parsed.id, parsed.kind))
    }
  }

  private hooksFor(kind: string): DocumentHook[] {
    return this.hooks.filter((h) => !h.kinds || h.kinds.includes(kind))
  }

  private run(hook: DocumentHook, work: () => void): void {
    try {
      work()
    } catch (error) {
      this.onHookError(hook.name, error)
    }
  }
}
