import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { EVIDENCE_SEED_FILE, loadEvidenceSeed } from './EvidenceLibrary.ts'

describe('the evidence data file', () => {
  it('fits its schema wherever it exists (the repository’s file included)', () => {
    const file = loadEvidenceSeed(EVIDENCE_SEED_FILE)
    expect(file.schemaVersion).toBe(1)
    for (const entry of file.entries) {
      expect(entry.source.url).toMatch(/^https?:\/\//)
    }
  })

  it('stops with the reason when the file does not fit', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lever-seed-'))
    const bad = path.join(dir, 'bad.json')
    fs.writeFileSync(
      bad,
      JSON.stringify({
        schemaVersion: 1,
        entries: [
          {
            id: 'x',
            title: 'X',
            summary: 'Y',
            source: { name: 'Z', url: 'javascript:alert(1)' },
            rating: null,
            outcomeDomains: [],
            populations: [],
            components: [],
            levers: [],
            suggestedTier: null,
            checked: { on: '2026-01-01', where: 'here' },
          },
        ],
      }),
    )
    expect(() => loadEvidenceSeed(bad)).toThrow(/entries\.0\.source\.url/)
    fs.writeFileSync(bad, '{')
    expect(() => loadEvidenceSeed(bad)).toThrow(/is not JSON/)
    const twice = { id: 'same', title: 'A', summary: 'B', source: { name: 'C', url: 'https://x.gov' }, rating: null }
    fs.writeFileSync(bad, JSON.stringify({ schemaVersion: 1, entries: [twice, twice] }))
    expect(() => loadEvidenceSeed(bad)).toThrow(/unique/)
    expect(loadEvidenceSeed(path.join(dir, 'missing.json')).entries).toEqual([])
  })
})
