export { ClientRegistry } from './collab/ClientRegistry.ts'
export type { CollabSocket } from './collab/Connection.ts'
export { type ConnectionLimitsConfig, DEFAULT_CONNECTION_LIMITS } from './collab/ConnectionLimits.ts'
export { awarenessMessage, updateMessage } from './collab/messages.ts'
export { leftPending } from './collab/pendingState.ts'
export { Room, type RoomOptions } from './collab/Room.ts'
export { replicaUpdate } from './collab/replicaUpdate.ts'
export { readUpdateEffect, type UpdateEffect } from './collab/updateEffect.ts'
export {
  accessModePolicy,
  policyFor,
  type UpdatePolicy,
  type UpdatePolicyInput,
  type UpdateVerdict,
  type WriteRules,
} from './collab/updatePolicy.ts'
export { warmUpYjs } from './collab/warmUp.ts'
export { noThreadsInPlanRule, planWriteRules } from './collab/writeRules/planWriteRules.ts'
export { threadWriteRules } from './collab/writeRules/threadWriteRules.ts'
export { configFromEnv, defaultConfig, REPO_ROOT, type ServerConfig } from './config.ts'
export { type CreateServerOptions, createServer, type LeverServer } from './createServer.ts'
export { openDatabase } from './db/openDatabase.ts'
export { postgresQueries, sqliteQueries } from './db/queries.ts'
export { sqliteImmediateRunner } from './db/queryScripts.ts'
export { createLogger, type Logger, memoryLogger, quietLogger } from './logger.ts'
export { backupDatabase, checkDatabaseFile, listBackups, restoreDatabase } from './ops/backup.ts'
export { SearchIndex } from './search/SearchIndex.ts'
export type { DocStore, StoredDoc } from './storage/DocStore.ts'
export { MemoryDocStore } from './storage/MemoryDocStore.ts'
export { SqliteDocStore } from './storage/SqliteDocStore.ts'
export { comparePlans } from './versions/compare.ts'
export { restoreInto } from './versions/restoreContent.ts'
export { VersionStore } from './versions/VersionStore.ts'
