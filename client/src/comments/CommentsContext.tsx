import { findCommentMarks, type MarkedText, type PlanSummary } from '@lever/shared'
import type { Editor } from '@tiptap/core'
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react'
import { useSearchParams } from 'react-router'
import type * as Y from 'yjs'
import { type PlanPerson, planPeople } from '../api/comments.ts'
import { useApi } from '../api/useApi.ts'
import { useIdentity } from '../app/identity.ts'
import { PartCache } from '../collab/PartCache.ts'
import { markRead } from '../inbox/unread.ts'
import { domIds } from '../plan/domIds.ts'
import { usePlanSession, usePlanVersion } from '../plan/PlanContext.tsx'
import { focusWhenReady, usePlanUi } from '../plan/PlanUi.tsx'
import { sameShape } from '../plan/sameShape.ts'
import type { PinnedRange } from './anchors.ts'
import { commentDomIds } from './domIds.ts'
import { highlightCss } from './highlightCss.ts'
import './comments.css'
import { useAuthorNames } from './authorNames.ts'
import { ThreadSnapshots } from './ThreadSnapshots.ts'
import { matchesFilter, type ThreadFilter, type ThreadView, threadViews } from './threadViews.ts'

/** A thread being written, not yet in the plan. */
export type Draft =
  | {
      kind: 'text'
      field: string
      pinned: PinnedRange
      quote: { quote: string; before: string; after: string }
      label: string
    }
  | { kind: 'initiative'; initiativeId: string; label: string }
  | { kind: 'metric'; initiativeId: string; metricId: string; label: string }

/** An editor that can be commented on, by the field name anchors use. */
export interface CommentableEditor {
  field: string
  editor: Editor
  fragment: Y.XmlFragment
}

export interface Comments {
  planId: string
  views: ThreadView[]
  activeId: string | null
  /** Makes a thread the one being read; optionally takes the person to its words or its card. */
  activate(id: string | null, options?: { reveal?: 'text' | 'scroll' | 'card'; focusCard?: boolean }): void
  sidebarOpen: boolean
  setSidebarOpen(open: boolean): void
  filter: ThreadFilter
  setFilter(filter: ThreadFilter): void
  draft: Draft | null
  startDraft(draft: Draft): void
  cancelDraft(): void
  people: PlanPerson[]
  /**
   * The name to show for the author `authorId`: the server's (from its directory of people), or
   * `stored` (the name written into the document) for someone the server does not list.
   */
  authorName(authorId: string, stored: string): string
  registerEditor(entry: CommentableEditor): () => void
  /** The editor whose selection was last made (for "attach to selected words"). */
  lastSelection(): CommentableEditor | null
  noteSelection(field: string): void
}

const CommentsContext = createContext<Comments | null>(null)
/** While the list loads (the same array each render, so the context stays the same). */
const NO_PEOPLE: PlanPerson[] = []

export function useComments(): Comments {
  const comments = useContext(CommentsContext)
  if (!comments) throw new Error('useComments() outside a plan page')
  return comments
}

/** Comments of the plan page, for editors, cards and the sidebar; null outside a plan page. */
export function useOptionalComments(): Comments | null {
  return useContext(CommentsContext)
}

/** Whether the sidebar starts open: on screens wide enough to show it next to the plan. */
function wideScreen(): boolean {
  return typeof window !== 'undefined' && window.matchMedia?.('(min-width: 1200px)').matches
}

export function CommentsProvider({ plan, children }: { plan: PlanSummary; children: ReactNode }) {
  const session = usePlanSession()
  const ui = usePlanUi()
  const version = usePlanVersion()
  const identity = useIdentity()
  const userId = identity?.userId ?? ''
  const [params] = useSearchParams()
  const linkedThread = params.get('thread')
  const [activeId, setActiveId] = useState<string | null>(null)
  const [sidebarOpen, setSidebarOpen] = useState(() => wideScreen() || linkedThread !== null)
  const [filter, setFilter] = useState<ThreadFilter>('open')
  const [draft, setDraft] = useState<Draft | null>(null)
  const editors = useRef(new Map<string, CommentableEditor>())
  const lastSelectedField = useRef<string | null>(null)
  const [peopleState] = useApi(['people', 'plan', plan.id], (signal) => planPeople(plan.id, signal))
  const people = peopleState.status === 'ready' ? peopleState.data : NO_PEOPLE
  const authorName = useAuthorNames()

  // The views keep their previous objects (and the list its identity) while they say the same,
  // so a keystroke that changes no thread leaves the context, and everything that reads it, as is.
  const previousViews = useRef<ThreadView[] | undefined>(undefined)
  // The comment marks of each prose field, found again only in the fields that changed.
  const markParts = useMemo(() => new PartCache(session), [session])
  useEffect(() => () => markParts.dispose(), [markParts])
  // The threads themselves, read again only after a thread document changed.
  const snapshots = useMemo(() => new ThreadSnapshots(() => session.threadChanges), [session])
  // What the views were made from last. A keystroke that changes none of it (words no comment
  // marks, in a section) leaves the views as they are, without reading every thread again.
  const viewInputs = useRef<ViewInputs | null>(null)
  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` ticks when the document changed
  const views = useMemo(() => {
    const inputs: ViewInputs = {
      threadChanges: session.threadChanges,
      userId,
      initiatives: markParts.part(session.model.initiativesMap, newToken),
      levers: markParts.part(session.model.levers, newToken),
      marks: findCommentMarks(session.doc, markParts),
    }
    const before = viewInputs.current
    viewInputs.current = inputs
    if (before && previousViews.current && sameViewInputs(before, inputs)) return previousViews.current
    const next = sameShape(
      previousViews.current,
      threadViews(session.doc, session.model, session.threads(), userId, markParts, snapshots.of),
    )
    previousViews.current = next
    return next
  }, [session, userId, version, markParts, snapshots])
  const viewsRef = useRef(views)
  viewsRef.current = views

  /** Takes the person to what a thread is about: its words (selected, when `focus`), initiative or metric. */
  const revealText = useCallback(
    (view: ThreadView, focus: boolean) => {
      const place = view.place
      if (place.kind === 'initiative') {
        if (focus) focusWhenReady(domIds.initiativeHeading(place.initiativeId))
        else document.getElementById(domIds.initiative(place.initiativeId))?.scrollIntoView({ block: 'center' })
        return
      }
      if (place.kind === 'metric') {
        if (focus) ui.reveal(domIds.metricField(place.metricId, 'name'), { initiativeId: place.initiativeId })
        else document.getElementById(domIds.initiative(place.initiativeId))?.scrollIntoView({ block: 'center' })
        return
      }
      if (view.orphaned || place.kind === 'unknown') return
      if (place.kind === 'description') ui.setInitiativeOpen(place.initiativeId, true)
      selectMarkWhenReady(editors.current, view.thread.id, focus)
    },
    [ui],
  )

  const read = useRef(new Map<string, number>())
  const activate = useCallback<Comments['activate']>(
    (id, options = {}) => {
      setActiveId(id)
      if (!id) return
      const view = viewsRef.current.find((v) => v.thread.id === id)
      if (!view) return
      if (options.reveal === 'card' || options.focusCard) {
        setSidebarOpen(true)
        if (!matchesFilter(view, filter)) setFilter('all')
        revealCard(id, options.focusCard ?? false)
      }
      if (options.reveal === 'text' || options.reveal === 'scroll') revealText(view, options.reveal === 'text')
      const comments = view.thread.comments.length
      if (read.current.get(id) !== comments) {
        read.current.set(id, comments)
        void markRead(plan.id, id)
      }
    },
    [filter, plan.id, revealText],
  )

  // A link to a thread (from the inbox) opens it once the plan is there.
  const opened = useRef<string | null>(null)
  useEffect(() => {
    if (!linkedThread || opened.current === linkedThread) return
    if (!views.some((v) => v.thread.id === linkedThread)) return
    opened.current = linkedThread
    activate(linkedThread, { reveal: 'scroll', focusCard: true })
  }, [linkedThread, views, activate])

  const startDraft = useCallback((next: Draft) => {
    setDraft(next)
    setSidebarOpen(true)
    focusWhenReady(commentDomIds.draftBody)
  }, [])
  const cancelDraft = useCallback(() => setDraft(null), [])
  const registerEditor = useCallback((entry: CommentableEditor) => {
    editors.current.set(entry.field, entry)
    return () => {
      if (editors.current.get(entry.field) === entry) editors.current.delete(entry.field)
    }
  }, [])
  const lastSelection = useCallback(() => {
    const field = lastSelectedField.current
    const entry = field ? editors.current.get(field) : undefined
    return entry && !entry.editor.isDestroyed && !entry.editor.state.selection.empty ? entry : null
  }, [])
  const noteSelection = useCallback((field: string) => {
    lastSelectedField.current = field
  }, [])

  const value = useMemo<Comments>(
    () => ({
      planId: plan.id,
      views,
      activeId,
      activate,
      sidebarOpen,
      setSidebarOpen,
      filter,
      setFilter,
      draft,
      startDraft,
      cancelDraft,
      people,
      authorName,
      registerEditor,
      lastSelection,
      noteSelection,
    }),
    [
      plan.id,
      views,
      activeId,
      activate,
      sidebarOpen,
      filter,
      draft,
      startDraft,
      cancelDraft,
      people,
      authorName,
      registerEditor,
      lastSelection,
      noteSelection,
    ],
  )

  const highlights = useMemo(() => highlightCss(views, activeId), [views, activeId])
  return (
    <CommentsContext.Provider value={value}>
      <style>{highlights}</style>
      {children}
    </CommentsContext.Provider>
  )
}

/**
 * What thread views are made from: the thread documents (their change count), the marked words
 * in the prose, and the initiatives and levers (a new token when anything inside them changed:
 * titles, order, metrics, descriptions).
 */
interface ViewInputs {
  threadChanges: number
  userId: string
  initiatives: object
  levers: object
  marks: Map<string, MarkedText>
}

const newToken = (): object => ({})

function sameViewInputs(a: ViewInputs, b: ViewInputs): boolean {
  if (a.threadChanges !== b.threadChanges || a.userId !== b.userId) return false
  if (a.initiatives !== b.initiatives || a.levers !== b.levers || a.marks.size !== b.marks.size) return false
  for (const [threadId, mark] of a.marks) {
    const other = b.marks.get(threadId)
    if (!other || other.field !== mark.field || other.text !== mark.text || other.offset !== mark.offset) return false
  }
  return true
}

/** Scrolls the thread's card into view in the sidebar (and focuses it), once it is rendered. */
function revealCard(threadId: string, focus: boolean, tries = 60): void {
  const card = document.getElementById(commentDomIds.thread(threadId))
  if (!card) {
    if (tries > 0) requestAnimationFrame(() => revealCard(threadId, focus, tries - 1))
    return
  }
  card.scrollIntoView({ block: 'nearest' })
  if (focus) card.focus({ preventScroll: true })
}

/**
 * Scrolls to a thread's marked words (their editor may take a moment to open) and, with `focus`,
 * puts the caret there so the keyboard is there too.
 */
function selectMarkWhenReady(
  editors: Map<string, CommentableEditor>,
  threadId: string,
  focus: boolean,
  tries = 60,
): void {
  for (const entry of editors.values()) {
    if (entry.editor.isDestroyed) continue
    const range = markRange(entry.editor, threadId)
    if (!range) continue
    // The caret goes to the start of the words (highlighted as the active thread), where the
    // editor's "Show comment" (Ctrl+Alt+M) leads back to the thread.
    if (focus) entry.editor.chain().focus(undefined, { scrollIntoView: false }).setTextSelection(range.from).run()
    const dom = entry.editor.view.dom.querySelector(`[data-thread-id="${threadId}"]`)
    dom?.scrollIntoView({ block: 'center' })
    return
  }
  if (tries > 0) requestAnimationFrame(() => selectMarkWhenReady(editors, threadId, focus, tries - 1))
}

/** The first to last position of a thread's mark in an editor, or null. */
export function markRange(editor: Editor, threadId: string): { from: number; to: number } | null {
  let from = -1
  let to = -1
  editor.state.doc.descendants((node, pos) => {
    if (node.isText && node.marks.some((m) => m.type.name === 'comment' && m.attrs.threadId === threadId)) {
      if (from === -1) from = pos
      to = pos + node.nodeSize
    }
  })
  return from === -1 ? null : { from, to }
}
