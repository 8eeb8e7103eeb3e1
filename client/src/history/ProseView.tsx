import type { ProseNode } from '@lever/shared'
import { Children, type ReactNode } from 'react'

function safeHref(href: unknown): string | undefined {
  return typeof href === 'string' && /^(https?:|mailto:)/i.test(href) ? href : undefined
}

function withMarks(node: ProseNode): ReactNode {
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
  return <span>{out}</span>
}

/** Keys come from Children.toArray: a stored version's nodes never move. */
function render(nodes: ProseNode[] | undefined, headingBase: number): ReactNode[] {
  return Children.toArray((nodes ?? []).map((node) => renderNode(node, headingBase)))
}

function renderNode(node: ProseNode, headingBase: number): ReactNode {
  const children = render(node.content, headingBase)
  switch (node.type) {
    case 'text':
      return withMarks(node)
    case 'paragraph':
      return <p>{children}</p>
    case 'heading': {
      const level = Math.min(6, headingBase + Math.max(0, Number(node.attrs?.level ?? 1) - 1))
      const Tag = `h${level}` as 'h4'
      return <Tag>{children}</Tag>
    }
    case 'bulletList':
      return <ul>{children}</ul>
    case 'orderedList':
      return <ol>{children}</ol>
    case 'listItem':
      return <li>{children}</li>
    case 'blockquote':
      return <blockquote>{children}</blockquote>
    case 'codeBlock':
      return <pre>{children}</pre>
    case 'hardBreak':
      return <br />
    case 'horizontalRule':
      return <hr />
    default:
      return <div>{children}</div>
  }
}

/** Prose of a stored version, read-only, in the page's usual text styles. */
export function ProseView({
  doc,
  empty,
  headingBase = 5,
}: {
  doc: ProseNode | undefined
  empty: string
  headingBase?: number
}) {
  const content = render(doc?.content, headingBase)
  if (content.length === 0) return <p className="history-empty">{empty}</p>
  return <div className="history-prose">{content}</div>
}
