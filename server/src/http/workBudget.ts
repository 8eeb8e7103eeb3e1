import { ErrorCode, type User } from '@lever/shared'
import type { WorkBudgets } from '../collab/WorkBudgets.ts'
import { ApiError } from './ApiError.ts'

/**
 * Runs a costly request (comparing or restoring versions of a large plan takes the main thread
 * for up to a second) on the person's share of the server's time, the same share their live
 * edits use: refused with 429 while they are in debt, charged its time afterwards. Facilitators
 * are not limited, as on their connections.
 */
export async function chargedTo<T>(budgets: WorkBudgets | undefined, user: User, work: () => Promise<T>): Promise<T> {
  if (!budgets || user.role === 'facilitator') return work()
  const budget = budgets.of(user.id)
  if (budget.balance <= 0) {
    const retryAfterSeconds = budgets.secondsUntilAllowed(budget)
    throw new ApiError(
      429,
      ErrorCode.RateLimited,
      `You asked the server for a lot of work in a short time. Try again in ${retryAfterSeconds} s.`,
      { retryAfterSeconds },
    )
  }
  const started = performance.now()
  try {
    return await work()
  } finally {
    budget.charge(performance.now() - started)
  }
}
