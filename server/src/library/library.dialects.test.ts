import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { EvidenceFields, EvidenceSeedFile } from '@lever/shared'
import { afterEach, expect, it } from 'vitest'
import type { Db } from '../db/queries.ts'
import { describeDialects } from '../testing/dialects.ts'
import { EvidenceLibrary } from './EvidenceLibrary.ts'
import { type ResourceFields, ResourceLibrary } from './ResourceLibrary.ts'

function fields(title: string, more: Partial<EvidenceFields> = {}): EvidenceFields {
  return {
    title,
    summary: `What ${title} is and what the evidence found.`,
    source: { name: 'Pathways to Work Evidence Clearinghouse', url: 'https://pathwaystowork.acf.gov/' },
    rating: { scheme: 'Pathways', value: 'Supported' },
    outcomeDomains: ['Earnings'],
    populations: ['Young adults'],
    components: ['wages'],
    levers: ['procurement'],
    suggestedTier: 'moderate',
    checked: { on: '2026-11-02', where: 'https://pathwaystowork.acf.gov/ (rating: supported)' },
    ...more,
  }
}

function seedFile(entries: Array<{ id: string; title: string; rating?: string }>): EvidenceSeedFile {
  return {
    schemaVersion: 1,
    entries: entries.map(({ id, title, rating }) => ({
      id,
      ...fields(title, { rating: rating ? { scheme: 'Pathways', value: rating } : null }),
    })),
  }
}

/** The search rows the database keeps for a kind of library item. */
async function searchRows(db: Db, kind: 'evidence' | 'resource') {
  return db.selectFrom('search_rows').select(['ref', 'title', 'body']).where('kind', '=', kind).orderBy('ref').execute()
}

const upload = (name: string, text: string) => ({ name, type: 'text/plain', bytes: new TextEncoder().encode(text) })
const resourceFields = (title: string): ResourceFields => ({
  title,
  description: `About ${title}`,
  levers: ['policy'],
  components: ['benefits'],
})

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
})
function uploadDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lever-uploads-'))
  dirs.push(dir)
  return dir
}

describeDialects('EvidenceLibrary', (fresh) => {
  it('creates an entry at revision 1 with its first rating, and the database indexes it for search', async () => {
    const { db } = await fresh()
    const library = new EvidenceLibrary(db)
    const entry = await library.create(fields('Sectoral training'), 'fay')
    expect(entry).toMatchObject({
      title: 'Sectoral training',
      revision: 1,
      rating: { scheme: 'Pathways', value: 'Supported' },
      outcomeDomains: ['Earnings'],
      populations: ['Young adults'],
      components: ['wages'],
      levers: ['procurement'],
      suggestedTier: 'moderate',
      checked: { on: '2026-11-02' },
      createdBy: 'fay',
    })
    expect(entry.id).toMatch(/^sectoral-training-[A-Za-z0-9_-]{6}$/)
    expect(await library.get(entry.id)).toEqual(entry)
    expect(await library.get('no-such-entry')).toBeNull()
    expect(await library.ratingHistory(entry.id)).toEqual([
      { revision: 1, rating: { scheme: 'Pathways', value: 'Supported' }, at: entry.createdAt },
    ])
    const rows = await searchRows(db, 'evidence')
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ ref: entry.id, title: 'Sectoral training' })
    expect(rows[0]?.body).toContain('What Sectoral training is')
    expect(rows[0]?.body).toContain('Young adults')
    expect(rows[0]?.body).toContain('Earnings')
  })

  it('lists by title ignoring ASCII case, then id, and filters like the library page', async () => {
    const { db } = await fresh()
    const library = new EvidenceLibrary(db)
    await library.create(fields('banana wage floor', { levers: ['policy'] }), null, { id: 'b' })
    await library.create(fields('Apple apprenticeships'), null, { id: 'a' })
    await library.create(fields('Cherry child care', { rating: null, populations: ['Parents'] }), null, { id: 'c' })
    await library.create(fields('apple apprenticeships'), null, { id: 'a2' })
    expect((await library.list()).map((e) => e.id)).toEqual(['a', 'a2', 'b', 'c'])
    expect((await library.list({ lever: 'policy' })).map((e) => e.id)).toEqual(['b'])
    expect((await library.list({ rating: 'none' })).map((e) => e.id)).toEqual(['c'])
    expect((await library.list({ population: 'parents' })).map((e) => e.id)).toEqual(['c'])
  })

  it('an edit raises the revision, marks the entry edited, and keeps a changed rating in the history', async () => {
    const { db } = await fresh()
    const library = new EvidenceLibrary(db)
    const entry = await library.create(fields('Transitional jobs'), 'fay', { id: 'transitional-jobs' })
    const retitled = await library.update(entry.id, { title: 'Transitional jobs programs' }, 'fay')
    expect(retitled).toMatchObject({ title: 'Transitional jobs programs', revision: 2, summary: entry.summary })
    expect(await library.ratingHistory(entry.id)).toHaveLength(1)
    const rerated = await library.update(entry.id, { rating: { scheme: 'CLEAR', value: 'high' } }, 'gus')
    expect(rerated).toMatchObject({ revision: 3, rating: { scheme: 'CLEAR', value: 'high' } })
    expect((await library.ratingHistory(entry.id)).map((h) => [h.revision, h.rating?.value])).toEqual([
      [1, 'Supported'],
      [3, 'high'],
    ])
    const edited = await db.selectFrom('evidence_entries').select(['edited', 'updated_by']).executeTakeFirstOrThrow()
    expect(edited).toEqual({ edited: 1, updated_by: 'gus' })
    expect(await searchRows(db, 'evidence')).toEqual([
      expect.objectContaining({ ref: entry.id, title: 'Transitional jobs programs' }),
    ])
    expect(await library.update('no-such-entry', { title: 'x' }, 'fay')).toBeNull()
  })

  it('edits made at the same moment all land, each at its own revision', async () => {
    const { db } = await fresh()
    const library = new EvidenceLibrary(db)
    const entry = await library.create(fields('Earnings supplements'), 'fay', { id: 'earnings' })
    await Promise.all([
      library.update(entry.id, { summary: 'A new summary.' }, 'fay'),
      library.update(entry.id, { rating: { scheme: 'CLEAR', value: 'moderate' } }, 'gus'),
      library.update(entry.id, { populations: ['Parents'] }, 'hal'),
    ])
    const after = await library.get(entry.id)
    expect(after).toMatchObject({
      summary: 'A new summary.',
      rating: { value: 'moderate' },
      populations: ['Parents'],
      revision: 4,
    })
    const history = await library.ratingHistory(entry.id)
    expect(history.map((h) => h.rating?.value)).toEqual(['Supported', 'moderate'])
    expect(history[1]?.revision).toBeGreaterThan(1)
  })

  it('seeds from the data file: adds, updates unedited entries, never overwrites an edited or a facilitator’s own', async () => {
    const { db } = await fresh()
    const library = new EvidenceLibrary(db)
    const first = seedFile([
      { id: 'kept', title: 'Kept', rating: 'Supported' },
      { id: 'plain', title: 'Plain', rating: 'Supported' },
    ])
    expect(await library.seed(first)).toEqual({ added: 2, updated: 0 })
    expect(await library.seed(first)).toEqual({ added: 0, updated: 0 })
    await library.update('kept', { rating: { scheme: 'Pathways', value: 'Well-supported' } }, 'fay')
    await library.create(fields('Theirs'), 'fay', { id: 'theirs' })

    const second = seedFile([
      { id: 'kept', title: 'Kept, retitled in the file', rating: 'Not supported' },
      { id: 'plain', title: 'Plain, corrected', rating: 'Well-supported' },
      { id: 'theirs', title: 'The file’s own idea of theirs' },
      { id: 'new', title: 'New in the file' },
    ])
    expect(await library.seed(second)).toEqual({ added: 1, updated: 1 })
    expect(await library.get('kept')).toMatchObject({ title: 'Kept', rating: { value: 'Well-supported' }, revision: 2 })
    expect(await library.get('plain')).toMatchObject({ title: 'Plain, corrected', revision: 2 })
    expect(await library.get('theirs')).toMatchObject({ title: 'Theirs', revision: 1, createdBy: 'fay' })
    expect(await library.get('new')).toMatchObject({ title: 'New in the file', revision: 1, rating: null })
    expect((await library.ratingHistory('plain')).map((h) => [h.revision, h.rating?.value])).toEqual([
      [1, 'Supported'],
      [2, 'Well-supported'],
    ])
    const flags = await db.selectFrom('evidence_entries').select(['id', 'seeded', 'edited']).orderBy('id').execute()
    expect(flags).toEqual([
      { id: 'kept', seeded: 1, edited: 1 },
      { id: 'new', seeded: 1, edited: 0 },
      { id: 'plain', seeded: 1, edited: 0 },
      { id: 'theirs', seeded: 0, edited: 0 },
    ])
    expect((await searchRows(db, 'evidence')).map((r) => [r.ref, r.title])).toEqual([
      ['kept', 'Kept'],
      ['new', 'New in the file'],
      ['plain', 'Plain, corrected'],
      ['theirs', 'Theirs'],
    ])
  })

  it('two servers seeding at once add each entry once', async () => {
    const { db } = await fresh()
    const file = seedFile([
      { id: 'one', title: 'One' },
      { id: 'two', title: 'Two' },
    ])
    const results = await Promise.all([new EvidenceLibrary(db).seed(file), new EvidenceLibrary(db).seed(file)])
    expect(results.reduce((n, r) => n + r.added, 0)).toBe(2)
    expect(await db.selectFrom('evidence_rating_history').select('entry_id').execute()).toHaveLength(2)
    expect(await searchRows(db, 'evidence')).toHaveLength(2)
  })

  it('the database drops an entry’s search row and rating history with the entry', async () => {
    const { db } = await fresh()
    const library = new EvidenceLibrary(db)
    const entry = await library.create(fields('Gone soon'), 'fay', { id: 'gone' })
    await library.create(fields('Staying'), 'fay', { id: 'staying' })
    await db.deleteFrom('evidence_entries').where('id', '=', entry.id).execute()
    expect((await searchRows(db, 'evidence')).map((r) => r.ref)).toEqual(['staying'])
    expect(await library.ratingHistory(entry.id)).toEqual([])
  })
})

describeDialects('ResourceLibrary', (fresh) => {
  it('adds links, lists them by title, and the database indexes them for search', async () => {
    const { db } = await fresh()
    const resources = new ResourceLibrary(db, uploadDir())
    const b = await resources.addLink(resourceFields('budget template'), 'https://example.org/b', 'fay')
    const a = await resources.addLink(resourceFields('Apprenticeship guide'), 'https://example.org/a', 'fay')
    expect(a).toMatchObject({
      title: 'Apprenticeship guide',
      description: 'About Apprenticeship guide',
      levers: ['policy'],
      components: ['benefits'],
      url: 'https://example.org/a',
      file: null,
      createdBy: 'fay',
    })
    expect((await resources.list()).map((r) => r.id)).toEqual([a.id, b.id])
    expect(await resources.get(a.id)).toEqual(a)
    expect(await resources.get('missing')).toBeNull()
    expect(await resources.file(a.id)).toBeNull()
    expect((await searchRows(db, 'resource')).map((r) => r.ref).sort()).toEqual([a.id, b.id].sort())
  })

  it('writes an uploaded file to disk and records it; serves where it is', async () => {
    const { db } = await fresh()
    const dir = uploadDir()
    const resources = new ResourceLibrary(db, dir)
    const resource = await resources.addFile(
      resourceFields('Job quality checklist'),
      upload('checklist.txt', 'hi'),
      'fay',
    )
    expect(resource).toMatchObject({
      url: null,
      file: {
        name: 'checklist.txt',
        type: 'text/plain',
        size: 2,
        href: `/api/library/resources/${resource.id}/file`,
      },
    })
    const stored = await resources.file(resource.id)
    expect(stored).toMatchObject({ name: 'checklist.txt', type: 'text/plain', size: 2 })
    expect(path.dirname(stored?.path ?? '')).toBe(dir)
    expect(fs.readFileSync(stored?.path ?? '', 'utf8')).toBe('hi')
    expect(fs.readdirSync(dir)).toHaveLength(1)
    const [row] = await searchRows(db, 'resource')
    expect(row).toMatchObject({ ref: resource.id, title: 'Job quality checklist' })
    expect(row?.body).toContain('checklist.txt')
  })

  it('leaves no file behind when the row cannot be recorded', async () => {
    const { db } = await fresh()
    const dir = uploadDir()
    const resources = new ResourceLibrary(db, dir)
    const broken = { ...resourceFields('x'), title: null } as unknown as ResourceFields
    await expect(resources.addFile(broken, upload('a.txt', 'bytes'), 'fay')).rejects.toThrow()
    expect(fs.readdirSync(dir)).toEqual([])
    expect(await resources.list()).toEqual([])
  })

  it('updates only the fields given; a file never gets a link; the search row follows', async () => {
    const { db } = await fresh()
    const resources = new ResourceLibrary(db, uploadDir())
    const link = await resources.addLink(resourceFields('Guide'), 'https://example.org/old', 'fay')
    const file = await resources.addFile(resourceFields('Sheet'), upload('sheet.txt', 'rows'), 'fay')
    const changed = await resources.update(link.id, { url: 'https://example.org/new', levers: ['hrPractices'] }, 'gus')
    expect(changed).toMatchObject({
      title: 'Guide',
      description: 'About Guide',
      url: 'https://example.org/new',
      levers: ['hrPractices'],
      components: ['benefits'],
    })
    const kept = await resources.update(file.id, { url: 'https://example.org/sneaky', title: 'Sheet, renamed' }, 'gus')
    expect(kept).toMatchObject({ title: 'Sheet, renamed', url: null, file: { name: 'sheet.txt' } })
    expect(await resources.update('missing', { title: 'x' }, 'gus')).toBeNull()
    expect((await searchRows(db, 'resource')).find((r) => r.ref === file.id)?.title).toBe('Sheet, renamed')
    expect(await searchRows(db, 'resource')).toHaveLength(2)
  })

  it('deletes a resource with its file and search row, once', async () => {
    const { db } = await fresh()
    const dir = uploadDir()
    const resources = new ResourceLibrary(db, dir)
    const link = await resources.addLink(resourceFields('Guide'), 'https://example.org/g', 'fay')
    const file = await resources.addFile(resourceFields('Sheet'), upload('sheet.txt', 'rows'), 'fay')
    expect(await resources.delete(file.id)).toBe(true)
    expect(fs.readdirSync(dir)).toEqual([])
    expect(await resources.delete(file.id)).toBe(false)
    expect(await resources.delete(link.id)).toBe(true)
    expect(await searchRows(db, 'resource')).toEqual([])
    expect(await resources.list()).toEqual([])
  })
})
