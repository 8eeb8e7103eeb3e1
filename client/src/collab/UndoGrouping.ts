import { Extension } from '@tiptap/core'
import { type EditorState, Plugin, PluginKey, type Transaction } from '@tiptap/pm/state'
import { ReplaceStep } from '@tiptap/pm/transform'
import { ySyncPluginKey } from '@tiptap/y-tiptap'
import type * as Y from 'yjs'

/**
 * What one editor tells the undo manager it shares with the plan's other editors: whether the
 * change this editor's view is being updated for was made here and kept out of history on
 * purpose. Only then may the editor's sync plugin end the undo step in progress.
 */
export interface UndoGate {
  localChangeOutsideHistory: boolean
}

type ChangeKind = 'insert' | 'delete' | 'other'

interface GroupingState {
  /** The kind of this editor's last change that went into history (null: none yet). */
  last: ChangeKind | null
  /** The last change was a paste or a drop: whatever comes next starts a step of its own. */
  afterPaste: boolean
}

const undoGroupingKey = new PluginKey<GroupingState>('leverUndoGrouping')

function isRemote(tr: Transaction): boolean {
  const meta = tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined
  return !!meta?.isChangeOrigin
}

function isWhitespace(ch: string): boolean {
  return /\s/.test(ch)
}

/** Text typed at one place (no structure), or null when the change is something else. */
function typedText(tr: Transaction): { from: number; text: string } | null {
  if (tr.steps.length !== 1) return null
  const step = tr.steps[0]
  if (!(step instanceof ReplaceStep) || step.slice.openStart !== 0 || step.slice.openEnd !== 0) return null
  const content = step.slice.content
  if (content.childCount === 0) return null
  let text = ''
  for (let i = 0; i < content.childCount; i++) {
    const node = content.child(i)
    if (!node.isText) return null
    text += node.text ?? ''
  }
  // biome-ignore lint/suspicious/noExplicitAny: ReplaceStep's from is public in practice but not typed
  return { from: (step as any).from as number, text }
}

function kindOf(tr: Transaction): ChangeKind {
  if (typedText(tr)) return 'insert'
  if (tr.steps.every((s) => s instanceof ReplaceStep && s.slice.size === 0)) return 'delete'
  return 'other'
}

/**
 * The typed text ends a word: a space (or other white space) right after a letter. The space
 * starts the next step, so one Ctrl+Z removes " word" and leaves the text before it as it was.
 */
function endsWord(state: EditorState, typed: { from: number; text: string }): boolean {
  const first = typed.text[0] ?? ''
  if (!isWhitespace(first)) return false
  const $from = state.doc.resolve(typed.from)
  if ($from.parentOffset === 0) return false
  const before = $from.parent.textBetween($from.parentOffset - 1, $from.parentOffset, ' ', ' ')
  return before !== '' && !isWhitespace(before)
}

/**
 * Undo steps the way word processors make them, in an editor whose undo manager is shared with
 * others (one per plan). Yjs groups changes made within `captureTimeout` of each other; this ends
 * the step in progress, before the change is captured, when the person ends a word with a space, when
 * the kind of change switches (typing, deleting, anything else such as a new paragraph or
 * formatting), and around a paste or a drop, which is one step of its own. It also keeps the
 * editor's `gate` up to date (see `UndoGate`).
 */
export const UndoGrouping = Extension.create<{ undoManager: Y.UndoManager | null; gate: UndoGate | null }>({
  name: 'leverUndoGrouping',
  addOptions() {
    return { undoManager: null, gate: null }
  },
  addProseMirrorPlugins() {
    const { undoManager, gate } = this.options
    return [
      new Plugin<GroupingState>({
        key: undoGroupingKey,
        state: {
          init: () => ({ last: null, afterPaste: false }),
          apply: (tr, value) => {
            const local = tr.docChanged && !isRemote(tr)
            const outsideHistory = local && tr.getMeta('addToHistory') === false
            if (gate) gate.localChangeOutsideHistory = outsideHistory
            if (!local || outsideHistory) return value
            const uiEvent = tr.getMeta('uiEvent') as string | undefined
            return { last: kindOf(tr), afterPaste: uiEvent === 'paste' || uiEvent === 'drop' }
          },
        },
        filterTransaction: (tr, state) => {
          if (!undoManager || !tr.docChanged || isRemote(tr) || tr.getMeta('addToHistory') === false) return true
          const previous = undoGroupingKey.getState(state)
          const uiEvent = tr.getMeta('uiEvent') as string | undefined
          const kind = kindOf(tr)
          const typed = typedText(tr)
          const newStep =
            previous?.afterPaste ||
            uiEvent === 'paste' ||
            uiEvent === 'drop' ||
            kind === 'other' ||
            (previous?.last !== null && previous?.last !== kind) ||
            (typed !== null && endsWord(state, typed))
          if (newStep) undoManager.stopCapturing()
          return true
        },
      }),
    ]
  },
})
