import { describe, expect, it } from 'vitest'
import { WorkBudgets } from './WorkBudgets.ts'

describe('WorkBudgets', () => {
  it('gives each person one bucket shared by their connections, refilled at the rate', () => {
    let now = 0
    const budgets = new WorkBudgets({ msPerSecond: 100, burstMs: 500 }, () => now)
    const ana = budgets.of('ana')
    expect(budgets.of('ana')).toBe(ana)
    ana.charge(800)
    expect(budgets.of('ana').balance).toBe(-300)
    expect(budgets.of('ben').balance).toBe(500)
    now = 3_000
    expect(budgets.of('ana').balance).toBe(0)
    now = 4_000
    expect(budgets.of('ana').balance).toBe(100)
  })

  it('forgets people whose buckets have refilled once it holds many, and keeps those in debt', () => {
    let now = 0
    const budgets = new WorkBudgets({ msPerSecond: 1, burstMs: 10 }, () => now)
    budgets.of('in-debt').charge(1_000)
    for (let i = 0; i < 999; i++) budgets.of(`idle-${i}`)
    expect(budgets.size).toBe(1_000)
    now = 1
    budgets.of('newcomer')
    expect(budgets.size).toBe(2)
    expect(budgets.of('in-debt').balance).toBeLessThan(0)
  })
})
