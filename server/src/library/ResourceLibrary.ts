import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { newId, type Resource, type updateResourceRequestSchema } from '@lever/shared'
import { type Selectable, sql } from 'kysely'
import type { z } from 'zod'
import type { Db } from '../db/queries.ts'
import type { LibraryResourcesTable } from '../db/tables.ts'
import { byTitle } from './titleOrder.ts'

type ResourceRow = Selectable<LibraryResourcesTable>

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
  constructor(
    private readonly db: Db,
    readonly uploadDir: string,
  ) {}

  async list(): Promise<Resource[]> {
    const rows = await this.db.selectFrom('library_resources').selectAll().execute()
    return rows.sort(byTitle).map(toResource)
  }

  async get(id: string): Promise<Resource | null> {
    const row = await this.db.selectFrom('library_resources').selectAll().where('id', '=', id).executeTakeFirst()
    return row ? toResource(row) : null
  }

  /** Where a resource's file is on disk, or null for a link (or no such resource). */
  async file(id: string): Promise<StoredFile | null> {
    const row = await this.db
      .selectFrom('library_resources')
      .select(['file_key', 'file_name', 'file_type', 'file_size'])
      .where('id', '=', id)
      .executeTakeFirst()
    if (!row?.file_key) return null
    return {
      path: path.join(this.uploadDir, row.file_key),
      name: row.file_name ?? 'file',
      type: row.file_type ?? 'application/octet-stream',
      size: row.file_size ?? 0,
    }
  }

  async addLink(fields: ResourceFields, url: string, userId: string | null): Promise<Resource> {
    return this.insert(fields, userId, { url })
  }

  /** Records a new resource: its fields, who added it, and its link or its stored file. */
  private async insert(
    fields: ResourceFields,
    userId: string | null,
    source: { url: string } | { file_name: string; file_type: string; file_size: number; file_key: string },
  ): Promise<Resource> {
    const now = new Date().toISOString()
    const row = await this.db
      .insertInto('library_resources')
      .values({
        id: newId(),
        title: fields.title,
        description: fields.description,
        levers: JSON.stringify(fields.levers),
        components: JSON.stringify(fields.components),
        ...source,
        created_by: userId,
        updated_by: userId,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    return toResource(row)
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
      return await this.insert(fields, userId, {
        file_name: file.name,
        file_type: file.type,
        file_size: file.bytes.byteLength,
        file_key: key,
      })
    } catch (error) {
      fs.rmSync(temp, { force: true })
      fs.rmSync(target, { force: true })
      throw error
    }
  }

  /**
   * Changes a resource's fields in one statement (fields not in the patch keep what they are then);
   * a link may change to another link, a file never gets one. Null: no such resource.
   */
  async update(
    id: string,
    patch: z.output<typeof updateResourceRequestSchema>,
    userId: string | null,
  ): Promise<Resource | null> {
    const row = await this.db
      .updateTable('library_resources')
      .set({
        ...(patch.title !== undefined ? { title: patch.title } : {}),
        ...(patch.description !== undefined ? { description: patch.description } : {}),
        ...(patch.levers !== undefined ? { levers: JSON.stringify(patch.levers) } : {}),
        ...(patch.components !== undefined ? { components: JSON.stringify(patch.components) } : {}),
        ...(patch.url !== undefined
          ? { url: sql<string | null>`case when url is null then null else ${patch.url} end` }
          : {}),
        updated_by: userId,
        updated_at: new Date().toISOString(),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst()
    return row ? toResource(row) : null
  }

  /** Removes a resource and its file. False when there was no such resource. */
  async delete(id: string): Promise<boolean> {
    const removed = await this.db
      .deleteFrom('library_resources')
      .where('id', '=', id)
      .returning('file_key')
      .executeTakeFirst()
    if (!removed) return false
    if (removed.file_key) fs.rmSync(path.join(this.uploadDir, removed.file_key), { force: true })
    return true
  }
}
