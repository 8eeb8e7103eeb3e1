import { useEffect } from 'react'
import { useLocation } from 'react-router'

/** Frames to keep looking for the target: pages such as a plan render their parts a moment after loading. */
const MAX_FRAMES = 300

/**
 * Takes a link with a fragment (`/plans/x#lever-procurement`) to its target once the target is on
 * the page: scrolls it into view and moves focus to it, or to its focusable heading, so keyboard
 * and screen-reader users land where the link said.
 */
export function HashTarget() {
  const { pathname, hash } = useLocation()
  // biome-ignore lint/correctness/useExhaustiveDependencies: the same fragment on another page is a new target
  useEffect(() => {
    if (!hash || hash === '#') return
    const id = decodeURIComponent(hash.slice(1))
    let frames = 0
    let frame = 0
    const look = () => {
      const el = document.getElementById(id)
      if (!el) {
        if (++frames < MAX_FRAMES) frame = requestAnimationFrame(look)
        return
      }
      el.scrollIntoView({ block: 'center' })
      const target = el.hasAttribute('tabindex')
        ? el
        : el.querySelector<HTMLElement>('h2[tabindex], h3[tabindex], h4[tabindex]')
      target?.focus({ preventScroll: true })
    }
    look()
    return () => cancelAnimationFrame(frame)
  }, [pathname, hash])
  return null
}
