import type { Db } from '../db/queries.ts'
import { first, type QueryScript, run, type ScriptRunner, transactionRunner } from '../db/queryScripts.ts'

/** The outcome of recording a Yjs client id for a person. */
export type ClaimResult = 'new' | 'known' | 'taken'

interface PendingClaim {
  docName: string
  clientId: number
  userId: string | null
  firstSeen: number
  /** Writes of this claim that failed so far. */
  failures: number
}

export interface ClientRegistryOptions {
  /** How long after a failed write its claims are written again (doubling per failure). */
  retryMs?: number
  /** Writes a claim gets before it is given up (forgotten, to be made again with its id's next update). */
  maxAttempts?: number
  /** Told when a write fails, with whether its claims will be written again. */
  onWriteFailed?: (error: unknown, claims: number, retrying: boolean) => void
}

/**
 * Who each Yjs client id of a document belongs to, recorded on first sight. Yjs attributes every
 * item to a client id; this table turns those into people (for version history's "who changed
 * what") and lets the server refuse a client id that another person already writes with.
 * `user_id` null means the server itself.
 *
 * A document's claims are read once, when its room loads (`load`), and kept in memory while it is
 * loaded: claims are decided on every update, and cost no query. A claim is decided at once, in
 * memory, and its row is written by `write`: in the server on SQLite, with the document store's
 * next group commit, the same transaction and the same fsync as the update that introduced the
 * client id, so the claim is durable before anyone sees that update and costs the update no write
 * of its own; on PostgreSQL in a transaction of its own. The claims of one tick are written
 * together. A claim whose write fails stays decided and is written again, after `retryMs` (doubling)
 * or with the next write, whichever comes first, up to `maxAttempts` writes.
 *
 * Kept in memory per server, and safe so: the rows are the truth shared between servers (a claim
 * another server stored first wins, see `writeNow`), and the memory only answers for documents
 * loaded here and for claims not yet written.
 */
export class ClientRegistry {
  /** Every client id of a loaded document: client id → user id (null: the server). */
  private readonly cache = new Map<string, Map<number, string | null>>()
  /** Documents whose claims are being read: the claims written meanwhile, added once read. */
  private readonly loading = new Map<string, { done: Promise<void>; written: PendingClaim[] }>()
  /** Claims decided but not yet written, per document. */
  private readonly unwritten = new Map<string, Map<number, PendingClaim>>()
  /** Claims waiting for the next write, in order. */
  private queue: PendingClaim[] = []
  private scheduled = false
  /** Writes under way (`flush` waits for them). */
  private readonly writing = new Set<Promise<void>>()
  private readonly write: ScriptRunner
  /** The next write of claims whose last write failed. */
  private retryTimer: NodeJS.Timeout | null = null
  private readonly retryMs: number
  private readonly maxAttempts: number

  /** `write`: how claims are written (default: a transaction of their own). */
  constructor(
    private readonly db: Db,
    write?: ScriptRunner,
    private readonly options: ClientRegistryOptions = {},
  ) {
    this.write = write ?? transactionRunner(db)
    this.retryMs = options.retryMs ?? 500
    this.maxAttempts = options.maxAttempts ?? 6
  }

  /**
   * Reads a document's claims into memory, before its room answers anyone (`claim` and `ownerOf`
   * need them). Idempotent while the document stays loaded.
   */
  load(docName: string): Promise<void> {
    if (this.cache.has(docName)) return Promise.resolve()
    const pending = this.loading.get(docName)
    if (pending) return pending.done
    const written: PendingClaim[] = []
    const done = this.readClaims(docName).then(
      (stored) => {
        this.loading.delete(docName)
        for (const c of written) stored.set(c.clientId, c.userId)
        // Claims still to be written (a write failed and is tried again) are not in the rows read:
        // known from now on, so they stay refused to others once their write lands. A row that
        // another server stored first stands (its write will find it so).
        for (const c of this.unwritten.get(docName)?.values() ?? []) {
          if (!stored.has(c.clientId)) stored.set(c.clientId, c.userId)
        }
        this.cache.set(docName, stored)
      },
      (error: unknown) => {
        this.loading.delete(docName)
        throw error
      },
    )
    this.loading.set(docName, { done, written })
    return done
  }

  /**
   * Records that `clientId` writes for `userId` in `docName` unless it is known already. Answers
   * `taken` when another person (or the server) already uses that client id there.
   */
  claim(docName: string, clientId: number, userId: string | null): ClaimResult {
    const owner = this.ownerOf(docName, clientId)
    if (owner !== undefined) return owner === userId ? 'known' : 'taken'
    const claim: PendingClaim = { docName, clientId, userId, firstSeen: Date.now(), failures: 0 }
    this.known(docName).set(clientId, userId)
    let unwritten = this.unwritten.get(docName)
    if (!unwritten) {
      unwritten = new Map()
      this.unwritten.set(docName, unwritten)
    }
    unwritten.set(clientId, claim)
    this.queue.push(claim)
    this.schedule()
    return 'new'
  }

  /** The person behind a client id (null: the server), or undefined when never seen. */
  ownerOf(docName: string, clientId: number): string | null | undefined {
    const known = this.known(docName)
    const owner = known.get(clientId)
    if (owner !== undefined || known.has(clientId)) return owner
    return this.unwritten.get(docName)?.get(clientId)?.userId
  }

  /** Every known client id of a document with its person. */
  async clientsOf(docName: string): Promise<Map<number, string | null>> {
    const clients = await this.readClaims(docName)
    for (const claim of this.unwritten.get(docName)?.values() ?? []) clients.set(claim.clientId, claim.userId)
    return clients
  }

  /**
   * Writes every claim not yet written (those waiting to be written again too), and waits for the
   * writes under way (shutdown, tests, tools).
   */
  async flush(): Promise<void> {
    if (this.queue.length > 0 && !this.scheduled) this.writeNow()
    while (this.writing.size > 0) await Promise.allSettled([...this.writing])
  }

  /** Claims decided and not yet stored (written now, or to be written again after a failure). */
  get pending(): number {
    let count = 0
    for (const claims of this.unwritten.values()) count += claims.size
    return count
  }

  /** Drops the cached answers of a document (its room unloaded); unwritten claims stay known. */
  forget(docName: string): void {
    this.cache.delete(docName)
  }

  private schedule(): void {
    if (!this.scheduled) this.writeNow()
  }

  /**
   * Writes the queued claims (those queued when the write runs: with the group commit, every
   * claim of the tick). If the write fails, nothing of it was stored: the claims stay decided
   * (another person still cannot take the id, and a client that resends its updates finds its
   * id known, so nothing would claim it again) and go back to the queue, written again with the
   * next write or after a delay. Past `maxAttempts` failed writes a claim is forgotten instead,
   * to be made again with its id's next update.
   */
  private writeNow(): void {
    // A write is on its way: it takes the queue when it runs.
    this.scheduled = true
    if (this.retryTimer) {
      clearTimeout(this.retryTimer)
      this.retryTimer = null
    }
    let taken: PendingClaim[] | null = null
    const written = this.write(() => {
      taken = this.takeQueued()
      return this.insertScript(taken)
    }).then(
      (conflicts) => {
        for (const c of taken ?? []) {
          this.loading.get(c.docName)?.written.push(c)
          this.settled(c)
        }
        // Another server sharing the database claimed one of these ids first: its row stands.
        for (const c of conflicts) {
          const known = this.cache.get(c.docName)
          if (known?.get(c.clientId) === c.userId) known.set(c.clientId, c.owner)
        }
      },
      (error: unknown) => {
        if (taken === null) taken = this.takeQueued()
        this.failed(taken, error)
      },
    )
    this.writing.add(written)
    void written.finally(() => this.writing.delete(written))
  }

  private takeQueued(): PendingClaim[] {
    this.scheduled = false
    const claims = this.queue
    this.queue = []
    return claims
  }

  /** Inserts claims (their rows win over nobody's); gives back those another writer had made first. */
  private *insertScript(claims: PendingClaim[]): QueryScript<Array<PendingClaim & { owner: string | null }>> {
    const conflicts: Array<PendingClaim & { owner: string | null }> = []
    for (const c of claims) {
      const added = yield* run(
        this.db
          .insertInto('doc_clients')
          .values({ doc_name: c.docName, client_id: c.clientId, user_id: c.userId, first_seen: c.firstSeen })
          .onConflict((oc) => oc.columns(['doc_name', 'client_id']).doNothing()),
      )
      if (added > 0) continue
      const stored = yield* first(
        this.db
          .selectFrom('doc_clients')
          .select('user_id')
          .where('doc_name', '=', c.docName)
          .where('client_id', '=', c.clientId),
      )
      if (stored && stored.user_id !== c.userId) conflicts.push({ ...c, owner: stored.user_id })
    }
    return conflicts
  }

  private settled(c: PendingClaim): void {
    const unwritten = this.unwritten.get(c.docName)
    if (unwritten?.get(c.clientId) !== c) return
    unwritten.delete(c.clientId)
    if (unwritten.size === 0) this.unwritten.delete(c.docName)
  }

  private failed(claims: PendingClaim[], error: unknown): void {
    const again: PendingClaim[] = []
    const givenUp: PendingClaim[] = []
    for (const c of claims) {
      // A claim settled or forgotten meanwhile is not this write's to keep.
      if (this.unwritten.get(c.docName)?.get(c.clientId) !== c) continue
      c.failures++
      if (c.failures < this.maxAttempts) again.push(c)
      else givenUp.push(c)
    }
    this.unrecord(givenUp)
    if (again.length > 0 || givenUp.length > 0) {
      this.options.onWriteFailed?.(error, again.length + givenUp.length, again.length > 0)
    }
    if (again.length === 0) return
    this.queue = [...again, ...this.queue]
    if (this.scheduled || this.retryTimer) return
    const failures = Math.max(...again.map((c) => c.failures))
    this.retryTimer = setTimeout(
      () => {
        this.retryTimer = null
        if (this.queue.length > 0 && !this.scheduled) this.writeNow()
      },
      this.retryMs * 2 ** (failures - 1),
    )
    this.retryTimer.unref()
  }

  private unrecord(claims: PendingClaim[]): void {
    for (const c of claims) {
      const known = this.cache.get(c.docName)
      if (known?.get(c.clientId) === c.userId) known.delete(c.clientId)
      const unwritten = this.unwritten.get(c.docName)
      if (unwritten?.get(c.clientId) === c) unwritten.delete(c.clientId)
      if (unwritten?.size === 0) this.unwritten.delete(c.docName)
    }
  }

  private async readClaims(docName: string): Promise<Map<number, string | null>> {
    const rows = await this.db
      .selectFrom('doc_clients')
      .select(['client_id', 'user_id'])
      .where('doc_name', '=', docName)
      .execute()
    return new Map(rows.map((r) => [Number(r.client_id), r.user_id]))
  }

  /**
   * The claims of a loaded document. Asking about a document whose claims were not read would
   * answer "never seen" for ids someone owns: a programming error, refused loudly.
   */
  private known(docName: string): Map<number, string | null> {
    const map = this.cache.get(docName)
    if (!map) throw new Error(`the client ids of ${docName} were not loaded`)
    return map
  }
}
