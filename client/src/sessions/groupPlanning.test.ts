import { describe, expect, it } from 'vitest'
import { groupsByJurisdiction, mixedGroups, type Participant, suggestedGroupCount } from './groupPlanning.ts'

const people: Participant[] = [
  { id: 'b1', name: 'Bea', jurisdictionId: 'boulder' },
  { id: 'b2', name: 'Ana', jurisdictionId: 'boulder' },
  { id: 't1', name: 'Tom', jurisdictionId: 'tulsa' },
  { id: 't2', name: 'Tia', jurisdictionId: 'tulsa' },
  { id: 'o1', name: 'Oli', jurisdictionId: 'ohio' },
  { id: 'x1', name: 'Xan', jurisdictionId: null },
]
const names: Record<string, string> = { boulder: 'City of Boulder', tulsa: 'City of Tulsa', ohio: 'State of Ohio' }

describe('groupsByJurisdiction', () => {
  it('makes one group per jurisdiction, named after it, and one for people without a team', () => {
    expect(groupsByJurisdiction(people, (id) => names[id] ?? id)).toEqual([
      { name: 'City of Boulder', memberIds: ['b2', 'b1'] },
      { name: 'City of Tulsa', memberIds: ['t2', 't1'] },
      { name: 'Other participants', memberIds: ['x1'] },
      { name: 'State of Ohio', memberIds: ['o1'] },
    ])
  })
})

describe('mixedGroups', () => {
  it('deals teammates into different groups of even size', () => {
    const groups = mixedGroups(people, 2)
    expect(groups.map((g) => g.name)).toEqual(['Mixed group 1', 'Mixed group 2'])
    expect(groups.map((g) => g.memberIds.length)).toEqual([3, 3])
    for (const team of [
      ['b1', 'b2'],
      ['t1', 't2'],
    ]) {
      const homes = team.map((id) => groups.findIndex((g) => g.memberIds.includes(id)))
      expect(new Set(homes).size).toBe(2)
    }
    expect(groups.flatMap((g) => g.memberIds).sort()).toEqual(people.map((p) => p.id).sort())
  })

  it('never makes more groups than people, nor fewer than one', () => {
    expect(mixedGroups(people.slice(0, 2), 5)).toHaveLength(2)
    expect(mixedGroups(people, 0)).toHaveLength(1)
    expect(mixedGroups([], 3)).toEqual([{ name: 'Mixed group 1', memberIds: [] }])
  })
})

describe('suggestedGroupCount', () => {
  it('suggests groups of about four, never a group of one when two people joined, and at most 20', () => {
    expect([0, 1, 2, 3, 5, 6, 8, 10, 17, 200].map(suggestedGroupCount)).toEqual([1, 1, 1, 1, 1, 2, 2, 3, 4, 20])
  })
})
