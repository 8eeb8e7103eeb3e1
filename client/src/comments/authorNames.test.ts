import { describe, expect, it } from 'vitest'
import { authorNameLookup } from './authorNames.ts'

describe('authorNameLookup', () => {
  const nameOf = authorNameLookup([
    { id: 'u1', name: 'Cory Coach' },
    { id: 'u2', name: 'Lee Lead' },
  ])

  it('shows the name the server knows, whatever name the document holds', () => {
    expect(nameOf('u1', 'Fran Facilitator')).toBe('Cory Coach')
    expect(nameOf('u2', '')).toBe('Lee Lead')
  })

  it('falls back to the stored name for someone the directory does not list', () => {
    expect(nameOf('gone', 'Former member')).toBe('Former member')
  })
})
