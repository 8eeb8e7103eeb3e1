import { escapeHtml, safeHref } from './format.ts'
import type { ProseMark, ProseNode } from './proseJson.ts'

function wrapMark(html: string, mark: ProseMark): string {
  switch (mark.type) {
    case 'bold':
      return `<strong>${html}</strong>`
    case 'italic':
      return `<em>${html}</em>`
    case 'strike':
      return `<s>${html}</s>`
    case 'underline':
      return `<u>${html}</u>`
    case 'code':
      return `<code>${html}</code>`
    case 'link': {
      const href = safeHref(mark.attrs?.href)
      return href ? `<a href="${escapeHtml(href)}">${html}</a>` : html
    }
    default:
      // Comment anchors and unknown marks print as plain text.
      return html
  }
}

/**
 * HTML of a prose field, everything escaped. `headingOffset` shifts the prose's own headings
 * below the heading of the section that holds them (a level-1 heading in a section under an
 * `<h3>` becomes an `<h4>`).
 */
export function proseHtml(node: ProseNode, headingOffset = 3): string {
  const inner = () => (node.content ?? []).map((c) => proseHtml(c, headingOffset)).join('')
  switch (node.type) {
    case 'doc':
      return inner()
    case 'text':
      return (node.marks ?? []).reduce(wrapMark, escapeHtml(node.text ?? ''))
    case 'paragraph':
      return `<p>${inner()}</p>`
    case 'heading': {
      const level = Math.min(6, Math.max(1, Number(node.attrs?.level) || 1) + headingOffset)
      return `<h${level} class="bb-prose-heading">${inner()}</h${level}>`
    }
    case 'bulletList':
      return `<ul>${inner()}</ul>`
    case 'orderedList': {
      const start = Number(node.attrs?.start)
      return Number.isInteger(start) && start > 1 ? `<ol start="${start}">${inner()}</ol>` : `<ol>${inner()}</ol>`
    }
    case 'listItem':
      return `<li>${inner()}</li>`
    case 'blockquote':
      return `<blockquote>${inner()}</blockquote>`
    case 'codeBlock':
      return `<pre><code>${inner()}</code></pre>`
    case 'horizontalRule':
      return '<hr>'
    case 'hardBreak':
      return '<br>'
    default:
      return inner()
  }
}
