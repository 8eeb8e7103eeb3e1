// Builds the server for `pnpm start`: src/main.ts and what it imports (our TypeScript and the
// workspace's @lever/shared) bundled into dist/ as plain JavaScript, the npm packages left as
// imports. The server then runs on Node alone: no TypeScript loader thread at runtime (about 50 MiB
// resident and seconds of start-up compiling every module), and the modules loaded lazily (PDF,
// Word and Excel export, mail, PostgreSQL, Redis) stay separate chunks that load when first used.
// Tests and `pnpm dev` run the sources through tsx as before.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const pkg = JSON.parse(readFileSync(path.join(serverDir, 'package.json'), 'utf8'))
// Every npm dependency stays an import (native modules, packages that read their own files);
// only the workspace's own TypeScript is bundled.
const external = Object.keys(pkg.dependencies ?? {}).filter((name) => !name.startsWith('@lever/'))

const outdir = path.join(serverDir, 'dist')
// Built beside dist/ and moved in file by file (a rename replaces a file at once), so a server
// starting from dist/ while another build runs (tests and benchmarks build too) never reads a
// half-written file. Chunk names carry a hash of their content: the same sources give the same files.
const staging = path.join(serverDir, `.dist-${process.pid}-${Date.now()}`)
const started = performance.now()
await build({
  absWorkingDir: serverDir,
  entryPoints: { main: 'src/main.ts' },
  outdir: staging,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: [...external, ...external.map((name) => `${name}/*`)],
  sourcemap: 'linked',
  // Names stay as written, for stack traces and logs.
  minify: false,
  // Chunks beside main.js: code that finds files from its own location (REPO_ROOT) sees the same
  // folder whichever file it lands in.
  chunkNames: '[name]-[hash]',
  logLevel: 'warning',
})
try {
  mkdirSync(outdir, { recursive: true })
  const built = new Set(readdirSync(staging))
  for (const name of built) renameSync(path.join(staging, name), path.join(outdir, name))
  // What an older build left (chunks of sources since changed).
  for (const name of readdirSync(outdir))
    if (!built.has(name)) rmSync(path.join(outdir, name), { recursive: true, force: true })
} finally {
  rmSync(staging, { recursive: true, force: true })
}
process.stdout.write(`server built into dist/ in ${Math.round(performance.now() - started)} ms\n`)
