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

/** Busy and total CPU seconds of the whole machine so far (all cores), from /proc/stat. */
export function machineCpuSeconds(): { busy: number; total: number } {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? ''
  // cpu  user nice system idle iowait irq softirq steal guest guest_nice
  const ticks = line.trim().split(/\s+/).slice(1, 9).map(Number)
  const total = ticks.reduce((a, b) => a + b, 0)
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0)
  return { busy: (total - idle) / ticksPerSecond(), total: total / ticksPerSecond() }
}

/** Measures the whole machine's CPU use between `start()` and `stop()`, in percent of one core. */
export class MachineCpuMeter {
  private startBusy = 0
  private startWall = 0

  start(): void {
    this.startBusy = machineCpuSeconds().busy
    this.startWall = performance.now()
  }

  stop(): number {
    const busy = machineCpuSeconds().busy - this.startBusy
    const wall = (performance.now() - this.startWall) / 1000
    return wall > 0 ? (100 * busy) / wall : Number.NaN
  }
}
