import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { bearer, tempDir } from './server.ts'

/**
 * GETs an export on a connection of its own (no keep-alive: a test that parses a large file
 * blocks the event loop long enough for a kept-alive socket to be closed under the next request).
 */
export function getExport(
  server: { url: string },
  pathAndQuery: string,
  token?: string,
): Promise<{ status: number; headers: Headers; bytes: Buffer; json: () => unknown; text: () => string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      `${server.url}/api${pathAndQuery}`,
      { agent: false, headers: token ? bearer(token) : {} },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('error', reject)
        res.on('end', () => {
          const bytes = Buffer.concat(chunks)
          const headers = new Headers()
          for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') headers.set(k, v)
          resolve({
            status: res.statusCode ?? 0,
            headers,
            bytes,
            json: () => JSON.parse(bytes.toString('utf8')),
            text: () => bytes.toString('utf8'),
          })
        })
      },
    )
    req.on('error', reject)
  })
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

/** The text of a PDF, in reading order, every run of white space (line and page ends) as one space. */
export function pdfText(file: string): string {
  return poppler('pdftotext', ['-enc', 'UTF-8', file, '-']).replace(/\s+/g, ' ')
}

/** The bookmarks (outline) of a PDF, as titles, from pdftohtml's XML. */
export function pdfOutline(file: string): string[] {
  const xml = poppler('pdftohtml', ['-xml', '-i', '-q', '-stdout', file])
  const outline = /<outline>[\s\S]*<\/outline>/.exec(xml)?.[0] ?? ''
  return [...outline.matchAll(/<item[^>]*>([^<]*)<\/item>/g)].map((m) => (m[1] ?? '').replace(/&amp;/g, '&').trim())
}
