/** Percentiles and summaries of repeated measurements. */

/** The p-th percentile (0-100) of `values`, by linear interpolation; NaN when empty. */
export function percentile(values: ArrayLike<number>, p: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = Float64Array.from(values).sort()
  const rank = (p / 100) * (sorted.length - 1)
  const low = Math.floor(rank)
  const high = Math.ceil(rank)
  const a = sorted[low] as number
  const b = sorted[high] as number
  return a === b ? a : a + (b - a) * (rank - low)
}

export const median = (values: ArrayLike<number>): number => percentile(values, 50)

/** A figure measured several times: the median is reported, the range is its spread. */
export interface Summary {
  median: number
  min: number
  max: number
  /** Every repetition's value, in the order measured. */
  runs: number[]
}

/**
 * Summarizes repetitions, ignoring those that produced no value (NaN). Infinity is a value: a
 * latency percentile whose share of edits never arrived.
 */
export function summarize(runs: number[]): Summary {
  const valid = runs.filter((v) => !Number.isNaN(v))
  if (valid.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN, runs }
  return { median: median(valid), min: Math.min(...valid), max: Math.max(...valid), runs }
}
