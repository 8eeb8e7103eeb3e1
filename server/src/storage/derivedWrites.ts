import type { Database } from 'better-sqlite3'
import type { CommitRider } from './SqliteDocStore.ts'

/**
 * Writes rows derived from documents (the search index, plan figures, plan metadata): `write`
 * runs in a transaction of its own, or a savepoint of the document store's next group commit, and
 * the promise settles once its rows are stored (rejects, having stored none of them, if it threw).
 */
export type DerivedWriter = (write: () => void) => Promise<void>

/**
 * Derived rows ride along with the document store's group commit when there is one: they share
 * the commit's fsync instead of paying their own while editing goes on (with `synchronous=FULL`
 * every commit is an fsync on the event loop). Each write is a savepoint inside that commit, so a
 * failing write rolls back only its own rows and never the updates beside it. Without a store to
 * ride along with, the write runs at once in its own transaction.
 */
export function derivedWriter(db: Database, commits: CommitRider | null): DerivedWriter {
  return (write) =>
    new Promise<void>((resolve, reject) => {
      const guarded = db.transaction(write)
      const now = () => {
        try {
          guarded()
          resolve()
        } catch (error) {
          reject(error)
        }
      }
      if (!commits) return now()
      let failure: unknown
      try {
        commits.withNextCommit(
          () => {
            try {
              guarded()
            } catch (error) {
              failure = error ?? new Error('a derived write failed')
            }
          },
          (error) => {
            const e = error ?? failure
            if (e !== undefined) reject(e)
            else resolve()
          },
        )
      } catch {
        now() // the store has closed (shutting down): write on our own
      }
    })
}

/** Writes at once, in a transaction of its own (no group commit to ride along with). */
export const immediateWrites: DerivedWriter = (write) => {
  try {
    write()
    return Promise.resolve()
  } catch (error) {
    return Promise.reject(error)
  }
}
