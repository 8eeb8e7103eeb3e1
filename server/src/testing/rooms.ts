import type { DocumentTypes } from '../collab/documentTypes.ts'
import { RoomManager, type RoomManagerOptions } from '../collab/RoomManager.ts'
import { accessModePolicy } from '../collab/updatePolicy.ts'
import { quietLogger } from '../logger.ts'
import type { DocStore } from '../storage/DocStore.ts'

/**
 * Rooms for a test, as the server wires them: loads and durable changes go to `documents` (its
 * kinds and hooks) when given, compaction never gets in the way, empty rooms stay a minute, and
 * nothing is logged below a warning. `overrides` replaces any of it.
 */
export function testRooms(
  store: DocStore,
  documents?: DocumentTypes,
  overrides: Partial<RoomManagerOptions> = {},
): RoomManager {
  return new RoomManager({
    store,
    logger: quietLogger(),
    compaction: { maxRows: 10_000, maxBytes: 1 << 30 },
    updatePolicy: accessModePolicy,
    unloadGraceMs: 60_000,
    ...(documents
      ? {
          onLoaded: (room) => documents.onLoad(room),
          onDurableChange: (room, change) => documents.onChange(room, change),
          onUnloaded: (docName) => documents.onUnload(docName),
        }
      : {}),
    ...overrides,
  })
}
