import type { ReactNode } from 'react'

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" }

/**
 * Renders a search snippet (escaped text with `<mark>` around matches, as the server sends it) as
 * React elements: the marks become `<mark>` and everything else plain text, so nothing the server
 * sends is ever parsed as HTML.
 */
export function renderSnippet(snippet: string): ReactNode[] {
  const out: ReactNode[] = []
  let marked = false
  let key = 0
  for (const part of snippet.split(/(<mark>|<\/mark>)/)) {
    if (part === '<mark>') marked = true
    else if (part === '</mark>') marked = false
    else if (part) {
      const text = part.replace(/&(amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e] ?? e)
      key++
      out.push(marked ? <mark key={key}>{text}</mark> : text)
    }
  }
  return out
}
