import { type KeyboardEvent, type ReactNode, Suspense, useRef } from 'react'
import { useSearchParams } from 'react-router'
import { lazyPart } from '../app/lazyPage.tsx'
import { useComments } from '../comments/CommentsContext.tsx'
import { CommentsSidebar } from '../comments/CommentsSidebar.tsx'
import { LoadingPanel } from '../ui/Panels.tsx'

// The progress and dashboard tabs (check-ins, charts) load when first shown or about to be: a plan
// opens on its plan tab, and their code (about 100 KB with the charts) would only delay it.
const A_TAB = { title: 'This tab', level: 2 } as const
const CheckInsPanel = lazyPart(async () => (await import('./CheckInsPanel.tsx')).CheckInsPanel, A_TAB)
const PlanDashboard = lazyPart(async () => (await import('./PlanDashboard.tsx')).PlanDashboard, A_TAB)

const TABS = [
  { id: 'plan', label: 'Plan' },
  { id: 'progress', label: 'Progress', part: CheckInsPanel },
  { id: 'dashboard', label: 'Dashboard', part: PlanDashboard },
] as const
type TabId = (typeof TABS)[number]['id']

/**
 * The plan page's tabs: the plan itself, progress check-ins and the dashboard. The tab is in the
 * address (`?view=dashboard`), so it can be linked, reloaded and printed. Arrow keys move
 * between tabs (the WAI-ARIA tabs pattern).
 */
export function PlanTabs({ plan }: { plan: ReactNode }) {
  const [params, setParams] = useSearchParams()
  const raw = params.get('view')
  const current: TabId = TABS.some((t) => t.id === raw) ? (raw as TabId) : 'plan'
  const refs = useRef(new Map<TabId, HTMLButtonElement>())
  const select = (id: TabId, focus = false) => {
    setParams(
      (p) => {
        const next = new URLSearchParams(p)
        if (id === 'plan') next.delete('view')
        else next.set('view', id)
        return next
      },
      { replace: true },
    )
    if (focus) refs.current.get(id)?.focus()
  }
  const onKeyDown = (e: KeyboardEvent) => {
    const index = TABS.findIndex((t) => t.id === current)
    const to =
      e.key === 'ArrowRight'
        ? (index + 1) % TABS.length
        : e.key === 'ArrowLeft'
          ? (index - 1 + TABS.length) % TABS.length
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? TABS.length - 1
              : -1
    if (to < 0) return
    e.preventDefault()
    select((TABS[to] as (typeof TABS)[number]).id, true)
  }
  return (
    <>
      <div className="plan-tabs" role="tablist" aria-label="Plan views" onKeyDown={onKeyDown}>
        {TABS.map((t) => (
          <button
            key={t.id}
            ref={(el) => {
              if (el) refs.current.set(t.id, el)
              else refs.current.delete(t.id)
            }}
            type="button"
            role="tab"
            id={`plan-tab-${t.id}`}
            aria-selected={current === t.id}
            aria-controls={`plan-tabpanel-${t.id}`}
            tabIndex={current === t.id ? 0 : -1}
            className="plan-tabs__tab"
            onClick={() => select(t.id)}
            onPointerEnter={'part' in t ? t.part.preload : undefined}
            onFocus={'part' in t ? t.part.preload : undefined}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div
        role="tabpanel"
        id={`plan-tabpanel-${current}`}
        aria-labelledby={`plan-tab-${current}`}
        className="plan-tabpanel"
      >
        {current === 'plan' ? (
          plan
        ) : (
          <TabLayout>
            <Suspense
              fallback={
                <LoadingPanel>
                  {current === 'progress' ? 'Loading the progress…' : 'Loading the dashboard…'}
                </LoadingPanel>
              }
            >
              {current === 'progress' ? <CheckInsPanel /> : <PlanDashboard />}
            </Suspense>
          </TabLayout>
        )}
      </div>
    </>
  )
}

/** Progress and dashboard take the page's width, with the comments beside them when open. */
function TabLayout({ children }: { children: ReactNode }) {
  const comments = useComments()
  return (
    <div className={`plan-tab-layout${comments.sidebarOpen ? ' plan-tab-layout--comments' : ''}`}>
      <div className="plan-tab-layout__main">{children}</div>
      {comments.sidebarOpen ? <CommentsSidebar /> : null}
    </div>
  )
}
