import { createContext, useContext } from 'react'

/** True where the person may read but not change what is shown (form controls render read-only). */
export const ReadOnlyContext = createContext(false)

export function useReadOnly(): boolean {
  return useContext(ReadOnlyContext)
}
