import {
  type Color,
  differenceCiede2000,
  filterDeficiencyDeuter,
  filterDeficiencyProt,
  filterDeficiencyTrit,
  parse,
  wcagContrast,
} from 'culori'
import { describe, expect, it } from 'vitest'
import { choosePresenceColor, colorForUser, PRESENCE_PALETTE, type PresentPerson } from './presenceColors.ts'

const distance = differenceCiede2000()
const color = (hex: string): Color => {
  const parsed = parse(hex)
  if (!parsed) throw new Error(`not a colour: ${hex}`)
  return parsed
}
const vision: Record<string, (c: Color) => Color> = {
  typical: (c) => c,
  protanopia: filterDeficiencyProt(1),
  deuteranopia: filterDeficiencyDeuter(1),
  tritanopia: filterDeficiencyTrit(1),
}

describe('the presence palette', () => {
  it('has colours that read against white at 4.5:1 or more, for carets and for white text on them', () => {
    for (const color of PRESENCE_PALETTE) expect(wcagContrast(color, '#ffffff'), color).toBeGreaterThanOrEqual(4.5)
  })

  it('keeps every two colours apart for typical vision and for protanopia, deuteranopia and tritanopia', () => {
    for (const [name, see] of Object.entries(vision))
      for (const [i, a] of PRESENCE_PALETTE.entries())
        for (const b of PRESENCE_PALETTE.slice(i + 1))
          expect(distance(see(color(a)), see(color(b))), `${a} and ${b} for ${name}`).toBeGreaterThanOrEqual(10)
  })

  it('gives each person a colour of the palette, the same every time', () => {
    expect(PRESENCE_PALETTE).toContain(colorForUser('u_1'))
    expect(colorForUser('u_1')).toBe(colorForUser('u_1'))
  })
})

/** Runs every browser's choice until nobody changes any more (as awareness updates would). */
function settle(people: Array<{ clientId: number; userId: string; color: string | null }>): void {
  for (let round = 0; round < 50; round++) {
    let changed = false
    for (const me of people) {
      const others: PresentPerson[] = people.filter((p) => p !== me)
      const next = choosePresenceColor(me, me.color, others)
      if (next !== me.color) {
        me.color = next
        changed = true
      }
    }
    if (!changed) return
  }
  throw new Error('colours did not settle')
}

/** Two user ids whose own colour is the same. */
function clashingIds(): [string, string] {
  const seen = new Map<string, string>()
  for (let i = 0; ; i++) {
    const id = `u_${i}`
    const other = seen.get(colorForUser(id))
    if (other) return [other, id]
    seen.set(colorForUser(id), id)
  }
}

describe('choosing a presence colour in a document', () => {
  it('gives two people whose own colours clash different colours; the one who came first keeps theirs', () => {
    const [a, b] = clashingIds()
    const people = [
      { clientId: 10, userId: a, color: colorForUser(a) },
      { clientId: 20, userId: b, color: colorForUser(b) },
    ]
    settle(people)
    expect(people[0]?.color).toBe(colorForUser(a))
    expect(people[1]?.color).not.toBe(people[0]?.color)
  })

  it('gives up to eight people eight different colours, however they arrive', () => {
    const people = Array.from({ length: 8 }, (_, i) => ({
      clientId: 100 - i * 7,
      userId: `u_${i % 3}x${i}`,
      color: null,
    }))
    settle(people)
    expect(new Set(people.map((p) => p.color)).size).toBe(8)
  })

  it('shows one person in two tabs in one colour', () => {
    const people = [
      { clientId: 5, userId: 'u_same', color: null },
      { clientId: 3, userId: 'u_same', color: null },
      { clientId: 4, userId: 'u_other', color: colorForUser('u_same') },
    ]
    settle(people)
    expect(people[0]?.color).toBe(people[1]?.color)
    expect(people[2]?.color).not.toBe(people[0]?.color)
  })

  it('lets people keep their colour when others leave', () => {
    const [a, b] = clashingIds()
    const people = [
      { clientId: 1, userId: a, color: null as string | null },
      { clientId: 2, userId: b, color: null as string | null },
    ]
    settle(people)
    const kept = people[1]?.color ?? null
    expect(choosePresenceColor({ clientId: 2, userId: b }, kept, [])).toBe(kept)
  })

  it('shares colours as evenly as it can when more people than colours are present', () => {
    const people = Array.from({ length: 12 }, (_, i) => ({ clientId: i + 1, userId: `p${i}`, color: null }))
    settle(people)
    const counts = new Map<string, number>()
    for (const p of people) counts.set(p.color ?? '', (counts.get(p.color ?? '') ?? 0) + 1)
    expect(Math.max(...counts.values())).toBeLessThanOrEqual(2)
  })
})
