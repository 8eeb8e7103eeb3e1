import { execFileSync } from 'node:child_process'
import fs from 'node:fs'

/**
 * CPU time and memory of another process, read from Linux's /proc. Used for the servers, whose
 * code we do not instrument; the client processes report their own `process.cpuUsage()`.
 */

let clockTicksPerSecond: number | undefined

function ticksPerSecond(): number {
  if (clockTicksPerSecond === undefined) {
    try {
      clockTicksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100
    } catch {
      clockTicksPerSecond = 100
    }
  }
  return clockTicksPerSecond
}

/** User + system CPU seconds the process has used so far (all its threads). */
export function cpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
  // The command name (field 2) may contain spaces; fields after its closing parenthesis are fixed.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const utime = Number(fields[11])
  const stime = Number(fields[12])
  return (utime + stime) / ticksPerSecond()
}

/**
 * CPU seconds of a process and all its descendants (PostgreSQL's postmaster and its backends): for
 * each, its own time plus that of children it has already reaped (`cutime`, `cstime`), so a
 * backend that ends between two readings still counts, through its parent. Processes that end
 * while being read are skipped.
 */
export function treeCpuSeconds(rootPid: number): number {
  const parentOf = new Map<number, number>()
  const ticks = new Map<number, number>()
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    let stat: string
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8')
    } catch {
      continue
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const pid = Number(entry)
    parentOf.set(pid, Number(fields[1]))
    // utime, stime, cutime, cstime
    ticks.set(pid, Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]))
  }
  if (!ticks.has(rootPid)) throw new Error(`no process ${rootPid}`)
  let total = 0
  for (const [pid, t] of ticks) {
    for (let p: number | undefined = pid; p !== undefined && p > 0; p = parentOf.get(p)) {
      if (p === rootPid) {
        total += t
        break
      }
    }
  }
  return total / ticksPerSecond()
}

/** Resident set size of the process, in bytes. */
export function rssBytes(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(status)
  if (!match) throw new Error(`no VmRSS for process ${pid}`)
  return Number(match[1]) * 1024
}

/**
 * Measures a process's CPU use between `start()` and `stop()`, as a share of one core; with
 * `tree`, the process and all its descendants together.
 */
export class CpuMeter {
  private startCpu = 0
  private startWall = 0

  constructor(
    private readonly pid: number,
    private readonly tree = false,
  ) {}

  private read(): number {
    return this.tree ? treeCpuSeconds(this.pid) : cpuSeconds(this.pid)
  }

  start(): void {
    this.startCpu = this.read()
    this.startWall = performance.now()
  }

  /** CPU used since `start()`, in percent of one core (200 means two cores busy). */
  stop(): number {
    const cpu = this.read() - this.startCpu
    const wall = (performance.now() - this.startWall) / 1000
    return wall > 0 ? (100 * cpu) / wall : Number.NaN
  }
}

/**
 * CPU seconds the whole machine (all cores) has spent running processes so far: user, nice and
 * system time, from /proc/stat. Interrupt and softirq time is left out on purpose: the kernel's
 * loopback networking runs there on behalf of whichever process sends, and would otherwise be
 * taken for another program's load.
 */
export function machineCpuSeconds(): number {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? ''
  // cpu  user nice system idle iowait irq softirq steal guest guest_nice
  const [user = 0, nice = 0, system = 0] = line.trim().split(/\s+/).slice(1, 4).map(Number)
  return (user + nice + system) / ticksPerSecond()
}

/** Measures the whole machine's CPU use between `start()` and `stop()`, in percent of one core. */
export class MachineCpuMeter {
  private startBusy = 0
  private startWall = 0

  start(): void {
    this.startBusy = machineCpuSeconds()
    this.startWall = performance.now()
  }

  stop(): number {
    const busy = machineCpuSeconds() - this.startBusy
    const wall = (performance.now() - this.startWall) / 1000
    return wall > 0 ? (100 * busy) / wall : Number.NaN
  }
}

/**
 * CPU used by every process but ours (the benchmark's), in percent of one core. `ourTrees` are
 * programs the benchmark started with all their descendants (PostgreSQL).
 */
export class OtherProgramsMeter {
  private readonly machine = new MachineCpuMeter()
  private readonly ours: CpuMeter[]

  constructor(ourPids: number[], ourTrees: number[] = []) {
    this.ours = [...ourPids.map((pid) => new CpuMeter(pid)), ...ourTrees.map((pid) => new CpuMeter(pid, true))]
  }

  start(): void {
    this.machine.start()
    for (const meter of this.ours) meter.start()
  }

  stop(): number {
    const machine = this.machine.stop()
    const ours = this.ours.reduce((sum, meter) => sum + meter.stop(), 0)
    return Math.max(0, machine - ours)
  }
}
