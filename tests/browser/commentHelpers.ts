import fs from 'node:fs'
import path from 'node:path'
import type { Locator, Page } from 'playwright-core'
import { ARTIFACTS_DIR, type Person } from '../support/browser.ts'

/**
 * Selects `words` in a rich-text editor as a person would with the mouse: the editor takes focus
 * and the browser's selection spans exactly those characters (ProseMirror reads it from there).
 */
export async function selectWords(page: Page, editorSelector: string, words: string, occurrence = 0): Promise<void> {
  // Another person's typing may still be on its way to this page: wait until the words are there
  // (as a person would wait to see them) before selecting them.
  await page
    .waitForFunction(
      ({ selector, words, occurrence }) => {
        const root = document.querySelector(selector)
        if (!root) return false
        const copy = root.cloneNode(true) as Element
        for (const caret of Array.from(copy.querySelectorAll('.collaboration-carets__caret'))) caret.remove()
        const text = copy.textContent ?? ''
        let at = -1
        for (let n = 0; n <= occurrence; n++) {
          at = text.indexOf(words, at + 1)
          if (at === -1) return false
        }
        return true
      },
      { selector: editorSelector, words, occurrence },
      { timeout: 5_000 },
    )
    .catch(async () => {
      throw new Error(`"${words}" never appeared in ${editorSelector}: ${await editorText(page, editorSelector)}`)
    })
  await page.locator(editorSelector).click()
  await page.evaluate(
    ({ selector, words, occurrence }) => {
      const root = document.querySelector(selector)
      if (!root) throw new Error(`no ${selector}`)
      // The editor's text, character by character, with the text node each one is in.
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT)
      const chars: Array<{ node: Text; offset: number }> = []
      let text = ''
      for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
        if (node.parentElement?.closest('.collaboration-carets__caret')) continue
        for (let i = 0; i < node.data.length; i++) chars.push({ node, offset: i })
        text += node.data
      }
      let at = -1
      for (let n = 0; n <= occurrence; n++) at = text.indexOf(words, at + 1)
      if (at === -1) throw new Error(`"${words}" is not in ${selector}: ${text}`)
      const start = chars[at]
      const end = chars[at + words.length - 1]
      if (!start || !end) throw new Error('selection out of range')
      const range = document.createRange()
      range.setStart(start.node, start.offset)
      range.setEnd(end.node, end.offset + 1)
      const selection = document.getSelection()
      selection?.removeAllRanges()
      selection?.addRange(range)
    },
    { selector: editorSelector, words, occurrence },
  )
  // ProseMirror picks the selection up on `selectionchange`, a little later (much later on a busy
  // machine): wait until the editor's own state has it, or the next key would act on the old one.
  await page.waitForFunction(
    ({ selector, words }) => {
      const el = document.querySelector(selector) as
        | (Element & {
            editor?: {
              state: {
                selection: { from: number; to: number }
                doc: { textBetween(a: number, b: number, sep: string): string }
              }
            }
          })
        | null
      if (!el || document.getSelection()?.toString() !== words || !el.contains(document.activeElement)) return false
      const state = el.editor?.state
      return !state || state.doc.textBetween(state.selection.from, state.selection.to, '') === words
    },
    { selector: editorSelector, words },
  )
}

/** The text under each comment highlight in an editor, by thread id (other people's carets left out). */
export async function highlights(page: Page, editorSelector: string): Promise<Record<string, string>> {
  return page.evaluate((selector) => {
    const out: Record<string, string> = {}
    const root = document.querySelector(selector)
    if (!root) return out
    const copy = root.cloneNode(true) as Element
    for (const caret of Array.from(copy.querySelectorAll('.collaboration-carets__caret'))) caret.remove()
    for (const el of Array.from(copy.querySelectorAll('[data-thread-id]'))) {
      const id = el.getAttribute('data-thread-id') ?? ''
      out[id] = (out[id] ?? '') + (el.textContent ?? '')
    }
    return out
  }, editorSelector)
}

/** The comments sidebar of a person's plan page. */
export function sidebar(person: Person): Locator {
  return person.page.locator('#comments-sidebar')
}

/** The card of the thread whose heading or quote contains `text`. */
export function threadCard(person: Person, text: string | RegExp): Locator {
  return sidebar(person).locator('article.thread-card', { hasText: text })
}

/**
 * Records every WebSocket the page opens and whether it closed, so a test can assert that the
 * collaboration connection stayed open (the server closes a connection that sends a change it
 * may not make).
 */
export function watchSockets(page: Page): { closed: () => string[] } {
  const closed: string[] = []
  page.on('websocket', (ws) => {
    ws.on('close', () => closed.push(ws.url()))
  })
  return { closed: () => closed }
}

/** An editor's text without the other people's carets (their names are inside the editor). */
export async function editorText(page: Page, editorSelector: string): Promise<string> {
  return page.evaluate((selector) => {
    const el = document.querySelector(selector)
    if (!el) return ''
    const copy = el.cloneNode(true) as Element
    for (const caret of Array.from(copy.querySelectorAll('.collaboration-carets__caret'))) caret.remove()
    return copy.textContent ?? ''
  }, editorSelector)
}

/** Saves what the person sees right now (the viewport, not the whole page) under tests/artifacts/. */
export async function viewShot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true })
  await page.screenshot({ path: path.join(ARTIFACTS_DIR, `${name}.png`) })
}
