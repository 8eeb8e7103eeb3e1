import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { newId, type Resource, type updateResourceRequestSchema } from '@lever/shared'
import type { Database, Statement } from 'better-sqlite3'
import type { z } from 'zod'
import { preparedStatements } from '../db/preparedStatements.ts'

interface ResourceRow {
  id: string
  title: string
  description: string
  levers: string
  components: string
  url: string | null
  file_name: string | null
  file_type: string | null
  file_size: number | null
  file_key: string | null
  created_by: string | null
  created_at: string
  updated_at: string
}

export interface ResourceFields {
  title: string
  description: string
  levers: string[]
  components: string[]
}

export interface StoredFile {
  path: string
  name: string
  type: string
  size: number
}

function toResource(row: ResourceRow): Resource {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    levers: JSON.parse(row.levers) as string[],
    components: JSON.parse(row.components) as string[],
    url: row.url,
    file:
      row.file_key !== null
        ? {
            name: row.file_name ?? 'file',
            type: row.file_type ?? 'application/octet-stream',
            size: row.file_size ?? 0,
            href: `/api/library/resources/${encodeURIComponent(row.id)}/file`,
          }
        : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    createdBy: row.created_by,
  }
}

/**
 * Tools and sample documents: links, or files stored under `uploadDir` with a random name (the
 * name people gave a file is kept in the database only, and never used as a path).
 */
export class ResourceLibrary {
  private readonly sql: (sql: string) => Statement

  constructor(
    db: Database,
    readonly uploadDir: string,
  ) {
    this.sql = preparedStatements(db)
  }

  list(): Resource[] {
    const rows = this.sql('SELECT * FROM library_resources ORDER BY title COLLATE NOCASE, id').all() as ResourceRow[]
    return rows.map(toResource)
  }

  get(id: string): Resource | null {
    const row = this.sql('SELECT * FROM library_resources WHERE id = ?').get(id) as ResourceRow | undefined
    return row ? toResource(row) : null
  }

  /** Where a resource's file is on disk, or null for a link (or no such resource). */
  file(id: string): StoredFile | null {
    const row = this.sql('SELECT * FROM library_resources WHERE id = ?').get(id) as ResourceRow | undefined
    if (!row?.file_key) return null
    return {
      path: path.join(this.uploadDir, row.file_key),
      name: row.file_name ?? 'file',
      type: row.file_type ?? 'application/octet-stream',
      size: row.file_size ?? 0,
    }
  }

  addLink(fields: ResourceFields, url: string, userId: string | null): Resource {
    const id = newId()
    const now = new Date().toISOString()
    this.sql(
      `INSERT INTO library_resources (id, title, description, levers, components, url, created_by, updated_by, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      id,
      fields.title,
      fields.description,
      JSON.stringify(fields.levers),
      JSON.stringify(fields.components),
      url,
      userId,
      userId,
      now,
      now,
    )
    return this.get(id) as Resource
  }

  /** Writes the file (durably, under a temporary name first), then records it; nothing stays on failure. */
  async addFile(
    fields: ResourceFields,
    file: { name: string; type: string; bytes: Uint8Array },
    userId: string | null,
  ): Promise<Resource> {
    fs.mkdirSync(this.uploadDir, { recursive: true })
    const key = randomBytes(18).toString('base64url')
    const target = path.join(this.uploadDir, key)
    const temp = `${target}.part`
    try {
      const handle = await fs.promises.open(temp, 'wx', 0o600)
      try {
        await handle.writeFile(file.bytes)
        await handle.sync()
      } finally {
        await handle.close()
      }
      await fs.promises.rename(temp, target)
      const id = newId()
      const now = new Date().toISOString()
      this.sql(
        `INSERT INTO library_resources (id, title, description, levers, components, file_name, file_type, file_size,
           file_key, created_by, updated_by, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        id,
        fields.title,
        fields.description,
        JSON.stringify(fields.levers),
        JSON.stringify(fields.components),
        file.name,
        file.type,
        file.bytes.byteLength,
        key,
        userId,
        userId,
        now,
        now,
      )
      return this.get(id) as Resource
    } catch (error) {
      fs.rmSync(temp, { force: true })
      fs.rmSync(target, { force: true })
      throw error
    }
  }

  /** Changes a resource's fields; a link may change to another link. Null: no such resource. */
  update(id: string, patch: z.output<typeof updateResourceRequestSchema>, userId: string | null): Resource | null {
    const row = this.sql('SELECT * FROM library_resources WHERE id = ?').get(id) as ResourceRow | undefined
    if (!row) return null
    const next = {
      title: patch.title ?? row.title,
      description: patch.description ?? row.description,
      levers: patch.levers ? JSON.stringify(patch.levers) : row.levers,
      components: patch.components ? JSON.stringify(patch.components) : row.components,
      url: row.url === null ? null : (patch.url ?? row.url),
    }
    this.sql(
      `UPDATE library_resources SET title = ?, description = ?, levers = ?, components = ?, url = ?,
         updated_by = ?, updated_at = ? WHERE id = ?`,
    ).run(next.title, next.description, next.levers, next.components, next.url, userId, new Date().toISOString(), id)
    return this.get(id)
  }

  /** Removes a resource and its file. False when there was no such resource. */
  delete(id: string): boolean {
    const stored = this.file(id)
    const removed = this.sql('DELETE FROM library_resources WHERE id = ?').run(id).changes > 0
    if (removed && stored) fs.rmSync(stored.path, { force: true })
    return removed
  }
}
