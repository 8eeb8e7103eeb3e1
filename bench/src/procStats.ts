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

/** Resident set size of the process, in bytes. */
export function rssBytes(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(status)
  if (!match) throw new Error(`no VmRSS for process ${pid}`)
  return Number(match[1]) * 1024
}

/** Measures a process's CPU use between `start()` and `stop()`, as a share of one core. */
export class CpuMeter {
  private startCpu = 0
  private startWall = 0

  constructor(private readonly pid: number) {}

  start(): void {
    this.startCpu = cpuSeconds(this.pid)
    this.startWall = performance.now()
  }

  /** CPU used since `start()`, in percent of one core (200 means two cores busy). */
  stop(): number {
    const cpu = cpuSeconds(this.pid) - this.startCpu
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

/** CPU used by every process but ours (the benchmark's), in percent of one core. */
export class OtherProgramsMeter {
  private readonly machine = new MachineCpuMeter()
  private readonly ours: CpuMeter[]

  constructor(ourPids: number[]) {
    this.ours = ourPids.map((pid) => new CpuMeter(pid))
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
