/**
 * A page script (for `page.addInitScript({ content: RENDER_COUNTER })`) that counts what React
 * does, in the production build as it ships: React reports every commit to the developer-tools
 * hook when one is installed before it loads. The script walks each committed tree the way the
 * developer tools do (only into subtrees that were re-created, counting the components whose
 * function ran) and files each rendered component under the part of the page it draws into:
 * initiative cards, prose sections, comments, the plan header, the targeted components, or the rest. Names of components are minified in
 * production, so the place on the page is what identifies them.
 *
 * In the page: `window.__leverRenders` = { commits, components, places: { [place]: count } },
 * and `window.__leverRendersReset()` starts counting afresh.
 */
export const RENDER_COUNTER = `(() => {
  const PERFORMED_WORK = 1
  const COMPONENT_TAGS = new Set([0, 1, 11, 14, 15])
  const HOST_TAGS = new Set([5, 26, 27])
  const fresh = () => ({ commits: 0, components: 0, places: {}, contexts: {} })
  window.__leverRenders = fresh()
  window.__leverRendersReset = () => { window.__leverRenders = fresh() }
  const hostOf = (fiber) => {
    let f = fiber.child
    while (f) {
      if (HOST_TAGS.has(f.tag)) return f.stateNode
      f = f.child
    }
    return null
  }
  const placeOf = (fiber) => {
    const el = hostOf(fiber)
    if (!el || !el.closest) return 'other'
    if (el.matches('li.initiative-list__item')) return 'initiative card'
    if (el.closest('li.initiative-list__item')) return 'inside initiative cards'
    if (el.closest('section.prose-section')) return 'prose sections'
    if (el.closest('.comments-sidebar')) return 'comments'
    if (el.closest('header.plan-header')) return 'plan header'
    if (el.closest('fieldset.target-components')) return 'target components'
    return 'other'
  }
  const walk = (fiber, counts) => {
    let f = fiber
    while (f) {
      if (f.tag === 10 && f.alternate && f.memoizedProps.value !== f.alternate.memoizedProps.value) {
        const v = f.memoizedProps.value
        const name = v && typeof v === 'object' ? Object.keys(v).slice(0, 3).join(',') : String(v)
        counts.contexts[name] = (counts.contexts[name] || 0) + 1
        const old = f.alternate.memoizedProps.value
        if (v && old && typeof v === 'object') {
          for (const k of Object.keys(v)) if (v[k] !== old[k]) counts.contexts[name + ' .' + k] = (counts.contexts[name + ' .' + k] || 0) + 1
        }
      }
      if (COMPONENT_TAGS.has(f.tag) && (f.flags & PERFORMED_WORK) === PERFORMED_WORK) {
        counts.components++
        const place = placeOf(f)
        counts.places[place] = (counts.places[place] || 0) + 1
      }
      // A subtree React bailed out of keeps its children as they were: nothing in it rendered.
      if (f.child && (!f.alternate || f.child !== f.alternate.child)) walk(f.child, counts)
      f = f.sibling
    }
  }
  let nextId = 1
  window.__REACT_DEVTOOLS_GLOBAL_HOOK__ = {
    supportsFiber: true,
    isDisabled: false,
    renderers: new Map(),
    inject(renderer) { const id = nextId++; this.renderers.set(id, renderer); return id },
    checkDCE() {},
    onScheduleFiberRoot() {},
    onCommitFiberUnmount() {},
    onPostCommitFiberRoot() {},
    onCommitFiberRoot(_id, root) {
      const counts = window.__leverRenders
      counts.commits++
      walk(root.current.child, counts)
    },
  }
})()`

export interface RenderCounts {
  commits: number
  components: number
  places: Record<string, number>
  /** Context values that changed, by their first keys. */
  contexts: Record<string, number>
}
