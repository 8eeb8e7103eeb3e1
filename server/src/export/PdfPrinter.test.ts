import { afterEach, describe, expect, it } from 'vitest'
import { quietLogger } from '../logger.ts'
import { PdfPrinter, PdfUnavailableError } from './PdfPrinter.ts'

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const page = (text: string) => `<!doctype html><html><body><h1>${text}</h1></body></html>`

async function until(check: () => boolean, message: string): Promise<void> {
  const deadline = Date.now() + 20_000
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${message}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

describe('PdfPrinter', () => {
  let printer: PdfPrinter | null = null
  afterEach(async () => {
    await printer?.close()
  })

  it('refuses to print without a browser, saying what to install', async () => {
    printer = new PdfPrinter({ executablePath: '/nonexistent/chromium', logger: quietLogger() })
    expect(printer.available).toBe(false)
    await expect(printer.print(page('x'), 'footer')).rejects.toBeInstanceOf(PdfUnavailableError)
    await expect(printer.print(page('x'), 'footer')).rejects.toThrow(/apt-get install chromium/)
  })

  // Chromium is installed by the test command (scripts/ensure-chromium.mjs).
  it('starts the browser on the first print, prints two documents asked for at once, and closes it when idle', {
    timeout: 120_000,
  }, async () => {
    printer = new PdfPrinter({ executablePath: chromium, logger: quietLogger(), idleMs: 100 })
    expect(printer.browserRunning).toBe(false)
    const [a, b] = await Promise.all([printer.print(page('first'), 'f'), printer.print(page('second'), 'f')])
    expect(a.subarray(0, 5).toString()).toBe('%PDF-')
    expect(b.subarray(0, 5).toString()).toBe('%PDF-')
    await until(() => !printer?.browserRunning, 'the idle browser to close')
    const again = await printer.print(page('third'), 'f')
    expect(again.subarray(0, 5).toString()).toBe('%PDF-')
  })
})
