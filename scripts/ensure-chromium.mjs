// Chromium (through playwright-core) drives the browser tests and prints PDF exports; no browser
// download works on these machines, so Debian's packages are used. Installs what is missing with
// apt-get when we may (as root, or with password-less sudo):
//   node scripts/ensure-chromium.mjs           for the tests: Chromium, fonts for CJK and emoji,
//                                               poppler-utils and unzip (the export tests read files
//                                               back with them); fails when it cannot.
//   node scripts/ensure-chromium.mjs --start   for `pnpm start`: Chromium and the fonts, for PDF
//                                               export; never fails (without it, PDF export answers
//                                               503 pdf_unavailable and everything else works).
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'

const forStart = process.argv.includes('--start')
const executable = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const fail = (lines) => {
  for (const line of lines) console.error(line)
  process.exit(forStart ? 0 : 1)
}

// Debian package → a file it installs.
const wanted = [
  ['chromium', executable],
  ['fonts-wqy-microhei', '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc'],
  ['fonts-noto-color-emoji', '/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf'],
  ...(forStart
    ? []
    : [
        ['poppler-utils', '/usr/bin/pdftotext'],
        ['unzip', '/usr/bin/unzip'],
      ]),
]
const missing = wanted.filter(([, file]) => !fs.existsSync(file)).map(([pkg]) => pkg)
if (missing.length === 0) process.exit(0)

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0
const hasApt = fs.existsSync('/usr/bin/apt-get')
const purpose = forStart ? 'for PDF export' : 'for the browser and export tests'
if (!hasApt) {
  fail([
    `Missing ${missing.join(', ')} ${purpose}, and there is no apt-get to install them.`,
    `Install them by hand, or set CHROMIUM_PATH to Chromium's executable.${forStart ? ' Lever starts anyway; PDF export will say what is missing.' : ''}`,
  ])
}

const sudo = isRoot ? [] : ['sudo', '-n']
const run = (args) => {
  const [cmd, ...rest] = [...sudo, ...args]
  execFileSync(cmd, rest, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } })
}

console.log(`Installing Debian's ${missing.join(', ')} ${purpose}...`)
try {
  run(['apt-get', 'update', '-qq'])
  run(['apt-get', 'install', '-y', '-qq', '--no-install-recommends', ...missing])
} catch (error) {
  fail([
    `Installing ${missing.join(', ')} failed (${error.message}). Install by hand: apt-get install -y ${missing.join(' ')}`,
    ...(forStart ? ['Lever starts anyway; PDF export will say what is missing.'] : []),
  ])
}
if (!fs.existsSync(executable)) {
  fail([`Chromium was installed but ${executable} does not exist; set CHROMIUM_PATH.`])
}
