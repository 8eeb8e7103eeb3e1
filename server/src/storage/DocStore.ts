/** What a room gets back when it loads a document. */
export interface StoredDoc {
  /** Every stored update of the document, oldest first. Applying them all gives its state. */
  updates: Uint8Array[]
  /** The sequence number of the newest stored row (0 when the document has none). */
  lastSeq: number
  /** How many rows the log holds. */
  rows: number
  /** Total bytes of the stored updates. */
  bytes: number
}

/** One stored row of a document's log. */
export interface LoggedUpdate {
  seq: number
  update: Uint8Array
}

/** The log after a compaction. */
export interface CompactResult {
  /** Sequence number of the merged row. */
  seq: number
  rows: number
  bytes: number
}

/**
 * Durable storage of Yjs documents as an append-only log of updates per document name.
 *
 * The room relies on three guarantees:
 * - `append` resolves only once the update is durable (it survives a crash of the process);
 *   appends made in the same tick may share one transaction;
 * - appends of one store resolve in the order they were made;
 * - `load` sees every append that was made before it was called, committed or not.
 *
 * The interface is async so that an implementation on a server database fits behind it.
 */
export interface DocStore {
  load(docName: string): Promise<StoredDoc>
  /**
   * The stored rows with a sequence number above `afterSeq`, oldest first: what a server that has
   * seen the log through `afterSeq` lacks (a compacted row may repeat some of what it has).
   */
  updatesAfter(docName: string, afterSeq: number): Promise<LoggedUpdate[]>
  /** Appends one update to the document's log and resolves with its sequence number once durable. */
  append(docName: string, update: Uint8Array): Promise<number>
  /**
   * Replaces every row with a sequence number up to and including `throughSeq` by `merged`,
   * atomically (insert the merged row, then delete the rows it replaces, in one transaction).
   * `merged` must contain at least the content of the rows it replaces.
   */
  compact(docName: string, merged: Uint8Array, throughSeq: number): Promise<CompactResult>
  /** Removes a document and its whole log. */
  delete(docName: string): Promise<void>
  /** Names of documents that have a log, in name order. */
  list(): Promise<string[]>
  /** Commits whatever is pending. */
  flush(): Promise<void>
  close(): Promise<void>
}
