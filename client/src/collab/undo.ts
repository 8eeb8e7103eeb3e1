import { PLAN_SECTIONS, PlanKeys, sectionField } from '@lever/shared'
import { defaultDeleteFilter, defaultProtectedNodes, ySyncPluginKey } from '@tiptap/y-tiptap'
import * as Y from 'yjs'
import { LOCAL_ORIGIN } from './origins.ts'
import { type UndoGate, UndoGrouping } from './UndoGrouping.ts'

// biome-ignore lint/suspicious/noExplicitAny: Y types of different event types
export type UndoScope = (doc: Y.Doc) => Array<Y.AbstractType<any>>

/** Every type of a plan: meta, levers, initiatives, target components and each prose section. */
export const planUndoScope: UndoScope = (doc) => [
  doc.getMap(PlanKeys.meta),
  doc.getMap(PlanKeys.levers),
  doc.getMap(PlanKeys.initiatives),
  doc.getMap(PlanKeys.targetComponents),
  ...PLAN_SECTIONS.map((s) => doc.getXmlFragment(sectionField(s.id))),
]

/**
 * One undo manager per open document, over the types of `scope`. It tracks only this browser's
 * origins: Tiptap's binding (ySyncPluginKey) and LOCAL_ORIGIN. Changes from others arrive with
 * the provider as origin and are never captured, so undo reverts only your own edits.
 */
// biome-ignore lint/suspicious/noExplicitAny: Y types of different event types
export function createUndoManager(scope: Array<Y.AbstractType<any>>): Y.UndoManager {
  return new Y.UndoManager(scope, {
    trackedOrigins: new Set<unknown>([ySyncPluginKey, LOCAL_ORIGIN]),
    // As Tiptap's own manager: never delete a non-empty paragraph's text on undo.
    deleteFilter: (item) => defaultDeleteFilter(item, defaultProtectedNodes),
    captureTransaction: (tr) => tr.meta.get('addToHistory') !== false,
  })
}

/**
 * What a Tiptap editor on a document with a shared undo manager needs: the manager as the editor
 * sees it (for Collaboration's `yUndoOptions`) and the extension that groups its undo steps by
 * word, pause and paste (add it to the editor's extensions).
 */
export function editorUndo(shared: Y.UndoManager): { undoManager: Y.UndoManager; grouping: typeof UndoGrouping } {
  const gate: UndoGate = { localChangeOutsideHistory: false }
  return {
    undoManager: editorUndoManager(shared, gate),
    grouping: UndoGrouping.configure({ undoManager: shared, gate }),
  }
}

/**
 * The shared manager as one editor sees it. Tiptap's undo plugin registers listeners on the
 * manager and destroys it when its editor is destroyed; with one manager shared by many editors
 * that would break the others. This view forwards everything to the shared manager except
 * `destroy`, which only removes the listeners this editor added, and `stopCapturing`.
 *
 * y-prosemirror's sync plugin calls `stopCapturing()` at every update of its editor's view once
 * the editor holds content, whenever the last change it saw was kept out of history, which is
 * what every remote change and every initial render is. Its view updates at each caret move
 * anywhere in the document (the caret plugin redraws on every presence change), so with one
 * manager per plan, each keystroke in one section ended the undo step through the other
 * sections' editors: Ctrl+Z removed one character at a time. The view passes `stopCapturing`
 * on only when `gate` says this editor has just made a change of its own outside history, the
 * one case the sync plugin means it for.
 */
export function editorUndoManager(shared: Y.UndoManager, gate?: UndoGate): Y.UndoManager {
  const added: Array<[string, (...args: never[]) => void]> = []
  const own = new Map<PropertyKey, unknown>()
  return new Proxy(shared, {
    get(target, prop) {
      if (own.has(prop)) return own.get(prop)
      if (prop === 'on') {
        return (name: string, f: (...args: never[]) => void) => {
          added.push([name, f])
          // biome-ignore lint/suspicious/noExplicitAny: the event map of UndoManager is not exported
          ;(target.on as any)(name, f)
        }
      }
      if (prop === 'stopCapturing' && gate) {
        return () => {
          if (gate.localChangeOutsideHistory) target.stopCapturing()
        }
      }
      if (prop === 'destroy') {
        return () => {
          // biome-ignore lint/suspicious/noExplicitAny: see above
          for (const [name, f] of added.splice(0)) (target.off as any)(name, f)
        }
      }
      const value = Reflect.get(target, prop, target)
      // Methods run on the shared manager; own function-valued fields (afterTransactionHandler,
      // which Tiptap re-registers on the doc) stay the very same function, so no handler doubles.
      return typeof value === 'function' && !Object.hasOwn(target, prop) ? value.bind(target) : value
    },
    set(_target, prop, value) {
      // Tiptap parks a `restore` hook on the manager it is given; keep it on this view only.
      own.set(prop, value)
      return true
    },
  })
}
