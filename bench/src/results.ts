import type { BenchConfig, WorkloadName } from './config.ts'
import type { ServerKind } from './servers/types.ts'
import type { Summary } from './stats.ts'

/** One figure a workload reports for every server. */
export interface FigureSpec {
  id: string
  label: string
  unit: string
  /** Which direction is better, so a reader knows what a ratio above 1 means. */
  better: 'lower' | 'higher'
  decimals: number
}

/** A workload's figures for every server, each summarized over the repetitions. */
export interface WorkloadResult {
  workload: WorkloadName
  title: string
  /** What was measured and how, with the sizes used. */
  description: string
  figures: FigureSpec[]
  values: Partial<Record<ServerKind, Record<string, Summary>>>
  /** Observations a table cannot hold (why a ramp stopped, what a figure means for a peer). */
  notes: string[]
}

export interface MachineInfo {
  cpuModel: string
  cores: number
  memoryGiB: number
  node: string
  platform: string
  kernel: string
}

export interface SuiteResult {
  startedAt: string
  durationSeconds: number
  machine: MachineInfo
  config: BenchConfig
  /** The command that reproduces this run. */
  command: string
  workloads: WorkloadResult[]
}
