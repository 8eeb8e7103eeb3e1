import type { ClientTarget } from '../servers/types.ts'

/**
 * What the orchestrator asks of a client process, and what it gets back. Everything here crosses
 * a process boundary (Node IPC with the `advanced` serialization), so it is plain data.
 */

export type ClientRole = 'editor' | 'observer'

export interface ClientSpec {
  docName: string
  role: ClientRole
  /** Announce a presence (awareness) and publish the cursor with each edit. */
  presence: boolean
  /** This client writes the plan structure into the document if the server did not (peers). */
  seed: boolean
  /**
   * Which of `of` groups of senders this client belongs to (e.g. which server it is on). Its stamps
   * go to its group's array, and the edits it receives from other groups are also recorded apart.
   */
  group?: StampGroup
}

export interface StampGroup {
  index: number
  of: number
}

export interface OpenArgs {
  target: ClientTarget
  clients: ClientSpec[]
}

export interface RunArgs {
  /** When editing starts, on the shared monotonic clock (µs). */
  startAtMicros: number
  warmupMs: number
  measureMs: number
  /** How long to keep listening after editing stops, for deliveries still on their way. */
  drainMs: number
  /** Edits per second each editor makes. */
  ratePerEditor: number
}

export interface RunResult {
  /** Delivery latencies (ms) of edits sent inside the measurement window, as received here. */
  latenciesMs: Float64Array
  /** Stamped edits this process's editors sent inside the window. */
  sent: number
  /** Of `latenciesMs`, those of edits sent by a client of another group than the receiver's. */
  otherGroupLatenciesMs: Float64Array
  /** `sent` by group (index: the group; editors without a group are not counted here). */
  sentByGroup: number[]
  /** This process's CPU use during the window, in percent of one core. */
  cpuPercent: number
  /** 99th percentile of this process's event-loop delay during the window (ms). */
  eventLoopDelayP99Ms: number
}

export interface FillArgs {
  /** Keystrokes whose content each editor's document receives (in one update). */
  editsPerEditor: number
}

export interface FillResult {
  /** Size of each filled document (one per editor of this process), encoded as one update. */
  docBytes: number[]
}

export interface BuildArgs {
  target: ClientTarget
  docName: string
  /** Updates to make, one typed character each. */
  updates: number
  /** Updates merged into each message (1: every update is its own message). */
  updatesPerMessage: number
}

export interface BuildResult {
  /** Size of the finished document encoded as one update. */
  mergedBytes: number
}

export interface TimeSyncArgs {
  target: ClientTarget
  docName: string
}

export interface TimeSyncResult {
  /** From opening the connection to the first complete sync. */
  ms: number
  /** From the client's sync request to the last byte of the server's answer. */
  answerMs: number
  /** Size of what the client received, encoded as one update. */
  docBytes: number
}

export interface CrashEditArgs {
  target: ClientTarget
  docName: string
  /** Resolve once each client has received this many edits from the other. */
  minReceived: number
}

export interface CrashObservation {
  /** Edits the two clients had received from each other when editing stopped. */
  received: number
}

export interface CrashVerdict {
  received: number
  /** Of those, how many the restarted server no longer has. */
  missing: number
}

export interface RawWriterSpec {
  docName: string
  /** Updates (one typed character each) to prepare before the run. */
  updates: number
}

export interface RawOpenWritersArgs {
  target: ClientTarget
  writers: RawWriterSpec[]
}

export interface RawOpenWritersResult {
  /** Each writer's Yjs client id, which its observers look for in the frames they receive. */
  writers: Array<{ docName: string; clientId: number }>
}

export interface RawOpenObserversArgs {
  target: ClientTarget
  observers: Array<{ docName: string; writerClientId: number }>
}

export interface RawRunArgs {
  /** When sending starts, on the shared monotonic clock (µs). */
  startAtMicros: number
  warmupMs: number
  measureMs: number
  /** How long observers keep listening after sending stops. */
  drainMs: number
  /** Updates per second each writer sends. */
  ratePerWriter: number
}

/** What a writer sent inside the measurement window, in order. */
export interface RawWriterReport {
  docName: string
  /** The writer's clock at which each update sent in the window starts. */
  sentClocks: Float64Array
  /** When each of them was handed to the socket (µs, shared monotonic clock). */
  sentAt: Float64Array
  /** Why the server closed the connection, if it did. */
  closed: string | null
}

/** The update frames an observer received from its writer since the run started, in order. */
export interface RawObserverReport {
  docName: string
  /** The writer's clock at which each frame's update starts. */
  frameClocks: Float64Array
  /** When each frame arrived (µs, shared monotonic clock). */
  frameAt: Float64Array
  /** The writer's clock after the last frame received (NaN: none). */
  lastFrameEndClock: number
  closed: string | null
}

export interface RawRunResult {
  writers: RawWriterReport[]
  observers: RawObserverReport[]
  /** Updates this process's writers sent inside the window. */
  sent: number
  /** Writers that used up their prepared updates before the window ended. */
  ranOut: number
  /** This process's CPU use during the window, in percent of one core. */
  cpuPercent: number
  /** 99th percentile of this process's event-loop delay during the window (ms). */
  eventLoopDelayP99Ms: number
}

/** The methods a client process serves. */
export interface WorkerApi {
  open(args: OpenArgs): Promise<{ opened: number }>
  run(args: RunArgs): Promise<RunResult>
  fill(args: FillArgs): Promise<FillResult>
  closeAll(): Promise<void>
  build(args: BuildArgs): Promise<BuildResult>
  timeSync(args: TimeSyncArgs): Promise<TimeSyncResult>
  crashEdit(args: CrashEditArgs): Promise<void>
  crashStop(): Promise<CrashObservation>
  crashVerify(args: TimeSyncArgs): Promise<CrashVerdict>
  rawOpenWriters(args: RawOpenWritersArgs): Promise<RawOpenWritersResult>
  rawOpenObservers(args: RawOpenObserversArgs): Promise<{ opened: number }>
  rawRun(args: RawRunArgs): Promise<RawRunResult>
}

export type WorkerMethod = keyof WorkerApi

export interface WorkerRequest {
  id: number
  method: WorkerMethod
  args: unknown
}

export type WorkerReply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string }
