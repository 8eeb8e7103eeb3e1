/**
 * Documents kept in this browser (IndexedDB), so that changes made while offline survive closing
 * the tab or a crash, and reach the server at the next visit. Each person's copies are their own:
 * the name carries their user id, and signing out removes every copy this browser keeps.
 */
const PREFIX = 'lever:'

/** The IndexedDB database that keeps `docName` for the person `userId`. */
export function localCopyName(userId: string, docName: string): string {
  return `${PREFIX}${userId}:${docName}`
}

/** Removes one kept document. */
export async function forgetLocalCopy(name: string): Promise<void> {
  // Loaded here, not with the page: signing out should not make every page carry Yjs.
  const { clearDocument } = await import('y-indexeddb')
  await clearDocument(name)
}

/** Removes every document this browser keeps (at sign-out: the next person sees none of them). */
export async function forgetLocalCopies(): Promise<void> {
  const databases = typeof indexedDB.databases === 'function' ? await indexedDB.databases() : []
  await Promise.all(
    databases
      .map((d) => d.name)
      .filter((name): name is string => name?.startsWith(PREFIX) === true)
      .map(forgetLocalCopy),
  )
}
