import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { DEFAULT_LEVERS, EVIDENCE_TIERS, idsOf, JOB_QUALITY_COMPONENTS } from '@lever/shared'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'

const SEED_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'evidence.seed.json')

/** How many checked entries the seed ships; lowering it means entries were dropped. */
const SHIPPED_ENTRIES = 40

/** The rating schemes the seed uses, each with the words that scheme itself uses. */
const RATING_VALUES: Record<string, readonly string[]> = {
  'Pathways to Work Evidence Clearinghouse': [
    'well-supported',
    'supported',
    'mixed support',
    'not supported',
    'little evidence to assess support',
  ],
  'CLEAR causal evidence rating': ['high', 'moderate', 'low'],
  'What Works Clearinghouse study rating': [
    'Meets WWC standards without reservations',
    'Meets WWC standards with reservations',
  ],
}

const httpsUrl = z.url({ protocol: /^https$/ })
const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/)
const text = z.string().trim().min(1)

const entrySchema = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
    title: text,
    summary: text.max(1200),
    source: z.object({ name: text, url: httpsUrl }).strict(),
    rating: z.object({ scheme: text, value: text }).strict().nullable(),
    outcomeDomains: z.array(text),
    populations: z.array(text).min(1),
    components: z.array(z.enum(idsOf(JOB_QUALITY_COMPONENTS))).min(1),
    levers: z.array(z.enum(idsOf(DEFAULT_LEVERS))).min(1),
    suggestedTier: z.enum(idsOf(EVIDENCE_TIERS)).nullable(),
    checked: z.object({ on: isoDay, where: text }).strict(),
  })
  .strict()

const seedSchema = z.object({ schemaVersion: z.literal(1), entries: z.array(entrySchema) }).strict()

function loadSeed() {
  return seedSchema.parse(JSON.parse(fs.readFileSync(SEED_FILE, 'utf8')))
}

describe('evidence library seed', () => {
  it('matches the seed shape, with catalog component and lever ids, plan evidence tiers and https sources', () => {
    const seed = loadSeed()
    expect(seed.entries.length).toBeGreaterThanOrEqual(SHIPPED_ENTRIES)
  })

  it('gives every entry a unique id', () => {
    const ids = loadSeed().entries.map((e) => e.id)
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('records where and when every entry was checked', () => {
    for (const entry of loadSeed().entries) {
      expect(entry.checked.where.length, entry.id).toBeGreaterThan(20)
      expect(entry.checked.on <= new Date().toISOString().slice(0, 10), entry.id).toBe(true)
    }
  })

  it('uses each rating scheme only with that scheme’s own values', () => {
    for (const entry of loadSeed().entries) {
      if (!entry.rating) continue
      expect(Object.keys(RATING_VALUES), entry.id).toContain(entry.rating.scheme)
      expect(RATING_VALUES[entry.rating.scheme], entry.id).toContain(entry.rating.value)
    }
  })

  it('suggests a tier only where there is a rating to base it on', () => {
    for (const entry of loadSeed().entries) {
      if (entry.suggestedTier !== null) expect(entry.rating, entry.id).not.toBeNull()
    }
  })

  it('lists no component, lever or population twice within an entry', () => {
    for (const entry of loadSeed().entries) {
      for (const list of [entry.components, entry.levers, entry.populations, entry.outcomeDomains]) {
        expect(new Set(list).size, entry.id).toBe(list.length)
      }
    }
  })
})
