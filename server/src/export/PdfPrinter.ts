import fs from 'node:fs'
import { escapeHtml } from '@lever/shared'
import type { Browser } from 'playwright-core'
import type { Logger } from '../logger.ts'

/** Raised when the server has no browser to print with; the API answers 503 `pdf_unavailable`. */
export class PdfUnavailableError extends Error {}

/** Raised when too many PDFs wait to be printed; the API answers 503. */
export class PdfBusyError extends Error {}

export interface PdfPrinterOptions {
  /** Chromium's executable (`CHROMIUM_PATH`, default `/usr/bin/chromium`). */
  executablePath: string
  logger: Logger
  /** Close the browser after this long without a print. */
  idleMs?: number
  /** Most prints waiting at once; more are refused. */
  maxQueue?: number
  /** Longest one print may take. */
  timeoutMs?: number
}

/**
 * Prints HTML to PDF with Chromium (through playwright-core). The browser starts on the first
 * print, prints one document at a time (a queue), and closes when idle. Pages print with
 * JavaScript off and every network request refused: only the HTML given is rendered.
 */
export class PdfPrinter {
  private browser: Promise<Browser> | null = null
  private tail: Promise<unknown> = Promise.resolve()
  private waiting = 0
  private idleTimer: NodeJS.Timeout | null = null
  private closed = false

  constructor(private readonly options: PdfPrinterOptions) {}

  /** Whether a browser is installed where the printer looks for it. */
  get available(): boolean {
    return fs.existsSync(this.options.executablePath)
  }

  /** Whether the browser is running (it starts on the first print and stops when idle). */
  get browserRunning(): boolean {
    return this.browser !== null
  }

  /** What to tell a person when PDF printing is not available. */
  get unavailableMessage(): string {
    return `PDF export needs Chromium on the server and it was not found at ${this.options.executablePath}. Install it (on Debian: apt-get install chromium) or set CHROMIUM_PATH; the other formats work without it.`
  }

  /** Prints a whole HTML document; `footer` (plain text) goes in every page's footer with page numbers. */
  print(html: string, footer: string): Promise<Buffer> {
    if (this.closed) return Promise.reject(new PdfUnavailableError('The server is shutting down'))
    if (!this.available) return Promise.reject(new PdfUnavailableError(this.unavailableMessage))
    if (this.waiting >= (this.options.maxQueue ?? 16)) {
      return Promise.reject(new PdfBusyError('Too many PDF exports are waiting; try again in a minute.'))
    }
    this.waiting += 1
    const job = this.tail.then(() => this.printNow(html, footer))
    this.tail = job
      .catch(() => undefined)
      .finally(() => {
        this.waiting -= 1
        if (this.waiting === 0) this.scheduleIdleClose()
      })
    return job
  }

  /** Closes the browser (if it was started). */
  async close(): Promise<void> {
    this.closed = true
    if (this.idleTimer) clearTimeout(this.idleTimer)
    await this.tail
    await this.closeBrowser()
  }

  private async printNow(html: string, footer: string): Promise<Buffer> {
    if (this.idleTimer) clearTimeout(this.idleTimer)
    const browser = await this.launch()
    const context = await browser.newContext({ javaScriptEnabled: false, offline: true })
    try {
      await context.route('**/*', (route) => route.abort())
      const page = await context.newPage()
      page.setDefaultTimeout(this.options.timeoutMs ?? 180_000)
      await page.setContent(html, { waitUntil: 'load' })
      return await page.pdf({
        format: 'Letter',
        printBackground: true,
        preferCSSPageSize: true,
        tagged: true,
        outline: true,
        displayHeaderFooter: true,
        headerTemplate: '<span></span>',
        footerTemplate: `<div style="font-family: 'Liberation Sans', Arial, sans-serif; font-size: 8px; color: #374151; width: 100%; padding: 0 16mm; display: flex; justify-content: space-between;"><span>${escapeHtml(
          footer,
        )}</span><span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`,
        margin: { top: '18mm', bottom: '20mm', left: '16mm', right: '16mm' },
      })
    } finally {
      await context.close().catch(() => undefined)
    }
  }

  private launch(): Promise<Browser> {
    if (!this.browser) {
      this.options.logger.info({ executablePath: this.options.executablePath }, 'starting Chromium for PDF export')
      // playwright-core loads with the first print: it is the largest module the server has
      // (tens of MiB resident), and most servers never print.
      const launching = import('playwright-core').then(({ chromium }) =>
        chromium.launch({
          executablePath: this.options.executablePath,
          headless: true,
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-sync',
            '--no-first-run',
          ],
        }),
      )
      this.browser = launching
      launching.then(
        (b) =>
          b.on('disconnected', () => {
            if (this.browser === launching) this.browser = null
          }),
        () => {
          if (this.browser === launching) this.browser = null
        },
      )
    }
    return this.browser
  }

  private scheduleIdleClose(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer)
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null
      if (this.waiting === 0) void this.closeBrowser()
    }, this.options.idleMs ?? 60_000)
    this.idleTimer.unref()
  }

  private async closeBrowser(): Promise<void> {
    const browser = this.browser
    this.browser = null
    if (!browser) return
    try {
      await (await browser).close()
      this.options.logger.info('closed the idle PDF browser')
    } catch (error) {
      this.options.logger.warn({ err: error }, 'closing the PDF browser failed')
    }
  }
}
