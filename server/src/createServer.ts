import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createAdaptorServer } from '@hono/node-server'
import { AccessMode, CloseCode } from '@lever/shared'
import type { Database } from 'better-sqlite3'
import type { Hono } from 'hono'
import { DocumentTypes } from './collab/documentTypes.ts'
import { RoomManager } from './collab/RoomManager.ts'
import { readWritePolicy } from './collab/updatePolicy.ts'
import { type AuthorizeConnection, CollabTransport } from './collab/wsTransport.ts'
import { defaultConfig, type ServerConfig } from './config.ts'
import { openDatabase } from './db/openDatabase.ts'
import { JurisdictionService } from './domain/jurisdictions.ts'
import { planDocumentType } from './domain/planDocuments.ts'
import { PlanService } from './domain/plans.ts'
import { createHttpApp } from './http/app.ts'
import { jurisdictionRoutes } from './http/jurisdictionRoutes.ts'
import { planRoutes } from './http/planRoutes.ts'
import { createLogger, type Logger } from './logger.ts'
import type { DocStore } from './storage/DocStore.ts'
import { MemoryDocStore } from './storage/MemoryDocStore.ts'
import { SqliteDocStore } from './storage/SqliteDocStore.ts'

export interface CreateServerOptions extends Partial<Omit<ServerConfig, 'collab' | 'http'>> {
  collab?: Partial<ServerConfig['collab']>
  http?: Partial<ServerConfig['http']>
  logger?: Logger
}

export interface LeverServer {
  readonly config: ServerConfig
  /** `http://host:port` the server listens on. */
  readonly url: string
  readonly port: number
  readonly app: Hono
  readonly db: Database
  readonly store: DocStore
  readonly rooms: RoomManager
  readonly plans: PlanService
  readonly jurisdictions: JurisdictionService
  readonly transport: CollabTransport
  readonly logger: Logger
  /** Stops accepting connections, closes rooms after their writes, closes the database. */
  close(): Promise<void>
}

/** The composition root: wires storage, rooms, transport and HTTP, and starts listening. */
export async function createServer(options: CreateServerOptions = {}): Promise<LeverServer> {
  const config: ServerConfig = {
    ...defaultConfig,
    ...options,
    collab: { ...defaultConfig.collab, ...options.collab },
    http: { ...defaultConfig.http, ...options.http },
  }
  const logger = options.logger ?? createLogger(config.logLevel)
  const db = openDatabase({
    dataDir: config.store === 'memory' ? ':memory:' : config.dataDir,
    synchronous: config.synchronous,
  })
  const store: DocStore = config.store === 'memory' ? new MemoryDocStore() : new SqliteDocStore(db)

  const jurisdictions = new JurisdictionService(db)
  const seeded = jurisdictions.seed()
  if (seeded > 0) logger.info({ count: seeded }, 'seeded jurisdictions')
  const plans = new PlanService(db, store)
  const documents = new DocumentTypes().register(planDocumentType(plans, logger))

  const rooms = new RoomManager({
    store,
    logger,
    updatePolicy: readWritePolicy,
    unloadGraceMs: config.collab.unloadGraceMs,
    compaction: { maxRows: config.collab.compactMaxRows, maxBytes: config.collab.compactMaxBytes },
    onLoaded: (room) => documents.onLoad(room),
    onDurableChange: (room) => documents.onChange(room),
  })

  const authorize: AuthorizeConnection = async (_request, docName) => {
    if (!documents.resolve(docName)) return { ok: false, code: CloseCode.DocumentNotFound, reason: 'no such document' }
    return { ok: true, mode: AccessMode.ReadWrite, identity: { userId: null, name: 'Guest' } }
  }

  const transport = new CollabTransport({
    rooms,
    authorize,
    logger,
    maxMessageBytes: config.collab.maxMessageBytes,
    heartbeatMs: config.collab.heartbeatMs,
  })

  const app = createHttpApp({
    logger,
    staticDir: config.staticDir,
    maxBodyBytes: config.http.maxBodyBytes,
    mount: (api) => {
      api.route('/jurisdictions', jurisdictionRoutes({ jurisdictions, plans }))
      api.route('/plans', planRoutes({ plans }))
    },
  })

  const httpServer = createAdaptorServer({ fetch: app.fetch }) as Server
  httpServer.on('upgrade', (request, socket, head) => {
    if (!transport.handleUpgrade(request, socket, head)) socket.destroy()
  })
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject)
    httpServer.listen(config.port, config.host, () => {
      httpServer.off('error', reject)
      resolve()
    })
  })
  const port = (httpServer.address() as AddressInfo).port
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`
  logger.info({ url, dataDir: config.store === 'memory' ? ':memory:' : config.dataDir }, 'Lever is listening')

  let closing: Promise<void> | null = null
  const close = () => {
    closing ??= (async () => {
      transport.close(CloseCode.GoingAway, 'server shutting down')
      const httpClosed = new Promise<void>((resolve) => httpServer.close(() => resolve()))
      httpServer.closeIdleConnections()
      await rooms.closeAll(CloseCode.GoingAway, 'server shutting down')
      await store.close()
      db.close()
      httpServer.closeAllConnections()
      await httpClosed
      logger.info('Lever stopped')
    })()
    return closing
  }

  return { config, url, port, app, db, store, rooms, plans, jurisdictions, transport, logger, close }
}
