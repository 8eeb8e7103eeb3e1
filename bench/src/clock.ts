/**
 * Time for latency measurements. `process.hrtime` reads CLOCK_MONOTONIC on Linux, which every
 * process on the machine shares, so a timestamp taken in one process can be compared with one
 * taken in another: a sender stamps an edit, a receiver in another process subtracts.
 */

/** Microseconds on the machine's monotonic clock (exact in a double for centuries of uptime). */
export function monotonicMicros(): number {
  return Number(process.hrtime.bigint() / 1000n)
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Resolves once the monotonic clock has reached `atMicros` (at once if it already has). */
export async function sleepUntil(atMicros: number): Promise<void> {
  const waitMs = (atMicros - monotonicMicros()) / 1000
  if (waitMs > 0) await sleep(waitMs)
}

/** Polls `check` until it returns true, failing with `what` after `timeoutMs`. */
export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  what: string,
  { timeoutMs = 30_000, intervalMs = 20 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await sleep(intervalMs)
  }
}
