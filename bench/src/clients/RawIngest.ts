import { monitorEventLoopDelay } from 'node:perf_hooks'
import type { Duplex } from 'node:stream'
import * as decoding from 'lib0/decoding'
import WebSocket from 'ws'
import * as Y from 'yjs'
import { monotonicMicros, sleep, sleepUntil } from '../clock.ts'
import type { ClientTarget } from '../servers/types.ts'
import { withTimeout } from './EditingSession.ts'
import {
  firstStructOf,
  framingFor,
  type IncomingHeader,
  isSync,
  permissionDenied,
  type RawFraming,
  SYNC_STEP1,
  SYNC_STEP2,
  SYNC_UPDATE,
} from './rawProtocol.ts'
import { seedPlan, Typist } from './typing.ts'
import type {
  RawObserverReport,
  RawOpenObserversArgs,
  RawOpenWritersArgs,
  RawOpenWritersResult,
  RawRunArgs,
  RawRunResult,
  RawWriterReport,
} from './workerApi.ts'

const SYNC_TIMEOUT_MS = 60_000
/** A writer this far behind its schedule moves its schedule on instead of bursting what it missed. */
const MAX_LAG_MICROS = 1_000_000
/** Longest sleep of the send loop, so it notices the end of the window in time. */
const MAX_TICK_MS = 20
/**
 * Shortest sleep of the send loop: the frames that fall due meanwhile leave together, in one write
 * per socket. A write is a system call of tens of microseconds on a virtual machine; one per frame
 * would make the clients, not the server, the limit.
 */
const MIN_TICK_MS = 4
/** Updates prepared between yields to the event loop (so IPC and sockets stay served). */
const PREPARE_CHUNK = 2000
/** An update that holds nothing: what a client with an empty document answers a sync step 1 with. */
const EMPTY_UPDATE = Y.encodeStateAsUpdate(new Y.Doc())
/** An empty state vector: a client that has nothing asks for everything. */
const EMPTY_STATE_VECTOR = Y.encodeStateVector(new Y.Doc())

/**
 * One WebSocket to one document that speaks the server's sync protocol by hand: it sends the
 * opening messages (Hocuspocus: authentication) and a sync step 1, answers the server's step 1
 * with a step 2 from `doc` (or an empty one), and `sync()` resolves at the server's step 2 (which
 * goes into `doc`). Once `onFrame` is set, every frame goes to it unread.
 */
class RawConnection {
  readonly framing: RawFraming
  private readonly ws: WebSocket
  private step2Waiters: Array<() => void> = []
  private failure: ((error: Error) => void) | null = null
  /** Why the connection closed, once it has. */
  closedReason: string | null = null
  /** Frames after the handshake; null: read them for the handshake. */
  onFrame: ((frame: Uint8Array) => void) | null = null

  constructor(
    target: ClientTarget,
    readonly docName: string,
    private readonly doc: Y.Doc | null,
  ) {
    this.framing = framingFor(target, docName)
    this.ws = new WebSocket(this.framing.url, {
      perMessageDeflate: false,
      // A zero masking key (which RFC 6455 allows) lets ws skip XOR-ing every frame it sends; the
      // server unmasks as it always does.
      generateMask: (mask) => mask.fill(0),
    })
    this.ws.binaryType = 'nodebuffer'
    this.ws.on('message', (data: Buffer) => {
      if (this.onFrame) this.onFrame(data)
      else this.handshakeFrame(data)
    })
    this.ws.on('close', (code: number, reason: Buffer) => {
      this.closedReason = `closed by the server: ${code} ${reason.toString()}`.trim()
      this.failure?.(new Error(`${docName}: ${this.closedReason}`))
    })
    this.ws.on('error', (error) => this.failure?.(new Error(`${docName}: ${error.message}`)))
  }

  /** Opens the socket and completes the first sync. */
  async sync(): Promise<void> {
    const opened = new Promise<void>((resolve, reject) => {
      this.failure = reject
      this.ws.once('open', () => resolve())
    })
    await withTimeout(opened, SYNC_TIMEOUT_MS, `${this.docName} to connect`)
    for (const frame of this.framing.opening()) this.ws.send(frame)
    await this.roundTrip()
  }

  /**
   * Sends a sync step 1 and waits for the server's step 2: the server answers in order, so every
   * update sent before is applied (and, for Lever, stored) when it resolves.
   */
  async roundTrip(): Promise<void> {
    const answered = new Promise<void>((resolve, reject) => {
      this.failure = reject
      this.step2Waiters.push(resolve)
    })
    const stateVector = this.doc ? Y.encodeStateVector(this.doc) : EMPTY_STATE_VECTOR
    this.ws.send(this.framing.sync(SYNC_STEP1, stateVector))
    await withTimeout(answered, SYNC_TIMEOUT_MS, `${this.docName} to answer a sync step 1`)
  }

  send(frame: Uint8Array): void {
    this.ws.send(frame)
  }

  /**
   * Runs `sends` with the TCP socket under the WebSocket corked (ws keeps it in `_socket`), so
   * the frames of one timer tick leave in one write rather than a system call each.
   */
  batch(sends: () => void): void {
    const socket = (this.ws as unknown as { _socket?: Duplex | null })._socket
    socket?.cork()
    try {
      sends()
    } finally {
      socket?.uncork()
    }
  }

  close(): void {
    this.onFrame = null
    this.failure = null
    this.ws.terminate()
  }

  private handshakeFrame(frame: Uint8Array): void {
    let header: IncomingHeader | null
    try {
      header = this.framing.read(frame)
    } catch {
      return
    }
    if (!header) return
    const denied = permissionDenied(header)
    if (denied !== null) {
      this.failure?.(new Error(`${this.docName}: authentication failed: ${denied}`))
      return
    }
    if (!isSync(header)) return
    if (header.subtype === SYNC_STEP1) {
      const stateVector = readPayload(header)
      const answer = this.doc ? Y.encodeStateAsUpdate(this.doc, stateVector) : EMPTY_UPDATE
      this.ws.send(this.framing.sync(SYNC_STEP2, answer))
    } else if (header.subtype === SYNC_STEP2) {
      if (this.doc) Y.applyUpdate(this.doc, readPayload(header))
      this.step2Waiters.shift()?.()
    }
  }
}

/** A sync message's payload (a varUint8Array), the decoder left after it. */
const readPayload = (header: IncomingHeader): Uint8Array => decoding.readVarUint8Array(header.decoder)

interface Writer {
  conn: RawConnection
  clientId: number
  /** The prepared updates, each framed as a sync update message. */
  frames: Uint8Array[]
  /** The writer's clock before each prepared update: where the update's structs start. */
  startClocks: Float64Array
  next: number
  due: number
  sentClocks: number[]
  sentAt: number[]
}

interface Observer {
  conn: RawConnection
  writerClientId: number
  frameClocks: number[]
  frameAt: number[]
  lastFrame: Uint8Array | null
}

/**
 * The server-limited ingest's clients in one process. Writers prepare their updates with Yjs before
 * the run and only send bytes during it; observers only read the first few bytes of each frame
 * (type, and the clock its update starts at) and note when it arrived. Which update a frame holds
 * is worked out afterwards, from the clocks, by the orchestrator.
 */
export class RawIngestSession {
  private writers: Writer[] = []
  private observers: Observer[] = []

  /**
   * Opens a writer per document: it syncs the document's current state into a Y.Doc of its own
   * (seeding a plan's structure first where the server does not), then types `updates` characters
   * into it, one transaction each as the benchmark's typists do, keeping each update as a frame.
   */
  async openWriters({ target, writers: specs }: RawOpenWritersArgs): Promise<RawOpenWritersResult> {
    const opened: RawOpenWritersResult['writers'] = []
    for (const spec of specs) {
      const doc = new Y.Doc()
      const conn = new RawConnection(target, spec.docName, doc)
      const writer: Writer = {
        conn,
        clientId: doc.clientID,
        frames: [],
        startClocks: new Float64Array(0),
        next: 0,
        due: 0,
        sentClocks: [],
        sentAt: [],
      }
      // Listed before it syncs, so that closing the session closes it whatever happens.
      this.writers.push(writer)
      await conn.sync()
      const collected: Uint8Array[] = []
      const collect = (update: Uint8Array) => collected.push(conn.framing.sync(SYNC_UPDATE, update))
      doc.on('update', collect)
      if (target.seedPlans) {
        seedPlan(doc, 'Benchmark plan')
        for (const frame of collected.splice(0)) conn.send(frame)
        await conn.roundTrip()
      }
      const typist = new Typist(doc, null, 'writer')
      const startClocks = new Float64Array(spec.updates)
      for (let i = 0; i < spec.updates; i++) {
        startClocks[i] = Y.getState(doc.store, doc.clientID)
        // The stamp is the update's number: every update then adds at least one struct (a
        // backspace alone would only delete), so each starts at a clock of its own.
        typist.type(i)
        if (i % PREPARE_CHUNK === PREPARE_CHUNK - 1) await new Promise((resolve) => setImmediate(resolve))
      }
      doc.off('update', collect)
      if (collected.length !== spec.updates) {
        throw new Error(`${spec.docName}: ${spec.updates} keystrokes made ${collected.length} updates`)
      }
      writer.frames = collected
      writer.startClocks = startClocks
      // The prepared updates are bytes now; the writer ignores what the server sends it.
      conn.onFrame = () => {}
      opened.push({ docName: spec.docName, clientId: doc.clientID })
      doc.destroy()
    }
    return { writers: opened }
  }

  /** Opens an observer per document: a sync, then only a count of its writer's update frames. */
  async openObservers({ target, observers: specs }: RawOpenObserversArgs): Promise<{ opened: number }> {
    const added = specs.map((spec) => {
      const observer: Observer = {
        conn: new RawConnection(target, spec.docName, null),
        writerClientId: spec.writerClientId,
        frameClocks: [],
        frameAt: [],
        lastFrame: null,
      }
      this.observers.push(observer)
      return observer
    })
    await Promise.all(added.map((o) => o.conn.sync()))
    for (const observer of added) observer.conn.onFrame = (frame) => this.observe(observer, frame)
    return { opened: added.length }
  }

  /** The observer's hot path: the frame's header and its update's first clock, nothing more. */
  private observe(observer: Observer, frame: Uint8Array): void {
    const at = monotonicMicros()
    const header = observer.conn.framing.read(frame)
    if (!header || !isSync(header) || header.subtype !== SYNC_UPDATE) return
    const first = firstStructOf(header.decoder)
    if (!first || first.client !== observer.writerClientId) return
    observer.frameClocks.push(first.clock)
    observer.frameAt.push(at)
    observer.lastFrame = frame
  }

  /**
   * Every writer sends its prepared frames at `ratePerWriter` from `startAtMicros` (random phases,
   * open loop, the frames due by each timer tick sent together) until the window ends, noting the
   * send time and start clock of each update sent inside the window; then waits `drainMs`.
   */
  async run(args: RawRunArgs): Promise<RawRunResult> {
    const windowStart = args.startAtMicros + args.warmupMs * 1000
    const windowEnd = windowStart + args.measureMs * 1000
    const periodMicros = 1e6 / args.ratePerWriter
    for (const w of this.writers) {
      w.due = args.startAtMicros + Math.random() * periodMicros
      w.sentClocks = []
      w.sentAt = []
    }
    for (const o of this.observers) {
      o.frameClocks = []
      o.frameAt = []
    }
    const eventLoopDelay = monitorEventLoopDelay({ resolution: 10 })
    let cpuAtStart: NodeJS.CpuUsage | null = null
    let cpuStartedAt = 0
    let sent = 0
    const ranOut = new Set<Writer>()

    await sleepUntil(args.startAtMicros)
    for (let now = monotonicMicros(); now < windowEnd; now = monotonicMicros()) {
      if (!cpuAtStart && now >= windowStart) {
        cpuAtStart = process.cpuUsage()
        cpuStartedAt = now
        eventLoopDelay.enable()
      }
      let nextDue = Number.POSITIVE_INFINITY
      for (const w of this.writers) {
        let at = w.due
        if (now - at > MAX_LAG_MICROS) at += Math.ceil((now - at) / periodMicros) * periodMicros
        const sentAt = monotonicMicros()
        const inWindow = sentAt >= windowStart && sentAt < windowEnd
        w.conn.batch(() => {
          while (at <= now && at < windowEnd) {
            if (w.next >= w.frames.length) {
              ranOut.add(w)
              at = Number.POSITIVE_INFINITY
              break
            }
            w.conn.send(w.frames[w.next] as Uint8Array)
            if (inWindow) {
              w.sentClocks.push(w.startClocks[w.next] as number)
              w.sentAt.push(sentAt)
              sent++
            }
            w.next++
            at += periodMicros
          }
        })
        w.due = at
        nextDue = Math.min(nextDue, at)
      }
      const waitMs = Math.min(MAX_TICK_MS, (Math.min(nextDue, windowEnd) - monotonicMicros()) / 1000)
      await sleep(Math.max(MIN_TICK_MS, waitMs))
    }
    const cpu = process.cpuUsage(cpuAtStart ?? undefined)
    eventLoopDelay.disable()
    const windowMs = (monotonicMicros() - cpuStartedAt) / 1000
    await sleep(args.drainMs)
    const writers: RawWriterReport[] = this.writers.map((w) => ({
      docName: w.conn.docName,
      sentClocks: Float64Array.from(w.sentClocks),
      sentAt: Float64Array.from(w.sentAt),
      closed: w.conn.closedReason,
    }))
    const observers: RawObserverReport[] = this.observers.map((o) => ({
      docName: o.conn.docName,
      frameClocks: Float64Array.from(o.frameClocks),
      frameAt: Float64Array.from(o.frameAt),
      lastFrameEndClock: o.lastFrame ? endClockOf(o, o.lastFrame) : Number.NaN,
      closed: o.conn.closedReason,
    }))
    return {
      writers,
      observers,
      sent,
      ranOut: ranOut.size,
      cpuPercent: cpuAtStart && windowMs > 0 ? (100 * (cpu.user + cpu.system)) / 1000 / windowMs : Number.NaN,
      eventLoopDelayP99Ms: eventLoopDelay.count > 0 ? eventLoopDelay.percentile(99) / 1e6 : 0,
    }
  }

  closeAll(): void {
    for (const w of this.writers.splice(0)) w.conn.close()
    for (const o of this.observers.splice(0)) o.conn.close()
  }
}

/**
 * The writer's clock after the last frame an observer received, decoded with Yjs once the run is
 * over: a server that merges updates into one frame (Hocuspocus, per event-loop turn) may have put
 * several in it, and no later frame tells where it ends.
 */
function endClockOf(observer: Observer, frame: Uint8Array): number {
  const header = observer.conn.framing.read(frame)
  if (!header) return Number.NaN
  const update = readPayload(header)
  let end = Number.NaN
  for (const struct of Y.decodeUpdate(update).structs) {
    if (struct.id.client !== observer.writerClientId) continue
    end = Math.max(Number.isNaN(end) ? 0 : end, struct.id.clock + struct.length)
  }
  return end
}
