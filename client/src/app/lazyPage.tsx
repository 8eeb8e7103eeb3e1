import { type ComponentType, lazy, type ReactNode, Suspense } from 'react'
import { ErrorPanel, LoadingPanel } from '../ui/Panels.tsx'

/** What a notice calls the part whose code could not be fetched, and its heading's level. */
export interface PartName {
  /** "This page", "This tab", "The version history": the notice says it "could not be loaded". */
  title: string
  /** 1 for a page (its notice is the page's heading), 2 for a part inside one. */
  level: 1 | 2
}

const A_PAGE: PartName = { title: 'This page', level: 1 }

/** What shows when a part's code cannot be fetched: offline, or Lever was updated since the tab opened. */
function CodeMissing({ name }: { name: PartName }) {
  // Offline, a reload would lose the page itself: say what waits for the connection instead.
  if (!navigator.onLine) {
    return (
      <ErrorPanel
        title={`${name.title} needs a connection`}
        level={name.level}
        onRetry={() => window.location.reload()}
      >
        <p>
          This browser is offline, and this part of Lever has not been opened here before. Your edits are kept in this
          browser; try again once you are back online.
        </p>
      </ErrorPanel>
    )
  }
  return (
    <ErrorPanel title={`${name.title} could not be loaded`} level={name.level} onRetry={() => window.location.reload()}>
      <p>Lever may have been updated since you opened it, or the connection dropped. Reloading fixes it.</p>
    </ErrorPanel>
  )
}

/** A component whose code loads when it is first rendered, and can be asked to load sooner. */
export type LazyPart<P extends object> = ComponentType<P> & {
  /** Starts fetching the code now (someone is about to open it); a failure shows when it renders. */
  preload(): void
}

/**
 * A component whose code loads when it is first rendered (a page, a tab, a dialog), shown inside a
 * `Suspense`. If its code cannot be fetched, a notice that says so (naming it as `name` says) and
 * offers a reload shows in its place.
 */
export function lazyPart<P extends object>(
  load: () => Promise<ComponentType<P>>,
  name: PartName = A_PAGE,
): LazyPart<P> {
  const Part = lazy(async () => {
    try {
      return { default: await load() }
    } catch {
      return { default: (() => <CodeMissing name={name} />) as ComponentType<P> }
    }
  }) as unknown as LazyPart<P>
  Part.preload = () => {
    load().catch(() => {})
  }
  return Part
}

/**
 * A page whose code loads when it is first opened, so the first page anyone sees (sign-in, home)
 * does not wait for the code of every other one.
 */
export function lazyPage(load: () => Promise<ComponentType>, loading: ReactNode): ReactNode {
  const Page = lazyPart(load)
  return (
    <Suspense fallback={<LoadingPanel>{loading}</LoadingPanel>}>
      <Page />
    </Suspense>
  )
}
