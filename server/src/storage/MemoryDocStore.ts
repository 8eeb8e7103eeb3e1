import type { CompactResult, DocStore, LoggedUpdate, StoredDoc } from './DocStore.ts'

interface Row {
  seq: number
  update: Uint8Array
}

/** A DocStore that keeps everything in memory: for fast tests, never for data anyone needs. */
export class MemoryDocStore implements DocStore {
  private readonly logs = new Map<string, Row[]>()
  private seq = 0
  private closed = false

  async load(docName: string): Promise<StoredDoc> {
    this.assertOpen()
    const rows = this.logs.get(docName) ?? []
    return {
      updates: rows.map((r) => r.update),
      lastSeq: rows.at(-1)?.seq ?? 0,
      rows: rows.length,
      bytes: rows.reduce((sum, r) => sum + r.update.byteLength, 0),
    }
  }

  async updatesAfter(docName: string, afterSeq: number): Promise<LoggedUpdate[]> {
    this.assertOpen()
    return (this.logs.get(docName) ?? [])
      .filter((r) => r.seq > afterSeq)
      .sort((a, b) => a.seq - b.seq)
      .map((r) => ({ seq: r.seq, update: r.update }))
  }

  async append(docName: string, update: Uint8Array): Promise<number> {
    this.assertOpen()
    const seq = ++this.seq
    let rows = this.logs.get(docName)
    if (!rows) {
      rows = []
      this.logs.set(docName, rows)
    }
    rows.push({ seq, update: update.slice() })
    return seq
  }

  async compact(docName: string, merged: Uint8Array, throughSeq: number): Promise<CompactResult> {
    this.assertOpen()
    const seq = ++this.seq
    const kept = (this.logs.get(docName) ?? []).filter((r) => r.seq > throughSeq)
    const rows = [...kept, { seq, update: merged.slice() }]
    this.logs.set(docName, rows)
    return { seq, rows: rows.length, bytes: rows.reduce((sum, r) => sum + r.update.byteLength, 0) }
  }

  async delete(docName: string): Promise<void> {
    this.assertOpen()
    this.logs.delete(docName)
  }

  async list(): Promise<string[]> {
    this.assertOpen()
    return [...this.logs.keys()].sort()
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {
    this.closed = true
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('MemoryDocStore is closed')
  }
}
