/**
 * The colours people are shown in (avatars, carets, selections, names on carets). Each is at
 * least 4.5:1 against white, so a caret or an outline on the page and white text on the colour
 * both read (WCAG AA), and every two of them stay apart (CIEDE2000 ≥ 10) for people with
 * protanopia, deuteranopia or tritanopia as well. Chosen from Okabe–Ito's blue and vermillion,
 * then greedily for distance under those simulations; `presenceColors.test.ts` checks all of it.
 */
export const PRESENCE_PALETTE = [
  '#0072B2', // blue
  '#B35000', // vermillion
  '#794153', // wine
  '#5D7C4C', // sage green
  '#A20475', // magenta
  '#6D4E7B', // violet
  '#2A5B36', // forest green
  '#985D70', // rose
] as const

function hashOf(id: string): number {
  let hash = 0
  for (let i = 0; i < id.length; i++) hash = (hash * 31 + id.charCodeAt(i)) >>> 0
  return hash
}

/** A person's own colour, stable for their id: the one they get wherever it is free. */
export function colorForUser(id: string): string {
  return PRESENCE_PALETTE[hashOf(id) % PRESENCE_PALETTE.length] as string
}

/** Someone else present in a document, as their presence (awareness) state says. */
export interface PresentPerson {
  clientId: number
  userId: string | null
  color: string | null
}

const inPalette = (color: string | null): color is string =>
  color !== null && (PRESENCE_PALETTE as readonly string[]).includes(color)

/**
 * The colour this browser shows its person in, in one document, so that the people present get
 * different colours whenever there are enough. Every browser decides for itself from what all
 * of them share, and the decisions agree: a person keeps their colour unless someone else who
 * arrived first (lower client id) has it; one who must change takes their own colour if free,
 * or the first free one, or when all are taken the least used. The same person in two tabs
 * shows one colour (the one of their lowest client id). Nobody changes colour when others leave.
 */
export function choosePresenceColor(
  self: { clientId: number; userId: string },
  current: string | null,
  others: readonly PresentPerson[],
): string {
  const samePerson = others
    .filter((o) => o.userId === self.userId && o.clientId < self.clientId && inPalette(o.color))
    .sort((a, b) => a.clientId - b.clientId)[0]
  if (samePerson?.color) return samePerson.color
  const people = others.filter((o) => o.userId !== self.userId && inPalette(o.color))
  if (inPalette(current) && !people.some((o) => o.color === current && o.clientId < self.clientId)) return current
  const used = new Map<string, number>()
  for (const o of people) used.set(o.color as string, (used.get(o.color as string) ?? 0) + 1)
  const own = colorForUser(self.userId)
  if (!used.has(own)) return own
  const free = PRESENCE_PALETTE.find((c) => !used.has(c))
  if (free) return free
  return [...PRESENCE_PALETTE].sort((a, b) => (used.get(a) ?? 0) - (used.get(b) ?? 0))[0] as string
}
