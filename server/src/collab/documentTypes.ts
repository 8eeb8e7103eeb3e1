import { type AccessMode, parseDocName, type User } from '@lever/shared'
import type { Room } from './Room.ts'

/**
 * What the server knows about one kind of collaboration document (`plan:<id>`, later drafts and
 * sessions): whether a given id exists, and server-side work when its room loads or changes.
 */
export interface DocumentType {
  kind: string
  exists(id: string): boolean
  /** What this person may do with the document (null: nothing). */
  access(user: User, id: string): AccessMode | null
  /** Runs once after the room has loaded, before any client is answered (initialize, migrate). */
  onLoad?(room: Room, id: string): void
  /** Runs after a change to the document is durable. Called often: debounce expensive work. */
  onChange?(room: Room, id: string): void
}

/** The registry of document kinds; a name of no registered kind does not exist. */
export class DocumentTypes {
  private readonly types = new Map<string, DocumentType>()

  register(type: DocumentType): this {
    this.types.set(type.kind, type)
    return this
  }

  /** The type and id of an existing document, or null. */
  resolve(docName: string): { type: DocumentType; id: string } | null {
    const parsed = parseDocName(docName)
    if (!parsed) return null
    const type = this.types.get(parsed.kind)
    if (!type?.exists(parsed.id)) return null
    return { type, id: parsed.id }
  }

  onLoad(room: Room): void {
    const parsed = parseDocName(room.name)
    if (parsed) this.types.get(parsed.kind)?.onLoad?.(room, parsed.id)
  }

  onChange(room: Room): void {
    const parsed = parseDocName(room.name)
    if (parsed) this.types.get(parsed.kind)?.onChange?.(room, parsed.id)
  }
}
