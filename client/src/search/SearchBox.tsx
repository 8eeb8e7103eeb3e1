import { type SearchResult, type SearchResultKind, searchResponseSchema } from '@lever/shared'
import { type KeyboardEvent, type RefObject, useEffect, useId, useLayoutEffect, useMemo, useRef, useState } from 'react'
import { useNavigate } from 'react-router'
import { apiRequest } from '../api/http.ts'
import { renderSnippet } from './snippet.tsx'

/** A page of the app the palette can jump to. */
export interface PageLink {
  label: string
  href: string
}

type Option =
  | { kind: 'page'; key: string; label: string; href: string }
  | { kind: SearchResultKind; key: string; label: string; href: string; result: SearchResult }

const GROUPS: Array<{ kind: Option['kind']; label: string }> = [
  { kind: 'page', label: 'Pages' },
  { kind: 'plan', label: 'Plans' },
  { kind: 'jurisdiction', label: 'Jurisdictions' },
  { kind: 'initiative', label: 'Initiatives' },
  { kind: 'section', label: 'Plan sections' },
  { kind: 'thread', label: 'Comments' },
  { kind: 'session', label: 'Sessions' },
  { kind: 'evidence', label: 'Evidence library' },
  { kind: 'resource', label: 'Resources' },
]

/** Wait this long after the last key before asking the server. */
const DEBOUNCE_MS = 120

/** A snippet is worth showing unless it only repeats the title. */
function showSnippet(result: SearchResult): boolean {
  const plain = result.snippet.replace(/<\/?mark>/g, '')
  return result.kind !== 'plan' && result.kind !== 'jurisdiction' && plain !== '' && !result.title.includes(plain)
}

function isMac(): boolean {
  return /Mac|iPhone|iPad/.test(navigator.platform)
}

/**
 * The search box of the top bar, which is also the keyboard palette: Ctrl+K (⌘K on a Mac) from
 * anywhere focuses it; with nothing typed it offers the app's pages, and as you type it lists
 * matching pages and what the server finds (plans, jurisdictions, initiatives, prose, comments,
 * sessions), grouped by kind. Arrow keys move, Enter opens, Escape closes. A combobox in the ARIA
 * sense: the list is announced and the active option followed by screen readers.
 */
export function SearchBox({ pages }: { pages: readonly PageLink[] }) {
  const navigate = useNavigate()
  const inputRef = useRef<HTMLInputElement>(null)
  const boxRef = useRef<HTMLElement>(null)
  const popupRef = useRef<HTMLDivElement>(null)
  const [query, setQuery] = useState('')
  const [open, setOpen] = useState(false)
  const [results, setResults] = useState<SearchResult[]>([])
  const [state, setState] = useState<'idle' | 'loading' | 'error'>('idle')
  const [active, setActive] = useState(0)
  const listId = useId()
  const optionId = (i: number) => `${listId}-option-${i}`

  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'k') {
        e.preventDefault()
        inputRef.current?.focus()
        inputRef.current?.select()
        setOpen(true)
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])

  useEffect(() => {
    const text = query.trim()
    if (text.length < 2) {
      setResults([])
      setState('idle')
      return
    }
    const controller = new AbortController()
    setState('loading')
    const timer = window.setTimeout(() => {
      apiRequest(`/search?${new URLSearchParams({ q: text })}`, searchResponseSchema, { signal: controller.signal })
        .then((body) => {
          setResults(body.results)
          setState('idle')
        })
        .catch((error: Error) => {
          if (error.name !== 'AbortError') setState('error')
        })
    }, DEBOUNCE_MS)
    return () => {
      window.clearTimeout(timer)
      controller.abort()
    }
  }, [query])

  const options = useMemo<Option[]>(() => {
    const text = query.trim().toLowerCase()
    const pageOptions: Option[] = pages
      .filter((p) => !text || p.label.toLowerCase().includes(text))
      .map((p) => ({ kind: 'page', key: `page:${p.href}`, label: p.label, href: p.href }))
    const found: Option[] = results.map((r) => ({
      kind: r.kind,
      key: `${r.kind}:${r.href}`,
      label: r.title,
      href: r.href,
      result: r,
    }))
    // In group order, so the arrow keys follow what the eye sees.
    return GROUPS.flatMap((g) => [...pageOptions, ...found].filter((o) => o.kind === g.kind))
  }, [pages, query, results])

  useEffect(() => {
    setActive((a) => Math.min(a, Math.max(0, options.length - 1)))
  }, [options.length])

  const go = (option: Option | undefined) => {
    if (!option) return
    setOpen(false)
    setQuery('')
    inputRef.current?.blur()
    navigate(option.href)
    // The page opened takes focus where it says (a plan's section or initiative); anywhere else
    // it goes to the page's main content, not back to the start of the document.
    requestAnimationFrame(() => {
      if (document.activeElement === document.body) document.getElementById('main')?.focus()
    })
  }

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault()
      setOpen(true)
      setActive((a) => (options.length ? (a + 1) % options.length : 0))
    } else if (e.key === 'ArrowUp') {
      e.preventDefault()
      setActive((a) => (options.length ? (a - 1 + options.length) % options.length : 0))
    } else if (e.key === 'Enter') {
      e.preventDefault()
      go(options[active])
    } else if (e.key === 'Escape') {
      // A search input clears itself on Escape; close the list first, clear on the second press.
      e.preventDefault()
      if (open) setOpen(false)
      else if (query) setQuery('')
      else inputRef.current?.blur()
    }
  }

  const text = query.trim()
  const status =
    state === 'error'
      ? 'Search failed. Check your connection and try again.'
      : state === 'loading'
        ? 'Searching…'
        : text.length >= 2 && options.length === 0
          ? `Nothing found for “${text}”.`
          : text.length >= 2
            ? `${results.length} ${results.length === 1 ? 'result' : 'results'}`
            : ''
  const showList = open && (options.length > 0 || status !== '')
  usePopupInView(boxRef, popupRef, showList)
  let index = -1

  return (
    <search className="search-box" ref={boxRef}>
      <label htmlFor={`${listId}-input`} className="visually-hidden">
        Find in Lever
      </label>
      <input
        ref={inputRef}
        id={`${listId}-input`}
        type="search"
        className="search-box__input"
        role="combobox"
        aria-expanded={showList}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={showList && options[active] ? optionId(active) : undefined}
        aria-keyshortcuts="Control+K Meta+K"
        placeholder={`Search… (${isMac() ? '⌘K' : 'Ctrl+K'})`}
        autoComplete="off"
        spellCheck={false}
        maxLength={200}
        value={query}
        onChange={(e) => {
          setQuery(e.target.value)
          setActive(0)
          setOpen(true)
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onKeyDown={onKeyDown}
      />
      <div className="search-box__popup" ref={popupRef} hidden={!showList}>
        <p className="search-box__status" role="status">
          {status}
        </p>
        <div id={listId} role="listbox" aria-label="Matches">
          {GROUPS.map((group) => {
            const items = options.filter((o) => o.kind === group.kind)
            if (items.length === 0) return null
            return (
              // biome-ignore lint/a11y/useSemanticElements: a group of options inside a listbox, not a form fieldset
              <div key={group.kind} role="group" aria-labelledby={`${listId}-${group.kind}`}>
                <div id={`${listId}-${group.kind}`} className="search-box__group" role="presentation">
                  {group.label}
                </div>
                {items.map((option) => {
                  index++
                  const i = index
                  return (
                    // biome-ignore lint/a11y/useFocusableInteractive: focus stays in the combobox input (aria-activedescendant), as the ARIA combobox pattern asks
                    // biome-ignore lint/a11y/useKeyWithClickEvents: the input's own keys (arrows, Enter) choose options
                    <div
                      key={option.key}
                      id={optionId(i)}
                      role="option"
                      aria-selected={i === active}
                      className="search-box__option"
                      // Keep focus in the input: the click still runs, the box does not close first.
                      onMouseDown={(e) => e.preventDefault()}
                      onClick={() => go(option)}
                      onMouseMove={() => setActive(i)}
                    >
                      <span className="search-box__title">{option.label}</span>
                      {'result' in option && option.result.context ? (
                        <span className="search-box__context">{option.result.context}</span>
                      ) : null}
                      {'result' in option && showSnippet(option.result) ? (
                        <span className="search-box__snippet">{renderSnippet(option.result.snippet)}</span>
                      ) : null}
                    </div>
                  )
                })}
              </div>
            )
          })}
        </div>
      </div>
    </search>
  )
}

/** The margin the list keeps from the window's edges, in CSS pixels. */
const VIEW_MARGIN = 16

/**
 * Keeps the open list inside the window. It opens leftwards from the box's right edge (the box
 * usually sits at the right of the top bar); where the top bar wraps and the box sits further left,
 * that would put the list's start off screen, so it is moved right just enough to fit.
 */
function usePopupInView(
  boxRef: RefObject<HTMLElement | null>,
  popupRef: RefObject<HTMLDivElement | null>,
  shown: boolean,
): void {
  useLayoutEffect(() => {
    const box = boxRef.current
    const popup = popupRef.current
    if (!shown || !box || !popup) return
    const place = () => {
      const rect = box.getBoundingClientRect()
      const width = popup.offsetWidth
      const rightAligned = rect.right - width
      const fitted = Math.max(VIEW_MARGIN, Math.min(rightAligned, window.innerWidth - VIEW_MARGIN - width))
      popup.style.left = `${fitted - rect.left}px`
      popup.style.right = 'auto'
    }
    place()
    window.addEventListener('resize', place)
    return () => window.removeEventListener('resize', place)
  }, [boxRef, popupRef, shown])
}
