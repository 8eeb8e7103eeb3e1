import type { ProseNode } from '@lever/shared'
import type { ReactNode } from 'react'

function safeHref(href: unknown): string | undefined {
  return typeof href === 'string' && /^(https?:|mailto:)/i.test(href) ? href : undefined
}

function withMarks(node: ProseNode, key: number): ReactNode {
  let out: ReactNode = node.text ?? ''
  for (const mark of node.marks ?? []) {
    if (mark.type === 'bold') out = <strong>{out}</strong>
    else if (mark.type === 'italic') out = <em>{out}</em>
    else if (mark.type === 'underline') out = <u>{out}</u>
    else if (mark.type === 'strike') out = <s>{out}</s>
    else if (mark.type === 'code') out = <code>{out}</code>
    else if (mark.type === 'link') {
      out = (
        <a href={safeHref(mark.attrs?.href)} rel="noopener noreferrer" target="_blank">
          {out}
        </a>
      )
    }
  }
  return <span key={key}>{out}</span>
}

function render(nodes: ProseNode[] | undefined, headingBase: number): ReactNode[] {
  return (nodes ?? []).map((node, i) => {
    const children = render(node.content, headingBase)
    switch (node.type) {
      case 'text':
        return withMarks(node, i)
      case 'paragraph':
        return <p key={i}>{children}</p>
      case 'heading': {
        const level = Math.min(6, headingBase + Math.max(0, Number(node.attrs?.level ?? 1) - 1))
        const Tag = `h${level}` as 'h4'
        return <Tag key={i}>{children}</Tag>
      }
      case 'bulletList':
        return <ul key={i}>{children}</ul>
      case 'orderedList':
        return <ol key={i}>{children}</ol>
      case 'listItem':
        return <li key={i}>{children}</li>
      case 'blockquote':
        return <blockquote key={i}>{children}</blockquote>
      case 'codeBlock':
        return <pre key={i}>{children}</pre>
      case 'hardBreak':
        return <br key={i} />
      case 'horizontalRule':
        return <hr key={i} />
      default:
        return <div key={i}>{children}</div>
    }
  })
}

/** Prose of a stored version, read-only, in the page's usual text styles. */
export function ProseView({ doc, empty, headingBase = 5 }: { doc: ProseNode | undefined; empty: string; headingBase?: number }) {
  const content = render(doc?.content, headingBase)
  if (content.length === 0) return <p className="history-empty">{empty}</p>
  return <div className="history-prose">{content}</div>
}
