import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createAdaptorServer } from '@hono/node-server'
import { CloseCode } from '@lever/shared'
import type { Database } from 'better-sqlite3'
import type { Hono } from 'hono'
import { AuthService } from './auth/AuthService.ts'
import { InviteService } from './auth/invites.ts'
import { SessionService } from './auth/sessions.ts'
import { UserService } from './auth/users.ts'
import { CollabAccess } from './collab/CollabAccess.ts'
import { DocumentTypes } from './collab/documentTypes.ts'
import { RoomManager } from './collab/RoomManager.ts'
import { accessModePolicy } from './collab/updatePolicy.ts'
import { CollabTransport } from './collab/wsTransport.ts'
import { defaultConfig, type ServerConfig } from './config.ts'
import { openDatabase } from './db/openDatabase.ts'
import { BreakoutService } from './domain/breakouts.ts'
import { CohortSessionService } from './domain/cohortSessions.ts'
import { JURISDICTIONS_SEED_FILE, JurisdictionService } from './domain/jurisdictions.ts'
import { planDocumentType } from './domain/planDocuments.ts'
import { PlanService } from './domain/plans.ts'
import { draftDocumentType, sessionDocumentType } from './domain/sessionDocuments.ts'
import { ThreadIndex } from './domain/threadIndex.ts'
import { ExportService } from './export/ExportService.ts'
import { PdfPrinter } from './export/PdfPrinter.ts'
import { createHttpApp } from './http/app.ts'
import { authRoutes } from './http/authRoutes.ts'
import type { AppEnv } from './http/env.ts'
import { exportRoutes } from './http/exportRoutes.ts'
import { inboxRoutes } from './http/inboxRoutes.ts'
import { jurisdictionRoutes } from './http/jurisdictionRoutes.ts'
import { planRoutes } from './http/planRoutes.ts'
import { draftRoutes, sessionRoutes } from './http/sessionRoutes.ts'
import { userRoutes } from './http/userRoutes.ts'
import { createLogger, type Logger } from './logger.ts'
import type { DocStore } from './storage/DocStore.ts'
import { MemoryDocStore } from './storage/MemoryDocStore.ts'
import { SqliteDocStore } from './storage/SqliteDocStore.ts'

export interface CreateServerOptions extends Partial<Omit<ServerConfig, 'collab' | 'http' | 'auth' | 'export'>> {
  export?: Partial<ServerConfig['export']>
  collab?: Partial<ServerConfig['collab']>
  http?: Partial<ServerConfig['http']>
  auth?: Partial<ServerConfig['auth']>
  logger?: Logger
}

export interface LeverServer {
  readonly config: ServerConfig
  /** `http://host:port` the server listens on. */
  readonly url: string
  readonly port: number
  readonly app: Hono<AppEnv>
  readonly db: Database
  readonly store: DocStore
  readonly rooms: RoomManager
  readonly plans: PlanService
  readonly jurisdictions: JurisdictionService
  readonly auth: AuthService
  readonly access: CollabAccess
  /** On an empty database without DEMO: the one-time link that lets the first facilitator in. */
  readonly firstStartUrl: string | null
  readonly transport: CollabTransport
  /** Builds and renders plan and cohort exports. */
  readonly exports: ExportService
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
    auth: { ...defaultConfig.auth, ...options.auth },
    export: { ...defaultConfig.export, ...options.export },
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
  const threads = new ThreadIndex(db)
  const sessions = new CohortSessionService(db)
  const seededSessions = sessions.seedCurriculum()
  if (seededSessions > 0) logger.info({ count: seededSessions }, 'seeded the curriculum calendar')
  const breakouts = new BreakoutService(db)

  const auth = new AuthService(
    new UserService(db),
    new SessionService(db, { idleTtlMs: config.auth.sessionIdleTtlMs, maxAgeMs: config.auth.sessionMaxAgeMs }),
    new InviteService(db, config.auth.inviteTtlMs),
    {
      scrypt: { N: config.auth.scryptN, r: 8, p: 1 },
      maxFailuresPerAccount: config.auth.maxFailuresPerAccount,
      maxAttemptsPerAddress: config.auth.maxAttemptsPerAddress,
      windowMs: config.auth.rateWindowMs,
    },
    logger,
  )
  let firstStartToken: string | null = null
  if (config.auth.demo) {
    const added = await auth.seedDemo(JURISDICTIONS_SEED_FILE)
    if (added > 0) logger.info({ count: added }, 'seeded demo people (password: demo-password)')
  } else {
    firstStartToken = auth.ensureFirstFacilitator(config.auth.adminEmail)
  }

  const documents = new DocumentTypes((hook, error) => logger.error({ err: error, hook }, 'a document hook failed'))

  const rooms = new RoomManager({
    store,
    logger,
    updatePolicy: accessModePolicy,
    unloadGraceMs: config.collab.unloadGraceMs,
    compaction: { maxRows: config.collab.compactMaxRows, maxBytes: config.collab.compactMaxBytes },
    onLoaded: (room) => documents.onLoad(room),
    onDurableChange: (room, change) => documents.onChange(room, change),
    onUnloaded: (docName) => documents.onUnload(docName),
  })

  const access = new CollabAccess({ auth, documents, rooms, logger, extraOrigins: config.auth.extraOrigins })
  const recheckDrafts = (draftIds: string[]) => {
    for (const id of new Set(draftIds)) access.recheck({ docName: `draft:${id}` })
  }
  documents
    .register(planDocumentType(db, plans, threads, logger, (planId) => access.recheck({ docName: `plan:${planId}` })))
    .register(sessionDocumentType(sessions, breakouts, logger, recheckDrafts))
    .register(draftDocumentType(sessions, breakouts))
  const sweep = setInterval(() => {
    auth.sessions.sweep()
    access.recheck()
  }, 60_000)
  sweep.unref()

  const transport = new CollabTransport({
    rooms,
    authorize: access.authorize,
    logger,
    maxMessageBytes: config.collab.maxMessageBytes,
    heartbeatMs: config.collab.heartbeatMs,
    maxBufferedBytes: config.collab.maxBufferedBytes,
  })

  const printer = new PdfPrinter({
    executablePath: config.export.chromiumPath,
    idleMs: config.export.pdfIdleMs,
    logger,
  })
  // Version history plugs in here (`versions: …`): until then every `?version=` is unknown.
  const exports = new ExportService({ rooms, plans, jurisdictions, printer })
  const exportRouters = exportRoutes({ plans, exports, logger })

  const app = createHttpApp({
    logger,
    staticDir: config.staticDir,
    maxBodyBytes: config.http.maxBodyBytes,
    auth,
    extraOrigins: config.auth.extraOrigins,
    mount: (api) => {
      api.route('/', authRoutes(auth, Math.floor(config.auth.sessionMaxAgeMs / 1000)))
      api.route('/jurisdictions', jurisdictionRoutes({ jurisdictions, plans }))
      api.route('/plans', planRoutes({ plans, users: auth.users }))
      api.route('/plans', exportRouters.plans)
      api.route('/cohort', exportRouters.cohort)
      api.route('/inbox', inboxRoutes({ plans, threads }))
      const sessionDeps = {
        sessions,
        breakouts,
        plans,
        users: auth.users,
        jurisdictions,
        rooms,
        documents,
        onDraftAccessChanged: recheckDrafts,
      }
      api.route('/sessions', sessionRoutes(sessionDeps))
      api.route('/drafts', draftRoutes(sessionDeps))
      api.route('/users', userRoutes({ auth, onAccessChanged: (userId) => access.recheck({ userId }) }))
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
  const publicUrl = `http://${config.host === '0.0.0.0' || config.host === '127.0.0.1' ? 'localhost' : config.host}:${port}`
  const firstStartUrl = firstStartToken ? `${publicUrl}/invite/${firstStartToken}` : null
  if (firstStartUrl) {
    logger.warn(
      { url: firstStartUrl, email: config.auth.adminEmail },
      `First start: no one can sign in yet. Open this one-time link to set the facilitator's password: ${firstStartUrl}`,
    )
  }

  let closing: Promise<void> | null = null
  const close = () => {
    closing ??= (async () => {
      clearInterval(sweep)
      transport.close(CloseCode.GoingAway, 'server shutting down')
      const httpClosed = new Promise<void>((resolve) => httpServer.close(() => resolve()))
      httpServer.closeIdleConnections()
      await printer.close()
      await rooms.closeAll(CloseCode.GoingAway, 'server shutting down')
      await store.close()
      db.close()
      httpServer.closeAllConnections()
      await httpClosed
      logger.info('Lever stopped')
    })()
    return closing
  }

  return {
    config,
    url,
    port,
    app,
    db,
    store,
    rooms,
    plans,
    jurisdictions,
    auth,
    access,
    firstStartUrl,
    transport,
    exports,
    logger,
    close,
  }
}
