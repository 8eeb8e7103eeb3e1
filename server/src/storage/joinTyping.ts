import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'

/**
 * Applies a stored log to `doc` in one transaction, with runs of typed characters joined into one
 * string item each (the way Yjs itself sends a document's state). Returns how many updates were
 * applied after joining.
 *
 * Why: a plan typed one character per update leaves one row per keystroke until the log is merged.
 * Applying 100,000 such rows integrates 100,000 items, one by one, and Yjs merges them back into
 * runs at the end; that was most of the time a long log took to open. Joining the runs first means
 * Yjs integrates a few thousand items instead.
 *
 * Why it is the same document: in a sequence (a text, an array, an XML element's children), a
 * string item of length n with id (c, k), origin o and right origin r is, by Yjs's definition (it
 * is how an item is split), the items (c, k) … (c, k+n-1), the first with origin o and each next
 * one with the one before as its origin, all with right origin r. So a row is joined to the run
 * before it only when it is exactly that next item: one string item from the same client at the
 * next clock, whose origin is the run's last character and whose right origin is the run's. Where
 * others typed between, Yjs splits the joined item again when their items arrive, as it does with
 * any update.
 *
 * That rule holds in sequences only. An item with an origin takes its place from the origin, and
 * under a map key (a map's field, an XML attribute) each next item replaces the one before: joined,
 * the replaced ones would stay. So a run starts only after an item known to be in a sequence: one
 * already in the document with no map key, or one of the batch's own runs. The log is applied as
 * it is read, so the document holds every row before the current one.
 *
 * Only rows of the plain shape are read here: one string item with an origin, or deletions alone
 * (a backspace). Any other row (a new paragraph, formatting, a map, several items, a clock that
 * does not follow the batch's run of that client, anything this reader does not follow) ends the
 * current batch and is applied as stored, in its place, so the order of everything else is kept.
 * Deletions of a batch go with it; Yjs applies a deletion whenever the item it names is there, so
 * when it is applied within the load does not change the document.
 *
 * A cost to know: a deletion inside a long joined item splits it, and Yjs inserts the split part
 * into the client's array of items, so very many deletions scattered through one long run cost
 * more than with the rows apart (a review's worst case: a 100,000-character run with every other
 * character deleted, 11 s against 1.4 s; equal at 20,000). Logs are merged into one row once they
 * pass 500 rows (`Compactor`), where this does not show; only a server with compaction turned off
 * keeps logs this long.
 */
export function applyStoredLog(doc: Y.Doc, rows: readonly Uint8Array[], origin?: unknown): number {
  let applied = 0
  doc.transact(() => {
    const apply = (update: Uint8Array) => {
      Y.applyUpdate(doc, update)
      applied++
    }
    if (rows.length < 2) {
      for (const update of rows) apply(update)
      return
    }
    const batch = new TypingBatch(doc)
    const row = new RowReader()
    for (const update of rows) {
      if (!row.read(update) || !batch.add(row)) {
        if (!batch.isEmpty) apply(batch.take())
        apply(update)
      }
    }
    if (!batch.isEmpty) apply(batch.take())
  }, origin)
  return applied
}

/** Yjs's info byte: the item has an origin, a right origin; the low five bits name its content. */
const HAS_ORIGIN = 0b1000_0000
const HAS_RIGHT_ORIGIN = 0b0100_0000
const CONTENT_REF = 0b0001_1111
/** Yjs's content ref for a string. */
const STRING_CONTENT = 4
const NO_CLIENT = -1

/**
 * Reads one update of the plain shape (see `applyStoredLog`) in Yjs's first encoding, the one the
 * store holds. `read` says whether the row had that shape and nothing after it.
 */
class RowReader {
  /** Whether the row holds an item; false for deletions alone. */
  hasItem = false
  client = 0
  clock = 0
  originClient = 0
  originClock = 0
  rightClient = NO_CLIENT
  rightClock = 0
  text = ''
  /** The row's deletions, as client, clock, length triples. */
  readonly deletions: number[] = []
  /** One lib0 decoder, pointed at each row in turn (a row is read in about a microsecond). */
  private readonly decoder: decoding.Decoder = decoding.createDecoder(new Uint8Array(0))

  read(update: Uint8Array): boolean {
    this.decoder.arr = update
    this.decoder.pos = 0
    this.deletions.length = 0
    try {
      const clients = this.uint()
      this.hasItem = clients !== 0
      if (this.hasItem) {
        if (clients !== 1 || this.uint() !== 1) return false
        this.client = this.uint()
        this.clock = this.uint()
        const info = this.byte()
        if ((info & CONTENT_REF) !== STRING_CONTENT || (info & HAS_ORIGIN) === 0) return false
        this.originClient = this.uint()
        this.originClock = this.uint()
        if (info & HAS_RIGHT_ORIGIN) {
          this.rightClient = this.uint()
          this.rightClock = this.uint()
        } else {
          this.rightClient = NO_CLIENT
        }
        this.text = this.string()
        if (this.text.length === 0) return false
      }
      const deleters = this.uint()
      for (let i = 0; i < deleters; i++) {
        const client = this.uint()
        const ranges = this.uint()
        for (let j = 0; j < ranges; j++) {
          const clock = this.uint()
          const length = this.uint()
          if (length === 0) return false
          this.deletions.push(client, clock, length)
        }
      }
      return this.decoder.pos === update.length && (this.hasItem || this.deletions.length > 0)
    } catch {
      return false
    }
  }

  private byte(): number {
    if (this.decoder.pos >= this.decoder.arr.length) throw new RangeError('update ends early')
    return decoding.readUint8(this.decoder)
  }

  /** lib0's variable-length unsigned integer, refused past the safe integers. */
  private uint(): number {
    const value = decoding.readVarUint(this.decoder)
    if (value > Number.MAX_SAFE_INTEGER) throw new RangeError('integer too large')
    return value
  }

  /**
   * A length-prefixed UTF-8 string: one plain character read directly (lib0 would cut a view of
   * the row for it, a new Buffer when the row is a Buffer, for every keystroke), anything else by
   * lib0.
   */
  private string(): string {
    const { decoder } = this
    const start = decoder.pos
    const length = this.uint()
    if (decoder.pos + length > decoder.arr.length) throw new RangeError('update ends early')
    const first = decoder.arr[decoder.pos]
    if (length === 1 && first !== undefined && first < 0x80) {
      decoder.pos++
      return String.fromCharCode(first)
    }
    decoder.pos = start
    return decoding.readVarString(decoder)
  }
}

/** Joined typing and its deletions, as one update when taken. */
class TypingBatch {
  /** Each client's items in clock order, without gaps. */
  private items = new Map<number, Y.Item[]>()
  private deletions = Y.createDeleteSet()
  private rows = 0

  constructor(private readonly doc: Y.Doc) {}

  get isEmpty(): boolean {
    return this.rows === 0
  }

  /** Takes in a row read by `row`; false (and nothing taken) when it does not continue the batch. */
  add(row: RowReader): boolean {
    if (row.hasItem) {
      const items = this.items.get(row.client)
      const last = items?.[items.length - 1]
      if (last && last.id.clock + last.length !== row.clock) return false
      if (last && continuesRun(last, row)) {
        const content = last.content as Y.ContentString
        content.str += row.text
        last.length += row.text.length
      } else {
        if (!this.inSequence(row.originClient, row.originClock)) return false
        const item = new Y.Item(
          Y.createID(row.client, row.clock),
          null,
          Y.createID(row.originClient, row.originClock),
          null,
          row.rightClient === NO_CLIENT ? null : Y.createID(row.rightClient, row.rightClock),
          null,
          null,
          new Y.ContentString(row.text),
        )
        if (items) items.push(item)
        else this.items.set(row.client, [item])
      }
    }
    const { deletions } = row
    for (let i = 0; i < deletions.length; i += 3) {
      const client = deletions[i] as number
      let ranges = this.deletions.clients.get(client)
      if (!ranges) {
        ranges = []
        this.deletions.clients.set(client, ranges)
      }
      // Yjs's DeleteItem is a plain { clock, len } pair.
      ranges.push({ clock: deletions[i + 1] as number, len: deletions[i + 2] as number } as (typeof ranges)[number])
    }
    this.rows++
    return true
  }

  /**
   * Whether the character at (client, clock) is in a sequence, not under a map key: it is one of
   * the batch's runs (each started in a sequence), or an item of the document without a map key.
   * Anything else (not there yet, collected, under a key) is not joined.
   */
  private inSequence(client: number, clock: number): boolean {
    const items = this.items.get(client)
    if (items) {
      const first = items[0] as Y.Item
      const last = items[items.length - 1] as Y.Item
      if (clock >= first.id.clock && clock < last.id.clock + last.length) return true
    }
    const structs = this.doc.store.clients.get(client)
    if (!structs || Y.getState(this.doc.store, client) <= clock) return false
    const struct = structs[Y.findIndexSS(structs, clock)]
    return struct instanceof Y.Item && struct.parentSub === null
  }

  /** The batch as one update in Yjs's first encoding; the batch is empty afterwards. */
  take(): Uint8Array {
    const encoder = new Y.UpdateEncoderV1()
    const clients = [...this.items.keys()].sort((a, b) => b - a)
    encoding.writeVarUint(encoder.restEncoder, clients.length)
    for (const client of clients) {
      const items = this.items.get(client) as Y.Item[]
      encoding.writeVarUint(encoder.restEncoder, items.length)
      encoder.writeClient(client)
      encoding.writeVarUint(encoder.restEncoder, (items[0] as Y.Item).id.clock)
      for (const item of items) item.write(encoder, 0)
    }
    // Sorted and with touching ranges joined, as Yjs writes a delete set.
    const deletions = Y.mergeDeleteSets([this.deletions])
    const deleters = [...deletions.clients.entries()].sort((a, b) => b[0] - a[0])
    encoding.writeVarUint(encoder.restEncoder, deleters.length)
    for (const [client, ranges] of deleters) {
      encoder.resetDsCurVal()
      encoding.writeVarUint(encoder.restEncoder, client)
      encoding.writeVarUint(encoder.restEncoder, ranges.length)
      for (const range of ranges) {
        encoder.writeDsClock(range.clock)
        encoder.writeDsLen(range.len)
      }
    }
    this.items = new Map()
    this.deletions = Y.createDeleteSet()
    this.rows = 0
    return encoder.toUint8Array()
  }
}

/** Whether the row's item is the next character of the run `last` ends (see `applyStoredLog`). */
function continuesRun(last: Y.Item, row: RowReader): boolean {
  if (row.originClient !== row.client || row.originClock !== row.clock - 1) return false
  const right = last.rightOrigin
  return right === null
    ? row.rightClient === NO_CLIENT
    : row.rightClient === right.client && row.rightClock === right.clock
}
