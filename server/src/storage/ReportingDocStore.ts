import type { CompactResult, DocStore, LoggedUpdate, StoredDoc } from './DocStore.ts'
import type { StorageAlarm } from './StorageAlarm.ts'

/** A DocStore that tells the storage alarm when a write fails because storage is full. */
export class ReportingDocStore implements DocStore {
  constructor(
    private readonly inner: DocStore,
    private readonly alarm: StorageAlarm,
  ) {}

  load(docName: string): Promise<StoredDoc> {
    return this.watch(this.inner.load(docName), docName)
  }

  updatesAfter(docName: string, afterSeq: number): Promise<LoggedUpdate[]> {
    return this.watch(this.inner.updatesAfter(docName, afterSeq), docName)
  }

  append(docName: string, update: Uint8Array): Promise<number> {
    return this.watch(this.inner.append(docName, update), docName)
  }

  compact(docName: string, merged: Uint8Array, throughSeq: number): Promise<CompactResult> {
    return this.watch(this.inner.compact(docName, merged, throughSeq), docName)
  }

  delete(docName: string): Promise<void> {
    return this.watch(this.inner.delete(docName), docName)
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

  private watch<T>(work: Promise<T>, doc: string): Promise<T> {
    return work.catch((error: unknown) => {
      this.alarm.report(error, { doc })
      throw error
    })
  }
}
