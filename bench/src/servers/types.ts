/** The servers the benchmark compares, and what the workloads need to know about each. */

export const SERVER_KINDS = ['lever', 'y-websocket', 'hocuspocus', 'hocuspocus-sqlite', 'lever-baseline'] as const
export type ServerKind = (typeof SERVER_KINDS)[number]

export const SERVER_LABELS: Record<ServerKind, string> = {
  lever: 'Lever',
  'y-websocket': 'y-websocket-server (memory)',
  hocuspocus: 'Hocuspocus (memory)',
  'hocuspocus-sqlite': 'Hocuspocus + SQLite',
  'lever-baseline': 'Lever, baseline checkout',
}

/** The servers a run compares unless told otherwise (the baseline needs a second checkout). */
export const DEFAULT_SERVER_KINDS: readonly ServerKind[] = ['lever', 'y-websocket', 'hocuspocus', 'hocuspocus-sqlite']

/** Kinds that are Lever (this checkout or another one): same entry point, same settings. */
export const isLever = (kind: ServerKind): boolean => kind === 'lever' || kind === 'lever-baseline'

/** How a client reaches a server; sent to the client processes, so it is plain data. */
export interface ClientTarget {
  /** `y-websocket`: the stock WebsocketProvider; `hocuspocus`: HocuspocusProvider. */
  protocol: 'y-websocket' | 'hocuspocus'
  /** y-websocket providers append `/<docName>`; Hocuspocus names the document in each message. */
  url: string
  /** Query parameters for every connection (Lever's `token`). */
  params: Record<string, string>
  /**
   * True when a new document is empty and the benchmark's first client writes a plan's standard
   * structure into it (the peers); Lever's server writes it itself when a plan is created.
   */
  seedPlans: boolean
  /** The name a presence must carry (Lever checks it against the signed-in person), if any. */
  presenceName: string | null
}

export interface StartOptions {
  /** Directory for whatever the server stores; reused across restarts of one scenario. */
  dataDir: string
  /** Extra environment for the server process (Lever's compaction thresholds, for one). */
  env?: Record<string, string>
}

/** One running server process. */
export interface ServerUnderTest {
  readonly kind: ServerKind
  readonly pid: number
  readonly target: ClientTarget
  /** The last lines the server printed (its log), for diagnosing a failed run. */
  recentOutput(): string
  /** Creates `count` documents clients may open, returning their names. */
  createDocs(count: number): Promise<string[]>
  /** Graceful stop (SIGTERM): the server may flush what it stores. */
  stop(): Promise<void>
  /** `kill -9`: the server gets no chance to flush anything. */
  kill(): Promise<void>
  /** A full garbage collection in the server process (every server here runs on Node). */
  collectGarbage(): Promise<void>
}

/** Rows and bytes a server holds on disk for one document. */
export interface StoredSize {
  rows: number
  bytes: number
}

/** How each kind of server starts, and what it keeps on disk. */
export interface ServerDriver {
  kind: ServerKind
  /** Whether documents survive a restart at all. */
  persistent: boolean
  /** Whether it stores every update as it comes (a log to compact), rather than a merged state. */
  storesUpdateLog: boolean
  start(options: StartOptions): Promise<ServerUnderTest>
  /** What is stored for a document, read from the data directory while the server is stopped. */
  storedSize?(dataDir: string, docName: string): StoredSize
}
