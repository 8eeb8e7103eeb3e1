import fs from 'node:fs'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { createAdaptorServer } from '@hono/node-server'
import { CloseCode, layoutVersionOf, threadDocName } from '@lever/shared'
import type { Database } from 'better-sqlite3'
import type { Hono } from 'hono'
import { AuthService, DEMO_PASSWORD } from './auth/AuthService.ts'
import { InviteService } from './auth/invites.ts'
import { OriginPolicy } from './auth/OriginPolicy.ts'
import { SignInThrottle } from './auth/SignInThrottle.ts'
import { SessionService } from './auth/sessions.ts'
import { TrustedDevices } from './auth/TrustedDevices.ts'
import { UserService } from './auth/users.ts'
import { ClientRegistry } from './collab/ClientRegistry.ts'
import { CollabAccess, type RecheckScope } from './collab/CollabAccess.ts'
import { DocumentTypes } from './collab/documentTypes.ts'
import type { RedisFanOut } from './collab/RedisFanOut.ts'
import type { Room } from './collab/Room.ts'
import { RoomManager } from './collab/RoomManager.ts'
import { accessModePolicy } from './collab/updatePolicy.ts'
import { WorkBudgets } from './collab/WorkBudgets.ts'
import { warmUpYjs } from './collab/warmUp.ts'
import { CollabTransport } from './collab/wsTransport.ts'
import { defaultConfig, type ServerConfig } from './config.ts'
import { openDatabase } from './db/openDatabase.ts'
import { type Db, postgresQueries, sqliteQueries } from './db/queries.ts'
import { groupCommitRunner, sqliteImmediateRunner, transactionRunner } from './db/queryScripts.ts'
import { BreakoutService } from './domain/breakouts.ts'
import { CoachingLog } from './domain/coaching.ts'
import { CohortSessionService } from './domain/cohortSessions.ts'
import { JURISDICTIONS_SEED_FILE, JurisdictionService } from './domain/jurisdictions.ts'
import { BorrowLog } from './domain/planCopies.ts'
import { planDocumentType } from './domain/planDocuments.ts'
import { PlanService } from './domain/plans.ts'
import { draftDocumentType, sessionDocumentType } from './domain/sessionDocuments.ts'
import { TemplateService, templateDocumentType } from './domain/templates.ts'
import { PlanThreads } from './domain/threadDocuments.ts'
import { ThreadIndex } from './domain/threadIndex.ts'
import { ExportService } from './export/ExportService.ts'
import { PdfPrinter } from './export/PdfPrinter.ts'
import { createHttpApp } from './http/app.ts'
import { authRoutes } from './http/authRoutes.ts'
import { coachingRoutes } from './http/coachingRoutes.ts'
import type { AppEnv } from './http/env.ts'
import { exportRoutes } from './http/exportRoutes.ts'
import { homeRoutes } from './http/homeRoutes.ts'
import { inboxRoutes } from './http/inboxRoutes.ts'
import { jurisdictionRoutes } from './http/jurisdictionRoutes.ts'
import { isLibraryUpload, libraryRoutes, planLibraryRoutes } from './http/libraryRoutes.ts'
import { notificationRoutes } from './http/notificationRoutes.ts'
import { peopleRoutes } from './http/peopleRoutes.ts'
import { planRoutes } from './http/planRoutes.ts'
import { RequestsInFlight } from './http/requestsInFlight.ts'
import { searchRoutes } from './http/searchRoutes.ts'
import { draftRoutes, sessionRoutes } from './http/sessionRoutes.ts'
import { planCopyRoutes, templateRoutes } from './http/templateRoutes.ts'
import { threadRoutes } from './http/threadRoutes.ts'
import { userRoutes } from './http/userRoutes.ts'
import { versionRoutes } from './http/versionRoutes.ts'
import { EVIDENCE_SEED_FILE, EvidenceLibrary, loadEvidenceSeed } from './library/EvidenceLibrary.ts'
import { ResourceLibrary } from './library/ResourceLibrary.ts'
import { createLogger, type Logger } from './logger.ts'
import { commentNotifierHook } from './notify/CommentNotifier.ts'
import { sendDigests } from './notify/digest.ts'
import { inviteEmail } from './notify/emails.ts'
import { InboxEvents } from './notify/InboxEvents.ts'
import { Mailer } from './notify/Mailer.ts'
import { NotificationPrefs } from './notify/NotificationPrefs.ts'
import { backupDatabase, PID_FILE } from './ops/backup.ts'
import { Metrics } from './ops/Metrics.ts'
import { closedPeriodRule } from './progress/checkInWriteRule.ts'
import { PlanProjection } from './progress/PlanProjection.ts'
import { ProjectionRefresher } from './progress/ProjectionRefresher.ts'
import { cohortProgressRoutes, planDashboardRoutes } from './progress/progressRoutes.ts'
import { ReportingCalendarService } from './progress/ReportingCalendarService.ts'
import { SearchIndex } from './search/SearchIndex.ts'
import { searchIndexHook } from './search/searchHook.ts'
import { seedDemoContent } from './seed/demoContent.ts'
import { seedTemplates } from './seed/templates.ts'
import type { DocStore } from './storage/DocStore.ts'
import { MemoryDocStore } from './storage/MemoryDocStore.ts'
import { MeteredDocStore } from './storage/MeteredDocStore.ts'
import { ReportingDocStore } from './storage/ReportingDocStore.ts'
import { SqliteDocStore } from './storage/SqliteDocStore.ts'
import { StorageAlarm } from './storage/StorageAlarm.ts'
import { loadStoredDoc } from './storage/storedDoc.ts'
import { VersionRecorder } from './versions/VersionRecorder.ts'
import { VersionService } from './versions/VersionService.ts'
import { VersionStore } from './versions/VersionStore.ts'

/** The kinds of change pages are told of (`/api/<kind>/…`), so their lists refresh. */
const LIVE_TOPICS = new Set([
  'jurisdictions',
  'plans',
  'sessions',
  'drafts',
  'users',
  'cohort',
  'library',
  'templates',
  'coaching',
])

export interface CreateServerOptions
  extends Partial<Omit<ServerConfig, 'collab' | 'http' | 'auth' | 'versions' | 'export' | 'library' | 'metrics'>> {
  export?: Partial<ServerConfig['export']>
  library?: Partial<ServerConfig['library']>
  metrics?: Partial<ServerConfig['metrics']>
  collab?: Partial<ServerConfig['collab']>
  versions?: Partial<ServerConfig['versions']>
  http?: Partial<ServerConfig['http']>
  auth?: Partial<ServerConfig['auth']>
  logger?: Logger
  /**
   * Warm up the document code (`warmUpYjs`) just before the port opens, so the first documents
   * loaded after a start load as fast as later ones. `main` does; tests need not.
   */
  warmUp?: boolean
}

export interface LeverServer {
  readonly config: ServerConfig
  /** `http://host:port` the server listens on. */
  readonly url: string
  readonly port: number
  /** Where Prometheus scrapes this server (`METRICS_PORT`), or null when metrics are not served. */
  readonly metricsUrl: string | null
  readonly app: Hono<AppEnv>
  /** The SQLite database (null with DATABASE_URL: everything is in PostgreSQL then). */
  readonly db: Database | null
  /** Every table but the document log, on SQLite or PostgreSQL (see db/queries.ts). */
  readonly queries: Db
  readonly store: DocStore
  readonly rooms: RoomManager
  readonly plans: PlanService
  readonly jurisdictions: JurisdictionService
  readonly auth: AuthService
  readonly access: CollabAccess
  /** Version history of plans (`loadVersionDoc` gives a stored version as a Y.Doc). */
  readonly versions: VersionStore
  /** Per-plan figures for dashboards and the cohort overview, refreshed after changes. */
  readonly figures: ProjectionRefresher
  readonly reportingCalendar: ReportingCalendarService
  /** On an empty database without DEMO: the one-time link that lets the first facilitator in. */
  readonly firstStartUrl: string | null
  readonly transport: CollabTransport
  /** The document kinds and the hooks that see every load and durable change. */
  readonly documents: DocumentTypes
  /** Which person writes with which Yjs client id, per document. */
  readonly clients: ClientRegistry
  /** Builds and renders plan and cohort exports. */
  readonly exports: ExportService
  /** The plans' comment threads (thread documents per visibility, their index). */
  readonly threads: PlanThreads
  /** Plan and initiative templates, and the versions of their content. */
  readonly templates: TemplateService
  /** The library: evidence entries and resources. */
  readonly library: { evidence: EvidenceLibrary; resources: ResourceLibrary }
  readonly logger: Logger
  /** Email notifications: the daily digest on demand, and pending comment checks run now (tests). */
  readonly notifications: {
    sendDigests(now?: Date): Promise<number>
    flush(): Promise<void>
  }
  /** Answers "not ready" from now on (`/api/ready` 503) while still serving: the start of a shutdown. */
  drain(): void
  /** Takes a checked online backup now (SQLite); resolves with the file written. */
  backup(): Promise<string>
  /** HTTP requests being answered now. */
  requestsInFlight(): number
  /**
   * Stops accepting connections, lets the requests under way finish (up to
   * `shutdownRequestGraceMs`), closes rooms after their writes, closes the database.
   */
  close(): Promise<void>
}

/** The composition root: wires storage, rooms, transport and HTTP, and starts listening. */
export async function createServer(options: CreateServerOptions = {}): Promise<LeverServer> {
  const config: ServerConfig = {
    ...defaultConfig,
    ...options,
    collab: { ...defaultConfig.collab, ...options.collab },
    http: { ...defaultConfig.http, ...options.http },
    versions: { ...defaultConfig.versions, ...options.versions },
    auth: { ...defaultConfig.auth, ...options.auth },
    export: { ...defaultConfig.export, ...options.export },
    library: { ...defaultConfig.library, ...options.library },
    metrics: { ...defaultConfig.metrics, ...options.metrics },
  }
  const logger = options.logger ?? createLogger(config.logLevel)
  // With DATABASE_URL every table lives in PostgreSQL and no SQLite database is opened; without
  // it, SQLite in the data folder. Either way every table but the document log is read and written
  // through the one query layer (see db/queries.ts).
  const postgres = config.databaseUrl
    ? await postgresQueries(config.databaseUrl, {
        onPoolError: (error) => logger.warn({ err: error }, 'a PostgreSQL connection failed while idle'),
      })
    : null
  const db: Database | null = postgres
    ? null
    : openDatabase({
        dataDir: config.store === 'memory' ? ':memory:' : config.dataDir,
        synchronous: config.synchronous,
      })
  if (!db) fs.mkdirSync(config.dataDir, { recursive: true }) // uploads and the process id file
  const queries = postgres?.db ?? sqliteQueries(db as Database)
  const storageAlarm = new StorageAlarm(logger)
  // Counted whether or not they are served: an increment costs next to nothing.
  // Read when scraped, once the rooms exist.
  const metrics: Metrics = new Metrics({ rooms: (): Room[] => rooms.all() })
  const onCommit = (size: number) => metrics.committed(size)
  const sqliteStore = !db || config.store === 'memory' ? null : new SqliteDocStore(db, { onCommit })
  // The PostgreSQL and Redis drivers load only when they are configured.
  const documentStore: DocStore = config.databaseUrl
    ? await (await import('./storage/PostgresDocStore.ts')).PostgresDocStore.open(config.databaseUrl, {
        onCommit,
        onPoolError: (error) => logger.warn({ err: error }, 'a PostgreSQL connection failed while idle'),
      })
    : (sqliteStore ?? new MemoryDocStore())
  const store: DocStore = new MeteredDocStore(new ReportingDocStore(documentStore, storageAlarm), metrics)
  const origins = new OriginPolicy(config.publicUrl ?? config.mail.publicUrl ?? undefined, config.auth.extraOrigins)

  const jurisdictions = new JurisdictionService(queries)
  const seeded = await jurisdictions.seed()
  if (seeded > 0) logger.info({ count: seeded }, 'seeded jurisdictions')
  const plans = new PlanService(queries, store)
  const threads = new ThreadIndex(queries)
  const sessions = new CohortSessionService(queries)
  const seededSessions = await sessions.seedCurriculum()
  if (seededSessions > 0) logger.info({ count: seededSessions }, 'seeded the curriculum calendar')
  const breakouts = new BreakoutService(queries)
  const templates = new TemplateService(queries, store)
  const seededTemplates = await seedTemplates(templates)
  if (seededTemplates > 0) logger.info({ count: seededTemplates }, 'seeded the shipped templates')
  const borrows = new BorrowLog(queries)
  const coaching = new CoachingLog(queries)
  const evidence = new EvidenceLibrary(queries)
  const seededEvidence = await evidence.seed(loadEvidenceSeed(config.library.evidenceSeedFile ?? EVIDENCE_SEED_FILE))
  if (seededEvidence.added + seededEvidence.updated > 0) logger.info(seededEvidence, 'loaded the evidence library')
  const resources = new ResourceLibrary(queries, config.library.uploadDir ?? path.join(config.dataDir, 'uploads'))
  const search = new SearchIndex(queries)
  await search.indexJurisdictions(await jurisdictions.list())
  const rebuilt = await search.rebuildIfStale(
    (await plans.listAll()).map((p) => p.id),
    async (docName) => loadStoredDoc(store, docName),
  )
  if (rebuilt > 0) logger.info({ plans: rebuilt }, 'rebuilt the search index')
  // Rows derived from documents share the group commit of the updates instead of an fsync each
  // (scripts of queries, see db/queryScripts.ts).
  const derivedScripts = db ? groupCommitRunner(db, sqliteStore) : transactionRunner(queries)
  const planThreads = new PlanThreads({ queries, plans, store, index: threads, logger, write: derivedScripts })
  const searchHook = searchIndexHook(search, store, logger, derivedScripts)
  const mailer = new Mailer(config.mail.smtpUrl, config.mail.from, logger)
  const prefs = new NotificationPrefs(queries)
  const inboxEvents = new InboxEvents(threads, plans)
  // Links in emails: the configured public address, else the address this server listens on.
  let baseUrl = config.mail.publicUrl ?? ''

  const auth = new AuthService(
    new UserService(queries),
    new SessionService(queries, { idleTtlMs: config.auth.sessionIdleTtlMs, maxAgeMs: config.auth.sessionMaxAgeMs }),
    new InviteService(queries, config.auth.inviteTtlMs),
    new SignInThrottle(queries, config.auth.throttle),
    new TrustedDevices(queries, { ttlMs: config.auth.trustedDeviceTtlMs, maxPerUser: 20 }),
    { scrypt: { N: config.auth.scryptN, r: 8, p: 1 } },
    logger,
  )
  let firstStartToken: string | null = null
  if (config.auth.demo) {
    const added = await auth.seedDemo(JURISDICTIONS_SEED_FILE)
    if (added > 0) logger.info({ count: added }, 'seeded demo people (password: demo-password)')
    if (config.auth.demoContent) {
      const content = await seedDemoContent({
        users: auth.users,
        plans,
        sessions,
        breakouts,
        store,
        threads,
        passwordHash: await auth.hashPassword(DEMO_PASSWORD),
        jurisdictions: (await jurisdictions.list()).map((j) => ({ slug: j.id, name: j.name })),
      })
      logger.info(content, 'seeded demo content')
    }
  } else {
    firstStartToken = await auth.ensureFirstFacilitator(config.auth.adminEmail)
  }

  const documents = new DocumentTypes((hook, error) => logger.error({ err: error, hook }, 'a document hook failed'))
  // Versions stored once across servers: SQLite's write lock taken first (see VersionStore.addOnce).
  // On SQLite, "check, then store once" holds the write lock (BEGIN IMMEDIATE); on PostgreSQL the
  // store's own transaction takes an advisory lock on the plan.
  const versionStore = new VersionStore(queries, {
    ...(db ? { locked: sqliteImmediateRunner(db) } : {}),
    maxBytesPerPlan: config.versions.maxBytesPerPlan,
  })
  const versionRecorder = new VersionRecorder({
    store: versionStore,
    logger,
    timing: { idleMs: config.versions.idleMs, maxIntervalMs: config.versions.maxIntervalMs },
    retention: { keepAllMs: config.versions.keepAllMs, keepDailyMs: config.versions.keepDailyMs },
    write: derivedScripts,
  })
  documents.addHook(versionRecorder.hook)

  const reportingCalendar = new ReportingCalendarService(queries)
  // The closed-period write rule answers from memory: the calendar is read before serving.
  await reportingCalendar.load()
  // A client id's claim is written in the same group commit as the update that introduced it.
  const clients = new ClientRegistry(queries, derivedScripts, {
    onWriteFailed: (error, claims, retrying) => {
      if (storageAlarm.report(error)) return
      if (retrying) logger.warn({ err: error, claims }, 'could not store client ids; writing them again')
      else logger.error({ err: error, claims }, 'could not store client ids; given up until they are used again')
    },
  })
  // One share of the main thread per person, for their live edits and their costly requests alike.
  const workBudgets = new WorkBudgets(config.collab.workBudget)
  const rooms: RoomManager = new RoomManager({
    store,
    logger,
    meter: metrics,
    updatePolicy: accessModePolicy,
    // Each document kind's write rules (for plans, closed check-in periods are among them).
    policyFor: (docName) => documents.policyFor(docName),
    clients,
    limits: config.collab.limits,
    workBudgets,
    maxDocumentBytes: config.collab.maxDocumentBytes,
    unloadGraceMs: config.collab.unloadGraceMs,
    compaction: { maxRows: config.collab.compactMaxRows, maxBytes: config.collab.compactMaxBytes },
    onLoaded: (room) => documents.onLoad(room),
    onDurableChange: (room, change) => {
      metrics.change(change.origin.kind, change.update.byteLength)
      documents.onChange(room, change)
    },
    onUnloaded: (docName) => documents.onUnload(docName),
  })

  planThreads.attach(rooms)

  const versions = new VersionService({
    store: versionStore,
    recorder: versionRecorder,
    rooms,
    clients,
    nameOf: async (userId) => (await auth.users.get(userId))?.name ?? null,
  })

  const access = new CollabAccess({ auth, documents, rooms, logger, origins })
  // Several servers on one PostgreSQL: changes and presence reach the others through Redis.
  let fanOut: RedisFanOut | null = null
  /** After a permission change: re-checks the open connections here and on every other server. */
  const recheckHere = (scope?: RecheckScope) => {
    access.recheck(scope).catch((err: unknown) => logger.error({ err }, 're-checking open connections failed'))
  }
  const accessChanged = (scope: RecheckScope) => {
    recheckHere(scope)
    fanOut?.announceRecheck(scope)
  }
  // Signing out, revoking, a password change: that person's live connections close at once.
  auth.sessions.onEnded((userId) => accessChanged({ userId }))
  const recheckDrafts = (draftIds: string[]) => {
    for (const id of new Set(draftIds)) accessChanged({ docName: `draft:${id}` })
  }
  documents
    .register(
      planDocumentType(
        plans,
        planThreads,
        logger,
        (planId) => {
          // Peers read the plan and its threads for everyone; the team's threads are not theirs anyway.
          accessChanged({ docName: `plan:${planId}` })
          accessChanged({ docName: threadDocName(planId, 'all') })
        },
        derivedScripts,
        [closedPeriodRule((period) => reportingCalendar.isClosed(period))],
      ),
    )
    .register(planThreads.documentType('team'))
    .register(planThreads.documentType('all'))
    .addHook(planThreads.indexHook)
    .register(sessionDocumentType(sessions, breakouts, logger, recheckDrafts))
    .register(draftDocumentType(breakouts))
    .register(templateDocumentType(templates, logger))
    .addHook(searchHook)
  const notifier = mailer.enabled
    ? commentNotifierHook({ queries, store, plans, users: auth.users, prefs, mailer, baseUrl: () => baseUrl, logger })
    : null
  if (notifier) documents.addHook(notifier)
  const digestDeps = { users: auth.users, plans, threads, prefs, mailer, logger }
  // Every server checks for digests due; each person's digest is claimed in the database first
  // (see sendDigests), so with several servers it is still sent once.
  const digestTimer = mailer.enabled
    ? setInterval(
        () => void sendDigests(digestDeps, baseUrl).catch((err) => logger.error({ err }, 'digest failed')),
        config.mail.digestCheckMs,
      )
    : null
  digestTimer?.unref()
  const projection = new PlanProjection(queries)
  const figures = new ProjectionRefresher({
    projection,
    calendar: reportingCalendar,
    store,
    rooms,
    logger,
    debounceMs: config.collab.figuresDebounceMs,
    write: derivedScripts,
  })
  documents.addHook(figures.hook)
  if (config.redisUrl) {
    if (!config.databaseUrl) throw new Error('REDIS_URL needs DATABASE_URL: servers share documents through PostgreSQL')
    const { RedisFanOut } = await import('./collab/RedisFanOut.ts')
    fanOut = new RedisFanOut({
      url: config.redisUrl,
      rooms,
      store,
      logger,
      meter: metrics,
      onRecheck: (scope) => recheckHere(scope),
    })
    documents.addHook(fanOut.hook)
    const started = fanOut
    await started.ready().catch(async (error: unknown) => {
      await started.close()
      await store.close()
      throw error
    })
  }
  // Every server sweeps: the deletes are of expired rows only, the same whichever server runs them.
  const sweep = setInterval(() => {
    const sweepExpired = async () => {
      await auth.sessions.sweep()
      await auth.throttle.sweep()
      await auth.devices.sweep()
    }
    sweepExpired().catch((error: unknown) => {
      if (!storageAlarm.report(error)) logger.error({ err: error }, 'sweeping expired sessions failed')
    })
    // Every connection here, against the rows as they are now: with several servers, this also
    // catches a permission change whose announcement through Redis was lost (see RedisFanOut).
    recheckHere()
  }, 60_000)
  sweep.unref()

  // Plans stored with their threads inside (the first layout) hand them to their thread documents
  // now, once, so the inbox, search and notifications (which read thread documents) miss none.
  const upgraded = await planThreads.upgradeStoredPlans()
  if (upgraded > 0) logger.info({ plans: upgraded }, 'moved comment threads out of stored plans')

  const transport = new CollabTransport({
    rooms,
    authorize: access.authorize,
    logger,
    maxMessageBytes: config.collab.maxMessageBytes,
    heartbeatMs: config.collab.heartbeatMs,
    maxBufferedBytes: config.collab.maxBufferedBytes,
    maxConnectionsPerPerson: config.collab.maxConnectionsPerPerson,
    layoutVersionOf: (kind) => config.collab.layoutVersions?.[kind] ?? layoutVersionOf(kind),
    meter: metrics,
  })

  // This server's own state (a load balancer asks each server): nothing to share.
  let readiness: 'starting' | 'ready' | 'draining' = 'starting'
  const backupDir = config.backup.dir ?? path.join(config.dataDir, 'backups')
  const backup = async (): Promise<string> => {
    if (!db || config.store !== 'sqlite') {
      throw new Error('backups here are of the SQLite database: back PostgreSQL up with pg_dump (see the README)')
    }
    const result = await backupDatabase(db, backupDir, config.backup.keep, new Date(), resources.uploadDir)
    logger.info({ file: result.file, bytes: result.bytes, uploads: result.uploads }, 'backup written')
    if (result.missingUploads.length > 0) {
      logger.warn({ missing: result.missingUploads.length }, 'uploaded files the backup refers to were missing')
    }
    return result.file
  }
  // Scheduled backups are of SQLite: one server, its own database.
  const backupTimer =
    config.backup.intervalMs && config.store === 'sqlite'
      ? setInterval(
          () => void backup().catch((err) => logger.error({ err }, 'scheduled backup failed')),
          config.backup.intervalMs,
        )
      : null
  backupTimer?.unref()
  const printer = new PdfPrinter({
    executablePath: config.export.chromiumPath,
    idleMs: config.export.pdfIdleMs,
    logger,
  })
  // Version history plugs in here (`versions: …`): until then every `?version=` is unknown.
  const exports = new ExportService({
    rooms,
    plans,
    jurisdictions,
    printer,
    threads: planThreads,
    // Exports of a stored version (?version=<id>) read it from the version history.
    versions: { load: (planId, versionId) => versionStore.loadVersionDoc(planId, versionId) },
  })
  const exportRouters = exportRoutes({ plans, exports, logger })

  const app = createHttpApp({
    readiness: () => ({ ready: readiness === 'ready', state: readiness }),
    logger,
    staticDir: config.staticDir,
    maxBodyBytes: config.http.maxBodyBytes,
    ownBodyLimit: isLibraryUpload,
    auth,
    origins,
    storage: storageAlarm,
    mount: (api) => {
      // After a successful change through the API, every open page hears which kind of thing changed.
      api.use('*', async (c, next) => {
        await next()
        if (c.req.method === 'GET' || c.req.method === 'HEAD' || c.res.status >= 400) return
        const topic = /^\/api\/([a-z-]+)/.exec(c.req.path)?.[1]
        if (topic && LIVE_TOPICS.has(topic)) inboxEvents.changed(topic)
      })
      api.route(
        '/',
        authRoutes(auth, {
          sessionMaxAgeSeconds: Math.floor(config.auth.sessionMaxAgeMs / 1000),
          trustedDeviceMaxAgeSeconds: Math.floor(config.auth.trustedDeviceTtlMs / 1000),
          origins,
          trustProxy: config.trustProxy,
        }),
      )
      api.route('/jurisdictions', jurisdictionRoutes({ jurisdictions, plans }))
      api.route('/plans', planRoutes({ plans, users: auth.users }))
      api.route('/plans', threadRoutes({ plans, threads: planThreads }))
      api.route('/plans', versionRoutes({ plans, versions, workBudgets }))
      api.route('/inbox', inboxRoutes({ plans, threads, onRead: (userId) => inboxEvents.userChanged(userId) }))
      api.route('/notifications', notificationRoutes({ prefs, events: inboxEvents, mailEnabled: mailer.enabled }))
      api.route('/search', searchRoutes({ plans, index: search }))
      api.route(
        '/library',
        libraryRoutes({ evidence, plans, resources, uploadMaxBytes: config.library.uploadMaxBytes }),
      )
      api.route('/plans', planLibraryRoutes({ rooms, plans, evidence }))
      const progressDeps = { plans, projection, refresher: figures, calendar: reportingCalendar }
      api.route('/plans', planDashboardRoutes(progressDeps))
      api.route('/cohort', cohortProgressRoutes(progressDeps))
      api.route('/home', homeRoutes({ plans, jurisdictions, threads, rooms, users: auth.users }))
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
        onSessionEnding: (session: { title: string }) => versionRecorder.sessionEnding(session),
      }
      api.route('/sessions', sessionRoutes(sessionDeps))
      api.route('/drafts', draftRoutes(sessionDeps))
      api.route('/people', peopleRoutes({ users: auth.users }))
      const copyDeps = { rooms, plans, templates, jurisdictions, borrows }
      api.route('/templates', templateRoutes(copyDeps))
      api.route('/plans', planCopyRoutes(copyDeps))
      api.route('/coaching', coachingRoutes({ coaching, jurisdictions, users: auth.users }))
      api.route(
        '/users',
        userRoutes({
          auth,
          origins,
          onAccessChanged: (userId) => accessChanged({ userId }),
          emailInvite: mailer.enabled
            ? (user, url, invitedBy) => mailer.send(inviteEmail(user.email, user.name, url, invitedBy))
            : undefined,
        }),
      )
    },
  })

  if (options.warmUp) {
    // Last before the port opens: what runs in between (migrations, the demo seed) would
    // otherwise have time to let the compiled code age out again.
    const warmUpStarted = performance.now()
    warmUpYjs()
    logger.debug({ ms: Math.round(performance.now() - warmUpStarted) }, 'document code warmed up')
  }
  const httpServer = createAdaptorServer({ fetch: app.fetch }) as Server
  const requests = new RequestsInFlight()
  requests.attach(httpServer)
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
  logger.info(
    {
      url,
      dataDir: config.store === 'memory' ? ':memory:' : config.dataDir,
      documents: config.databaseUrl ? 'postgresql' : config.store,
      fanOut: config.redisUrl ? 'redis' : 'none',
    },
    'Lever is listening',
  )
  origins.listeningOn(config.host, port)
  if (!(config.publicUrl ?? config.mail.publicUrl) && (config.host === '0.0.0.0' || config.host === '::')) {
    logger.warn(
      'PUBLIC_URL is not set: set it to the address people use to reach Lever (e.g. https://lever.example.org)',
    )
  }
  baseUrl ||= origins.publicOrigin
  const metricsServer =
    config.metrics.port === null ? null : await metrics.serve(config.metrics.port, config.metrics.host, logger)
  const pidFile = config.store === 'sqlite' ? path.join(config.dataDir, PID_FILE) : null
  if (pidFile) fs.writeFileSync(pidFile, `${process.pid}\n`)
  readiness = 'ready'
  const firstStartUrl = firstStartToken ? `${origins.publicOrigin}/invite/${firstStartToken}` : null
  if (firstStartUrl) {
    logger.warn(
      { url: firstStartUrl, email: config.auth.adminEmail },
      `First start: no one can sign in yet. Open this one-time link to set the facilitator's password: ${firstStartUrl}`,
    )
  }

  // Plans without figures (never opened since the projection existed) are computed in the background.
  figures.backfill().catch((err: unknown) => logger.warn({ err }, 'could not compute the missing plan figures'))
  // Changes to the calendar made through other servers sharing the database reach this one's copy.
  reportingCalendar.startRefreshing((error) => logger.warn({ err: error }, 'could not read the reporting calendar'))
  figures.startDailyRefresh()

  let closing: Promise<void> | null = null
  const close = () => {
    closing ??= (async () => {
      clearInterval(sweep)
      if (backupTimer) clearInterval(backupTimer)
      readiness = 'draining'
      if (digestTimer) clearInterval(digestTimer)
      // No new connections; the requests being answered finish (bounded) before anything they
      // use closes: an accepted request gets its real answer, not a 500 from a closed database.
      const httpClosed = new Promise<void>((resolve) => httpServer.close(() => resolve()))
      httpServer.closeIdleConnections()
      if (requests.size > 0) logger.info({ requests: requests.size }, 'waiting for requests in flight')
      if (!(await requests.finished(config.shutdownRequestGraceMs))) {
        logger.warn({ requests: requests.size }, 'requests still in flight at shutdown were cut off')
      }
      // Past the grace, no HTTP connection stays: a request whose headers arrive while the
      // storage closes below would otherwise run against it (upgraded sockets are left alone).
      httpServer.closeAllConnections()
      await reportingCalendar.stopRefreshing()
      versionRecorder.close()
      await figures.flush()
      figures.close()
      transport.close(CloseCode.GoingAway, 'server shutting down')
      await printer.close()
      await rooms.closeAll(CloseCode.GoingAway, 'server shutting down')
      await versionRecorder.flush()
      await fanOut?.close()
      await searchHook.flush()
      await planThreads.indexHook.flush()
      await notifier?.flush()
      mailer.close()
      await metricsServer?.close()
      await store.close()
      await clients.flush()
      db?.close()
      await postgres?.close()
      if (pidFile) fs.rmSync(pidFile, { force: true })
      // Everything is stored: a WebSocket whose client has not answered the close frame by now
      // is cut (closeAllConnections leaves upgraded sockets alone), so no client holds the exit.
      transport.terminate()
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
    metricsUrl: metricsServer?.url ?? null,
    app,
    db,
    queries,
    store,
    rooms,
    plans,
    jurisdictions,
    auth,
    access,
    versions: versionStore,
    figures,
    reportingCalendar,
    firstStartUrl,
    transport,
    documents,
    clients,
    exports,
    threads: planThreads,
    templates,
    library: { evidence, resources },
    logger,
    drain: () => {
      readiness = 'draining'
    },
    requestsInFlight: () => requests.size,
    backup,
    notifications: {
      sendDigests: (now) => sendDigests(digestDeps, baseUrl, now),
      flush: async () => {
        await notifier?.flush()
      },
    },
    close,
  }
}
