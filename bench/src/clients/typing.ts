import { PlanModel, sectionField } from '@lever/shared'
import type { Awareness } from 'y-protocols/awareness'
import * as Y from 'yjs'
import type { BenchClient } from './openClient.ts'

/** Top-level array of send times (µs on the monotonic clock), one per stamped edit. */
export const STAMPS_KEY = 'benchStamps'

/**
 * The array a sender's stamps go to: senders of a group (the clients of one server, when several
 * serve a document) stamp into an array of their own, so a receiver can tell whose edit it got.
 */
export const stampsKeyOf = (group: number | undefined): string =>
  group === undefined ? STAMPS_KEY : `${STAMPS_KEY}:${group}`
/** The prose section every benchmark editor types into, as Lever's Tiptap editors would. */
export const SECTION_FIELD = sectionField('problem')

const LETTERS = 'abcdefghijklmnopqrstuvwxyz     '

/**
 * A person typing in one plan section the way Tiptap bound through y-prosemirror does: its own
 * paragraph (an XmlElement holding an XmlText), one character per transaction, now and then a
 * backspace, with the cursor published in awareness when the client has a presence.
 */
export class Typist {
  private text: Y.XmlText | null = null
  private cursor = 0
  private count = 0

  /** `presence` is published with every edit when it has a local state. */
  constructor(
    readonly doc: Y.Doc,
    private readonly presence: Awareness | null,
    name: string,
    private readonly stampsKey = STAMPS_KEY,
  ) {
    if (presence && presence.getLocalState() !== null) {
      presence.setLocalStateField('user', { name, color: '#3b82f6' })
    }
  }

  /** A typist on a connected client, publishing its cursor if the client has a presence. */
  static on(client: BenchClient, name: string, stampsKey = STAMPS_KEY): Typist {
    return new Typist(client.doc, client.awareness, name, stampsKey)
  }

  /** Makes one edit; with `stampMicros` it also records its send time for the receivers. */
  type(stampMicros?: number): void {
    const doc = this.doc
    doc.transact(() => {
      const text = this.ownText()
      if (this.count % 20 === 19 && this.cursor > 0) {
        text.delete(this.cursor - 1, 1)
        this.cursor--
      } else {
        text.insert(this.cursor, LETTERS[this.count % LETTERS.length] as string)
        this.cursor++
      }
      if (stampMicros !== undefined) doc.getArray<number>(this.stampsKey).push([stampMicros])
    })
    this.count++
    if (this.presence && this.presence.getLocalState() !== null) this.publishCursor()
  }

  private ownText(): Y.XmlText {
    if (this.text) return this.text
    const paragraph = new Y.XmlElement('paragraph')
    const text = new Y.XmlText()
    paragraph.insert(0, [text])
    const fragment = this.doc.getXmlFragment(SECTION_FIELD)
    fragment.insert(fragment.length, [paragraph])
    this.text = text
    return text
  }

  private publishCursor(): void {
    if (!this.text || !this.presence) return
    const position = Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(this.text, this.cursor))
    this.presence.setLocalStateField('cursor', { anchor: position, head: position })
  }
}

/** Writes a plan's standard structure into a new, empty document (what Lever's server does itself). */
export function seedPlan(doc: Y.Doc, title: string): void {
  const model = new PlanModel(doc)
  if (model.schemaVersion === 0) PlanModel.initialize(doc, { title, jurisdictionId: 'boulder-co' })
}

/**
 * `edits` keystrokes typed into a fresh document, encoded as one update: a document with a typed
 * history's structure that reaches the server in one message.
 */
export function typedContent(edits: number): Uint8Array {
  const scratch = new Y.Doc()
  const typist = new Typist(scratch, null, 'filler')
  for (let i = 0; i < edits; i++) typist.type()
  const update = Y.encodeStateAsUpdate(scratch)
  scratch.destroy()
  return update
}
