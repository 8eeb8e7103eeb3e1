import { describe, expect, it } from 'vitest'
import { distinctInitials, initialsOf } from './initials.ts'

describe('initials from a name', () => {
  it('takes the first and last words of a person’s name', () => {
    expect(initialsOf('Casey Lee')).toBe('CL')
    expect(initialsOf('Fran Facilitator')).toBe('FF')
    expect(initialsOf('Mary-Jane O’Brien Smith')).toBe('MS')
    expect(initialsOf('Cher')).toBe('C')
    expect(initialsOf('  ')).toBe('?')
  })

  it('reads the words that carry a team name, so two leads named differently differ', () => {
    expect(initialsOf('City of Boulder lead')).toBe('CB')
    expect(initialsOf('City of Atlanta lead')).toBe('CA')
    expect(initialsOf('Baltimore County lead')).toBe('BC')
  })

  it('skips particles in names written in lower case', () => {
    expect(initialsOf('ana de la cruz')).toBe('AC')
    expect(initialsOf('élodie durand')).toBe('ÉD')
  })
})

describe('initials of the people shown together', () => {
  it('keeps two initials where they differ', () => {
    const initials = distinctInitials(['Casey Lee', 'Fran Facilitator', 'City of Boulder lead'])
    expect([...initials.values()]).toEqual(['CL', 'FF', 'CB'])
  })

  it('adds a letter where two names share their initials', () => {
    const initials = distinctInitials(['Casey Lee', 'Carl Lewis', 'Fran Facilitator'])
    expect(initials.get('Casey Lee')).not.toBe(initials.get('Carl Lewis'))
    expect(initials.get('Fran Facilitator')).toBe('FF')
    expect(initials.get('Casey Lee')).toMatch(/^CL/)
  })

  it('uses a middle initial when one name has it', () => {
    const initials = distinctInitials(['Casey Ann Lee', 'Casey Lee'])
    expect(initials.get('Casey Ann Lee')).toBe('CAL')
    expect(initials.get('Casey Lee')).not.toBe('CAL')
  })
})
