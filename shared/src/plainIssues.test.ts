import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { plainIssues } from './plainIssues.ts'

const messages = (schema: z.ZodType, value: unknown) => {
  const result = schema.safeParse(value, { error: plainIssues })
  return result.success ? [] : result.error.issues.map((i) => i.message)
}

describe('plain validation messages', () => {
  const form = z.object({
    title: z.string().trim().min(1).max(150),
    durationMinutes: z.number().int().min(15).max(480),
    focus: z.array(z.string()).max(2),
    phase: z.enum(['phase1', 'phase2']),
    startsAt: z.iso.datetime(),
    name: z.string().min(1, 'Give the version a name'),
  })
  const good = {
    title: 'Kick-off',
    durationMinutes: 60,
    focus: [],
    phase: 'phase1',
    startsAt: '2026-12-09T15:00:00Z',
    name: 'v1',
  }

  it('names the field and the limit in words, without zod’s notation', () => {
    expect(messages(form, { ...good, title: 'x'.repeat(151) })).toEqual([
      'Title is too long: keep it to 150 characters or fewer',
    ])
    expect(messages(form, { ...good, title: '  ' })).toEqual(['Title cannot be empty'])
    expect(messages(form, { ...good, durationMinutes: 5 })).toEqual(['Duration minutes must be at least 15'])
    expect(messages(form, { ...good, focus: ['a', 'b', 'c'] })).toEqual(['Focus has too many items: at most 2'])
    expect(messages(form, { ...good, phase: 'later' })).toEqual(['Phase must be one of: phase1, phase2'])
    expect(messages(form, { ...good, startsAt: 'soon' })).toEqual(['Starts at is not in the right format (datetime)'])
    expect(messages(form, { ...good, title: undefined })).toEqual(['Title is missing'])
    expect(messages(form, { ...good, durationMinutes: 'an hour' })).toEqual(['Duration minutes must be a number'])
    expect(messages(z.strictObject({}), { extra: 1 })).toEqual(['Unknown field: extra'])
  })

  it('speaks of a list’s elements as each of them, and of a bare value as this value', () => {
    expect(messages(z.object({ tags: z.array(z.string().max(3)) }), { tags: ['ok', 'long'] })).toEqual([
      'Each of tags is too long: keep it to 3 characters or fewer',
    ])
    expect(messages(z.number(), 'x')).toEqual(['This value must be a number'])
  })

  it('leaves a schema’s own message as it is', () => {
    expect(messages(form, { ...good, name: '' })).toEqual(['Give the version a name'])
  })

  it('never shows zod’s notation for any issue of these schemas', () => {
    for (const value of [{}, null, [], 'x', { ...good, focus: 'x', phase: 1, startsAt: 3 }]) {
      for (const message of messages(form, value)) expect(message).not.toMatch(/[<>]=?|expected /i)
    }
  })
})
