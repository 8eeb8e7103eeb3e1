import { type QueryKey, useQuery } from '@tanstack/react-query'
import { useCallback } from 'react'
import { ApiRequestError } from './http.ts'

export type ApiState<T> =
  | { status: 'loading' }
  | { status: 'error'; error: ApiRequestError }
  | { status: 'ready'; data: T }

/**
 * REST data through the app's query cache (`queryClient.ts`). `key` names what `load` fetches;
 * its first part is the kind of data (`['sessions']`, `['plans', id]`), which decides which
 * changes refresh it. `reload()` fetches again.
 */
export function useApi<T>(key: QueryKey, load: (signal: AbortSignal) => Promise<T>): [ApiState<T>, () => void] {
  const query = useQuery({ queryKey: key, queryFn: ({ signal }) => load(signal) })
  const { refetch } = query
  const reload = useCallback(() => void refetch(), [refetch])
  // A failed refresh keeps what was shown (an open page is not replaced by an error); a failed
  // first load is an error.
  if (query.data !== undefined) return [{ status: 'ready', data: query.data }, reload]
  if (query.status === 'error') {
    const error =
      query.error instanceof ApiRequestError ? query.error : new ApiRequestError(0, 'unknown', 'Something went wrong.')
    return [{ status: 'error', error }, reload]
  }
  return [{ status: 'loading' }, reload]
}
