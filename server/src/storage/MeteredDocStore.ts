import type { CompactResult, DocStore, LoggedUpdate, StoredDoc } from './DocStore.ts'

/** What a MeteredDocStore reports (see `ops/Metrics.ts`). */
export interface StoreMeter {
  /** An append became durable this many seconds after it was made. */
  appendSeconds(seconds: number): void
  /** A compaction finished (ok) or failed. */
  compacted(ok: boolean): void
}

/** A DocStore that reports append latency and compactions. */
export class MeteredDocStore implements DocStore {
  constructor(
    private readonly inner: DocStore,
    private readonly meter: StoreMeter,
  ) {}

  load(docName: string): Promise<StoredDoc> {
    return this.inner.load(docName)
  }

  updatesAfter(docName: string, afterSeq: number): Promise<LoggedUpdate[]> {
    return this.inner.updatesAfter(docName, afterSeq)
  }

  append(docName: string, update: Uint8Array): Promise<number> {
    const start = performance.now()
    const write = this.inner.append(docName, update)
    return write.then((seq) => {
      this.meter.appendSeconds((performance.now() - start) / 1000)
      return seq
    })
  }

  compact(docName: string, merged: Uint8Array, throughSeq: number): Promise<CompactResult> {
    return this.inner.compact(docName, merged, throughSeq).then(
      (result) => {
        this.meter.compacted(true)
        return result
      },
      (error: unknown) => {
        this.meter.compacted(false)
        throw error
      },
    )
  }

  delete(docName: string): Promise<void> {
    return this.inner.delete(docName)
  }

  list(): Promise<string[]> {
    return this.inner.list()
  }

  flush(): Promise<void> {
    return this.inner.flush()
  }

  close(): Promise<void> {
    return this.inner.close()
  }
}
