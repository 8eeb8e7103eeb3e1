import type { Editor } from '@tiptap/react'
import { useEditorState } from '@tiptap/react'
import { type KeyboardEvent, useRef, useState } from 'react'

export interface Tool {
  key: string
  /** The accessible name (the visible text must be part of it, or a single letter). */
  label: string
  text: string
  shortcut: string
  isActive: (e: Editor) => boolean
  run: (e: Editor) => void
  /** A tool that is not a format (it has no on/off state). */
  action?: boolean
}

const TOOLS: Tool[] = [
  {
    key: 'bold',
    label: 'Bold',
    text: 'B',
    shortcut: 'Control+B',
    isActive: (e) => e.isActive('bold'),
    run: (e) => e.chain().focus().toggleBold().run(),
  },
  {
    key: 'italic',
    label: 'Italic',
    text: 'I',
    shortcut: 'Control+I',
    isActive: (e) => e.isActive('italic'),
    run: (e) => e.chain().focus().toggleItalic().run(),
  },
  {
    key: 'heading',
    label: 'Heading',
    text: 'Heading',
    shortcut: 'Control+Alt+3',
    isActive: (e) => e.isActive('heading', { level: 3 }),
    run: (e) => e.chain().focus().toggleHeading({ level: 3 }).run(),
  },
  {
    key: 'subheading',
    label: 'Subheading',
    text: 'Subheading',
    shortcut: 'Control+Alt+4',
    isActive: (e) => e.isActive('heading', { level: 4 }),
    run: (e) => e.chain().focus().toggleHeading({ level: 4 }).run(),
  },
  {
    key: 'bullets',
    label: 'Bulleted list',
    text: 'Bulleted list',
    shortcut: 'Control+Shift+8',
    isActive: (e) => e.isActive('bulletList'),
    run: (e) => e.chain().focus().toggleBulletList().run(),
  },
  {
    key: 'numbers',
    label: 'Numbered list',
    text: 'Numbered list',
    shortcut: 'Control+Shift+7',
    isActive: (e) => e.isActive('orderedList'),
    run: (e) => e.chain().focus().toggleOrderedList().run(),
  },
]

/**
 * Formatting buttons for one editor, as an ARIA toolbar: one Tab stop, arrow keys move between
 * buttons, each button says whether its format is on (aria-pressed). `extra` tools (commenting)
 * come after the formats; without `formatting`, only they are shown (a coach's editor).
 */
export function FormattingToolbar({
  editor,
  label,
  formatting = true,
  extra = [],
}: {
  editor: Editor
  label: string
  formatting?: boolean
  extra?: Tool[]
}) {
  const tools = [...(formatting ? TOOLS : []), ...extra]
  const active = useEditorState({
    editor,
    selector: ({ editor: e }) => tools.map((t) => (e ? t.isActive(e) : false)),
    equalityFn: (a, b) => a.length === (b?.length ?? -1) && a.every((v, i) => v === b?.[i]),
  })
  const [current, setCurrent] = useState(0)
  const buttons = useRef<Array<HTMLButtonElement | null>>([])

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    let next = current
    if (event.key === 'ArrowRight') next = (current + 1) % tools.length
    else if (event.key === 'ArrowLeft') next = (current - 1 + tools.length) % tools.length
    else if (event.key === 'Home') next = 0
    else if (event.key === 'End') next = tools.length - 1
    else return
    event.preventDefault()
    setCurrent(next)
    buttons.current[next]?.focus()
  }

  return (
    <div
      className="format-toolbar"
      role="toolbar"
      aria-label={`${formatting ? 'Formatting' : 'Commenting'}: ${label}`}
      onKeyDown={onKeyDown}
    >
      {tools.map((tool, i) => (
        <button
          key={tool.key}
          ref={(el) => {
            buttons.current[i] = el
          }}
          type="button"
          className={`format-button format-button--${tool.key}`}
          tabIndex={i === Math.min(current, tools.length - 1) ? 0 : -1}
          aria-pressed={tool.action ? undefined : (active?.[i] ?? false)}
          aria-label={tool.label}
          aria-keyshortcuts={tool.shortcut}
          title={`${tool.label} (${tool.shortcut.replace('Control', 'Ctrl')})`}
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => {
            setCurrent(i)
            tool.run(editor)
          }}
        >
          <span aria-hidden="true">{tool.text}</span>
        </button>
      ))}
    </div>
  )
}
