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
import type { SuiteResult } from './results.ts'
import { runSuite } from './runSuite.ts'
import { installedVersions } from './servers/versions.ts'

const print = (line = '') => process.stdout.write(`${line}\n`)

const RESULTS_DIR = path.join(BENCH_ROOT, 'results')
/** Hand-written sections appended to the report (measurements made with other tools). */
const NOTES_FILE = path.join(BENCH_ROOT, 'NOTES.md')

/** The hand-written sections, without the comment that says what the file is. */
function readNotes(): string {
  if (!fs.existsSync(NOTES_FILE)) return ''
  return fs
    .readFileSync(NOTES_FILE, 'utf8')
    .replace(/^<!--[\s\S]*?-->\s*/, '')
    .trim()
}
const LATEST_JSON = path.join(RESULTS_DIR, 'latest.json')

// JSON has no Infinity (a latency whose edits never arrived): it is stored as a string.
const toJson = (suite: SuiteResult) =>
  `${JSON.stringify(suite, (_, v) => (v === Number.POSITIVE_INFINITY ? 'Infinity' : v), 2)}\n`
const fromJson = (text: string) => JSON.parse(text, (_, v) => (v === 'Infinity' ? Number.POSITIVE_INFINITY : v))

/** `--out` is relative to where the command was started (pnpm runs scripts in the package). */
const outPath = (out: string) => path.resolve(process.env.INIT_CWD ?? process.cwd(), out)

function writeReport(suite: SuiteResult, out: string | null): string {
  const markdown = renderMarkdown(suite, installedVersions(), readNotes())
  const file = out ? outPath(out) : path.join(REPO_ROOT, 'BENCHMARKS.md')
  fs.writeFileSync(file, markdown)
  print(`report:  ${path.relative(process.cwd(), file)}`)
  return markdown
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2).filter((a) => a !== '--')
  const { config, help, out, reportOnly } = parseCommandLine(argv)
  const smoke = argv.includes('--smoke')
  if (help) {
    print('pnpm bench [--smoke] [--report-only] [--out FILE] [--<setting> VALUE …]\n')
    for (const s of describeSettings(config)) print(`  ${s.flag.padEnd(26)} ${s.value.padEnd(46)} ${s.help}`)
    return
  }
  if (reportOnly) {
    writeReport(fromJson(fs.readFileSync(LATEST_JSON, 'utf8')) as SuiteResult, out)
    return
  }
  const command = ['pnpm bench', ...argv].join(' ')
  print(`${command}\n`)
  for (const s of describeSettings(config)) print(`  ${s.flag.padEnd(26)} ${s.value}`)
  print()

  const started = performance.now()
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s`
  const suite = await runSuite(config, { command, progress: (message) => print(`[${elapsed()}] ${message}`) })

  fs.mkdirSync(RESULTS_DIR, { recursive: true })
  // A smoke run or a run reported elsewhere (`--out`) leaves the committed figures alone.
  const jsonFile = out
    ? `${outPath(out).replace(/\.md$/, '')}.json`
    : smoke
      ? path.join(RESULTS_DIR, 'smoke.json')
      : LATEST_JSON
  fs.writeFileSync(jsonFile, toJson(suite))
  print(`\nfigures: ${path.relative(process.cwd(), jsonFile)}`)
  const markdown = !smoke || out ? writeReport(suite, out) : renderMarkdown(suite, installedVersions())
  const headline = markdown.split('\n## ').find((section) => section.startsWith('Headline'))
  if (headline) print(`\n## ${headline}`)
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error)
  process.exit(1)
})
