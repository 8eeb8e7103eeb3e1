import { useEffect } from 'react'
import { useLocation } from 'react-router'

/** How long to wait for the target: pages such as a plan render their parts after loading. */
const WAIT_MS = 15_000

/** True while the person has not put focus anywhere yet (so taking it to the target steals nothing). */
function focusIsFree(): boolean {
  const active = document.activeElement
  return !active || active === document.body || active.id === 'main'
}

/**
 * Takes a link with a fragment (`/plans/x#lever-procurement`) to its target once the target is on
 * the page: scrolls it into view and moves focus to it, or to its focusable heading, so keyboard
 * and screen-reader users land where the link said. Gives up after a while, or when the person
 * has started working somewhere else on the page.
 */
export function HashTarget() {
  const { pathname, hash } = useLocation()
  // biome-ignore lint/correctness/useExhaustiveDependencies: the same fragment on another page is a new target
  useEffect(() => {
    if (!hash || hash === '#') return
    const id = decodeURIComponent(hash.slice(1))
    const reveal = (): boolean => {
      const el = document.getElementById(id)
      if (!el) return false
      if (!focusIsFree()) return true
      el.scrollIntoView({ block: 'center' })
      const target = el.hasAttribute('tabindex')
        ? el
        : el.querySelector<HTMLElement>('h2[tabindex], h3[tabindex], h4[tabindex]')
      target?.focus({ preventScroll: true })
      return true
    }
    if (reveal()) return
    const observer = new MutationObserver(() => {
      if (reveal()) stop()
    })
    const timer = window.setTimeout(() => stop(), WAIT_MS)
    const stop = () => {
      observer.disconnect()
      window.clearTimeout(timer)
    }
    observer.observe(document.body, { childList: true, subtree: true })
    return stop
  }, [pathname, hash])
  return null
}
