import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** The benchmark package (bench/). */
export const BENCH_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
/** The repository root. */
export const REPO_ROOT = path.resolve(BENCH_ROOT, '..')
/**
 * Lever's server package, whose entry point the benchmark starts as a process. BENCH_LEVER_DIR
 * points at another checkout's `server/` instead, to measure a change before it lands.
 */
export const LEVER_SERVER_DIR = process.env.BENCH_LEVER_DIR
  ? path.resolve(process.env.BENCH_LEVER_DIR)
  : path.join(REPO_ROOT, 'server')

/**
 * The `server/` of another checkout (an earlier commit, with its dependencies installed) that the
 * `lever-baseline` server runs, so a change is measured against what it changes in the same run on
 * the same machine: `BENCH_BASELINE_DIR=/path/to/checkout/server pnpm bench --servers lever,lever-baseline`.
 */
export function baselineServerDir(): string {
  const dir = process.env.BENCH_BASELINE_DIR
  if (!dir) {
    throw new Error(
      'the lever-baseline server needs BENCH_BASELINE_DIR: the server/ folder of another checkout (git worktree add ../baseline <commit>; pnpm install there)',
    )
  }
  return path.resolve(dir)
}
