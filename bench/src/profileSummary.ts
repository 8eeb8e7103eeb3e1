/**
 * Where a server process spent its time: reads a V8 CPU profile (`BENCH_PROFILE_DIR=… pnpm bench`
 * writes one per server process) and prints the functions with the most time of their own and in
 * total (callees included), and who called the costliest of them, optionally within a window.
 * The profiler samples the main thread on a wall clock, so time blocked in a synchronous system
 * call (an fsync inside a SQLite commit, a socket write) shows under the function that made it.
 *
 *   pnpm --filter @lever/bench profile /tmp/prof/Lever/CPU.….cpuprofile [--top 30] [--from 10 --to 20]
 *     [--callers sqliteTransaction]
 */
import fs from 'node:fs'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  children?: number[]
}

interface CpuProfile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? args[i + 1] : undefined
}

function label(node: ProfileNode): string {
  const { functionName, url } = node.callFrame
  const file = url
    .replace(/^file:\/\//, '')
    .replace(/.*node_modules\/\.pnpm\/[^/]+\/node_modules\//, '')
    .split('/')
    .slice(-2)
    .join('/')
  return `${functionName || '(anonymous)'}${file ? ` ${file}` : ''}`
}

function main(): void {
  const args = process.argv.slice(2).filter((a) => a !== '--')
  const file = args[0]
  if (!file || file.startsWith('--')) {
    process.stdout.write(
      'pnpm --filter @lever/bench profile FILE.cpuprofile [--top N] [--from S --to S] [--callers NAME]\n',
    )
    return
  }
  const top = Number(flag(args, 'top') ?? 25)
  const from = Number(flag(args, 'from') ?? 0) * 1e6
  const to = Number(flag(args, 'to') ?? Number.POSITIVE_INFINITY) * 1e6
  const callersOf = flag(args, 'callers')
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]))
  const parent = new Map<number, number>()
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)

  // Time per sampled node within the window (a sample lasts until the next one).
  const sampled = new Map<number, number>()
  let clock = 0
  for (let i = 0; i < profile.samples.length; i++) {
    clock += profile.timeDeltas[i] ?? 0
    if (clock < from || clock > to) continue
    const id = profile.samples[i] as number
    sampled.set(id, (sampled.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? 0) / 1000)
  }

  const self = new Map<string, number>()
  const total = new Map<string, number>()
  const callers = new Map<string, number>()
  let all = 0
  let idle = 0
  for (const [id, ms] of sampled) {
    all += ms
    const node = nodes.get(id) as ProfileNode
    if (node.callFrame.functionName === '(idle)') idle += ms
    self.set(label(node), (self.get(label(node)) ?? 0) + ms)
    const seen = new Set<string>()
    const chain: string[] = []
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const name = label(nodes.get(at) as ProfileNode)
      chain.push(name)
      if (seen.has(name)) continue
      seen.add(name)
      total.set(name, (total.get(name) ?? 0) + ms)
    }
    if (callersOf) {
      const at = chain.findIndex((name) => name.startsWith(callersOf))
      if (at >= 0) {
        // The nearest three frames of the product's own code above it.
        const above = chain.slice(at + 1).filter((name) => /\.ts$/.test(name) && !name.includes('node_modules'))
        const key = above.slice(0, 3).join(' < ') || '(no product frame)'
        callers.set(key, (callers.get(key) ?? 0) + ms)
      }
    }
  }

  const print = (title: string, map: Map<string, number>) => {
    process.stdout.write(`\n${title}\n`)
    for (const [name, ms] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      process.stdout.write(`${ms.toFixed(0).padStart(8)} ms ${((100 * ms) / all).toFixed(1).padStart(5)}%  ${name}\n`)
    }
  }
  process.stdout.write(
    `${all.toFixed(0)} ms sampled, ${(all - idle).toFixed(0)} ms busy (${((100 * (all - idle)) / all).toFixed(0)}%)\n`,
  )
  print('self time', self)
  print('total time (callees included)', total)
  if (callersOf) print(`callers of ${callersOf}`, callers)
}

main()
