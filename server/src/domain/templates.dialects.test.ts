import { PlanModel, sectionField } from '@lever/shared'
import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { DocumentTypes } from '../collab/documentTypes.ts'
import { openDatabase } from '../db/openDatabase.ts'
import { type Db, sqliteQueries } from '../db/queries.ts'
import { quietLogger } from '../logger.ts'
import type { DocStore } from '../storage/DocStore.ts'
import { MemoryDocStore } from '../storage/MemoryDocStore.ts'
import { SqliteDocStore } from '../storage/SqliteDocStore.ts'
import { describeDialects } from '../testing/dialects.ts'
import { testRooms } from '../testing/rooms.ts'
import { templateContent } from './planCopies.ts'
import { TemplateService, templateDocumentType } from './templates.ts'

/** The problem section's text of a plan-shaped document. */
function problemOf(doc: Y.Doc): string {
  return new PlanModel(doc).snapshot().sections.problem ?? ''
}

/**
 * A plan template with its room loaded, on `store`: the service, the rooms, the template, and its
 * version once whatever loading it wrote is written.
 */
async function loadedTemplate(db: Db, store: DocStore) {
  const templates = new TemplateService(db, store)
  const documents = new DocumentTypes().register(templateDocumentType(templates, quietLogger()))
  const rooms = testRooms(store, documents)
  const template = await templates.create({ kind: 'plan', title: 'Wage floor plan' })
  await rooms.withRoom(template.docName, (room) => room.whenDurable())
  await templates.versionOf(template.id)
  const before = (await templates.get(template.id))?.version as number
  return { templates, rooms, template, before }
}

describeDialects('Template versions', (fresh, dialect) => {
  it('a copy made just after a saved change records the version of that change, even while its bump is being written', async () => {
    const { db } = await fresh()
    const { templates, rooms, template, before } = await loadedTemplate(db, new MemoryDocStore())
    try {
      // On PostgreSQL another transaction holds the template's row, so the bump of the next change
      // waits behind it (as it can behind any busy moment of the database) while the copy is made.
      let release = () => {}
      let holding: Promise<void> | null = null
      if (dialect === 'postgres') {
        const locked = new Promise<void>((lockedRow) => {
          holding = db.transaction().execute(async (tx) => {
            await sql`SELECT version FROM templates WHERE id = ${template.id} FOR UPDATE`.execute(tx)
            await new Promise<void>((r) => {
              release = r
              lockedRow()
            })
          })
        })
        await locked
      }
      await rooms.withRoom(template.docName, (room) =>
        room.transactServer((doc) => {
          const paragraph = new Y.XmlElement('paragraph')
          paragraph.insert(0, [new Y.XmlText('Contract janitors earn too little.')])
          doc.getXmlFragment(sectionField('problem')).insert(0, [paragraph])
        }),
      )
      const copying = templateContent({ rooms, templates }, template)
      if (dialect === 'postgres') {
        // The bump is waiting for the row.
        await expect
          .poll(
            async () =>
              (
                await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_stat_activity
                  WHERE wait_event_type = 'Lock' AND query ILIKE 'update "templates"%'`.execute(db)
              ).rows[0]?.n,
            { timeout: 15_000 },
          )
          .toBe(1)
        release()
        await holding
      }
      const { doc, version } = await copying
      try {
        expect(problemOf(doc)).toBe('Contract janitors earn too little.')
        expect(version).toBe(before + 1)
      } finally {
        doc.destroy()
      }
      expect((await templates.get(template.id))?.version).toBe(before + 1)
    } finally {
      await rooms.closeAll(1001, 'test over')
    }
  })
})

describe('Template copies while the template is being typed in', () => {
  it('a copy records the version of every change it holds, though one is applied while the one before is being stored', async () => {
    // The store commits as the server's does: appends wait for the group commit of the tick.
    const sqlite = openDatabase({ dataDir: ':memory:' })
    const db = sqliteQueries(sqlite)
    const store = new SqliteDocStore(sqlite)
    const { templates, rooms, template, before } = await loadedTemplate(db, store)
    try {
      const room = rooms.get(template.docName)
      await room.loaded
      const type = (text: string) =>
        room.transactServer((doc) => {
          const problem = doc.getXmlFragment(sectionField('problem'))
          const paragraph = new Y.XmlElement('paragraph')
          paragraph.insert(0, [new Y.XmlText(text)])
          problem.insert(problem.length, [paragraph])
        })
      // The second change is applied after the copy has asked for the first to be stored and
      // before the store's group commit has run (this callback comes before the commit's).
      setImmediate(() => type('Pay is below the living wage.'))
      type('Contract janitors earn too little.')
      const { doc, version } = await templateContent({ rooms, templates }, template)
      try {
        expect(problemOf(doc)).toContain('Contract janitors earn too little.')
        expect(problemOf(doc)).toContain('Pay is below the living wage.')
        expect(version).toBe(before + 2)
      } finally {
        doc.destroy()
      }
      expect(await templates.versionOf(template.id)).toBe(before + 2)
    } finally {
      await rooms.closeAll(1001, 'test over')
      await store.close()
      await db.destroy()
      sqlite.close()
    }
  })
})
