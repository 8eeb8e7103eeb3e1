// The browser tests drive Debian's Chromium through playwright-core (no browser download works
// on these machines). Installs it with apt-get when it is missing and we may do so.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'

const executable = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

if (fs.existsSync(executable)) process.exit(0)

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0
const hasApt = fs.existsSync('/usr/bin/apt-get')
if (!hasApt) {
  console.error(`Chromium is needed for the browser tests and was not found at ${executable}.`)
  console.error('Install Chromium, or set CHROMIUM_PATH to its executable.')
  process.exit(1)
}

const sudo = isRoot ? [] : ['sudo', '-n']
const run = (args) => {
  const [cmd, ...rest] = [...sudo, ...args]
  execFileSync(cmd, rest, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } })
}

console.log(`Chromium not found at ${executable}; installing Debian's chromium package for the browser tests...`)
try {
  run(['apt-get', 'update', '-qq'])
  run(['apt-get', 'install', '-y', '-qq', '--no-install-recommends', 'chromium'])
} catch (error) {
  console.error(`Installing Chromium failed (${error.message}). Install it by hand: apt-get install -y chromium`)
  process.exit(1)
}
if (!fs.existsSync(executable)) {
  console.error(`Chromium was installed but ${executable} does not exist; set CHROMIUM_PATH.`)
  process.exit(1)
}
