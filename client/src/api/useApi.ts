import { useCallback, useEffect, useState } from 'react'
import { ApiRequestError } from './http.ts'

export type ApiState<T> =
  | { status: 'loading' }
  | { status: 'error'; error: ApiRequestError }
  | { status: 'ready'; data: T }

/** Runs `load` when `key` changes (aborting the previous call); `reload()` runs it again. */
export function useApi<T>(key: string, load: (signal: AbortSignal) => Promise<T>): [ApiState<T>, () => void] {
  const [state, setState] = useState<ApiState<T>>({ status: 'loading' })
  const [attempt, setAttempt] = useState(0)
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` names what `load` fetches; `attempt` re-runs it
  useEffect(() => {
    const controller = new AbortController()
    setState({ status: 'loading' })
    load(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ status: 'ready', data })
      },
      (error: unknown) => {
        if (controller.signal.aborted) return
        setState({
          status: 'error',
          error: error instanceof ApiRequestError ? error : new ApiRequestError(0, 'unknown', 'Something went wrong.'),
        })
      },
    )
    return () => controller.abort()
  }, [key, attempt])
  const reload = useCallback(() => setAttempt((n) => n + 1), [])
  return [state, reload]
}
