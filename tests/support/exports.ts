import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { bearer, tempDir } from './server.ts'

/** GETs an export and returns the response with its body as bytes. */
export async function getExport(
  server: { url: string },
  pathAndQuery: string,
  token?: string,
): Promise<{ status: number; headers: Headers; bytes: Buffer; json: () => unknown; text: () => string }> {
  const res = await fetch(`${server.url}/api${pathAndQuery}`, { headers: token ? bearer(token) : {} })
  const bytes = Buffer.from(await res.arrayBuffer())
  return {
    status: res.status,
    headers: res.headers,
    bytes,
    json: () => JSON.parse(bytes.toString('utf8')),
    text: () => bytes.toString('utf8'),
  }
}

/** Writes bytes to a temporary file and returns its path. */
export function tempFile(bytes: Buffer, name: string): string {
  const file = path.join(tempDir('lever-export-'), name)
  fs.writeFileSync(file, bytes)
  return file
}

/** Runs one of poppler-utils' tools (pdftotext, pdfinfo, pdftohtml, pdftoppm) and returns its output. */
export function poppler(tool: 'pdftotext' | 'pdfinfo' | 'pdftohtml' | 'pdftoppm', args: string[]): string {
  return execFileSync(tool, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
}

/** The text of a PDF, in reading order. */
export function pdfText(file: string): string {
  return poppler('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'])
}

/** The bookmarks (outline) of a PDF, as titles, from pdftohtml's XML. */
export function pdfOutline(file: string): string[] {
  const xml = poppler('pdftohtml', ['-xml', '-i', '-q', '-stdout', file])
  const outline = /<outline>[\s\S]*<\/outline>/.exec(xml)?.[0] ?? ''
  return [...outline.matchAll(/<item[^>]*>([^<]*)<\/item>/g)].map((m) => (m[1] ?? '').replace(/&amp;/g, '&').trim())
}
