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
