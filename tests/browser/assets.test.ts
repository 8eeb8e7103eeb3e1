import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import type { LeverServer } from '@lever/server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CLIENT_DIST } from '../support/browser.ts'
import { startServer } from '../support/server.ts'

/** A GET that shows the bytes as sent (Node's fetch would decompress them). */
function rawGet(url: string, acceptEncoding?: string) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    const req = http.get(url, { headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }))
    })
    req.on('error', reject)
  })
}

describe('the built client as served', () => {
  let server: LeverServer
  let entry = ''

  beforeAll(async () => {
    server = await startServer({ staticDir: CLIENT_DIST })
    const html = fs.readFileSync(path.join(CLIENT_DIST, 'index.html'), 'utf8')
    entry = /<script type="module" crossorigin src="([^"]+)"/.exec(html)?.[1] ?? ''
    expect(entry).toMatch(/^\/assets\/index-[\w-]+\.js$/)
  })
  afterAll(async () => {
    await server?.close()
  })

  it('sends the brotli copy of a script to a browser that accepts it, cached for a year', async () => {
    const plain = fs.readFileSync(path.join(CLIENT_DIST, entry))
    const res = await rawGet(`${server.url}${entry}`, 'gzip, deflate, br, zstd')
    expect(res.status).toBe(200)
    expect(res.headers['content-encoding']).toBe('br')
    expect(res.headers.vary).toMatch(/accept-encoding/i)
    expect(res.headers['content-type']).toMatch(/javascript/)
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable')
    expect(res.body.length).toBeLessThan(plain.length / 2)
    expect(brotliDecompressSync(res.body).equals(plain)).toBe(true)
  })

  it('sends gzip to a browser without brotli, and the plain file to one that asks for neither', async () => {
    const plain = fs.readFileSync(path.join(CLIENT_DIST, entry))
    const gz = await rawGet(`${server.url}${entry}`, 'gzip')
    expect(gz.headers['content-encoding']).toBe('gzip')
    expect(gunzipSync(gz.body).equals(plain)).toBe(true)
    const identity = await rawGet(`${server.url}${entry}`)
    expect(identity.headers['content-encoding']).toBeUndefined()
    expect(identity.body.equals(plain)).toBe(true)
  })

  it('loads no Yjs, editor or library page code on the first page: the entry and what it preloads', () => {
    const html = fs.readFileSync(path.join(CLIENT_DIST, 'index.html'), 'utf8')
    const scripts = [
      entry,
      ...[...html.matchAll(/<link rel="modulepreload" crossorigin href="([^"]+)"/g)].map((m) => m[1]),
    ]
    expect(scripts.length).toBeGreaterThan(1)
    const code = scripts.map((s) => fs.readFileSync(path.join(CLIENT_DIST, s as string), 'utf8')).join('\n')
    // Yjs's XML types, Tiptap's editor, and texts only the library, coaching and people pages show.
    for (const marker of [
      'YXmlElement',
      'ProseMirror',
      'Add an evidence entry',
      'Log a coaching session',
      'Allowance per team',
    ]) {
      expect(code.includes(marker), marker).toBe(false)
    }
  })

  it('has a compressed copy of every script and style sheet of the build', () => {
    const assets = fs.readdirSync(path.join(CLIENT_DIST, 'assets'))
    const big = assets.filter(
      (f) => /\.(js|css)$/.test(f) && fs.statSync(path.join(CLIENT_DIST, 'assets', f)).size >= 1024,
    )
    expect(big.length).toBeGreaterThan(5)
    for (const f of big) {
      expect(assets, f).toContain(`${f}.br`)
      expect(assets, f).toContain(`${f}.gz`)
    }
  })
})
