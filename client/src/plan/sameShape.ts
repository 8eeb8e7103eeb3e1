/**
 * `next`, or `prev` wherever it holds the same values: the result shares every array and plain
 * object of `prev` whose contents are equal, so views can compare what they read with `===`.
 */
export function sameShape<T>(prev: T | undefined, next: T): T {
  return share(prev, next) as T
}

function share(prev: unknown, next: unknown): unknown {
  if (Object.is(prev, next)) return prev
  if (Array.isArray(prev) && Array.isArray(next)) {
    let same = prev.length === next.length
    const out = next.map((item, i) => {
      const shared = share(prev[i], item)
      if (shared !== prev[i]) same = false
      return shared
    })
    return same ? prev : out
  }
  if (isPlain(prev) && isPlain(next)) {
    const keys = Object.keys(next)
    let same = keys.length === Object.keys(prev).length
    const out: Record<string, unknown> = {}
    for (const key of keys) {
      const shared = share(prev[key], next[key])
      if (!(key in prev) || shared !== prev[key]) same = false
      out[key] = shared
    }
    return same ? prev : out
  }
  return next
}

function isPlain(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}
