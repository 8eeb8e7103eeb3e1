/**
 * `pnpm bench`: Lever's server against y-websocket-server and Hocuspocus, same workloads, one
 * run; writes BENCHMARKS.md at the repository root and the figures as JSON in bench/results/.
 * `pnpm bench --help` lists the settings.
 */
import fs from 'node:fs'
import path from 'node:path'
import { describeSettings, parseCommandLine } from './config.ts'
import { BENCH_ROOT, REPO_ROOT } from './paths.ts'
import { renderMarkdown } from './report/markdown.ts'
import { runSuite } from './runSuite.ts'
import { installedVersions } from './servers/versions.ts'

const print = (line = '') => process.stdout.write(`${line}\n`)

async function main(): Promise<void> {
  const argv = process.argv.slice(2).filter((a) => a !== '--')
  const { config, help, out } = parseCommandLine(argv)
  const smoke = argv.includes('--smoke')
  if (help) {
    print('pnpm bench [--smoke] [--out FILE] [--<setting> VALUE …]\n')
    for (const s of describeSettings(config)) print(`  ${s.flag.padEnd(26)} ${s.value.padEnd(46)} ${s.help}`)
    return
  }
  const command = ['pnpm bench', ...argv].join(' ')
  print(`${command}\n`)
  for (const s of describeSettings(config)) print(`  ${s.flag.padEnd(26)} ${s.value}`)
  print()

  const started = performance.now()
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s`
  const suite = await runSuite(config, { command, progress: (message) => print(`[${elapsed()}] ${message}`) })

  const resultsDir = path.join(BENCH_ROOT, 'results')
  fs.mkdirSync(resultsDir, { recursive: true })
  const jsonFile = path.join(resultsDir, smoke ? 'smoke.json' : 'latest.json')
  // JSON has no Infinity (a latency whose edits never arrived): it is written as a string.
  const json = JSON.stringify(suite, (_, v) => (v === Number.POSITIVE_INFINITY ? 'Infinity' : v), 2)
  fs.writeFileSync(jsonFile, `${json}\n`)
  print(`\nfigures: ${path.relative(process.cwd(), jsonFile)}`)
  const markdown = renderMarkdown(suite, installedVersions())
  if (!smoke || out) {
    const file = out ? path.resolve(process.env.INIT_CWD ?? process.cwd(), out) : path.join(REPO_ROOT, 'BENCHMARKS.md')
    fs.writeFileSync(file, markdown)
    print(`report:  ${path.relative(process.cwd(), file)}`)
  }
  const headline = markdown.split('\n## ').find((section) => section.startsWith('Headline'))
  if (headline) print(`\n## ${headline}`)
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error)
  process.exit(1)
})
