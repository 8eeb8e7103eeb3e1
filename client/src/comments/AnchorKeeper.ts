import { PlanModel, proseFields, type ThreadModel } from '@lever/shared'
import type * as Y from 'yjs'
import {
  addCommentMark,
  anchorsInField,
  flatten,
  locateQuote,
  type SeenAnchor,
  seenAnchors,
  segmentsOfFlat,
} from './anchors.ts'

/**
 * Keeps comment anchors on their words when a concurrent edit moved them.
 *
 * The editor binding moves text by re-creating it (a paragraph split or join, wrapping in a
 * list). A comment mark made at the same moment on another machine formats the old characters,
 * so after the two edits merge the words are there but unmarked. Whenever a change from someone
 * else leaves a thread without its mark, the keeper looks for the words it last saw marked
 * (with their context) in the same field and marks them again. Words really deleted are not
 * there, so their thread stays "original text deleted"; a deletion made here is never repaired.
 */
/**
 * How long after a change the keeper looks at the anchors again. A repair is for the rare edit
 * that crossed a comment made elsewhere, so it can wait a quarter of a second; looking after every
 * keystroke cost a page with others typing a re-read of their section each time.
 */
export const CHECK_DELAY_MS = 250

/** The longest the keeper's first reading waits for a quiet moment of the page (see start). */
export const BASELINE_WAIT_MS = 1000

/** Calls `run` when the page is idle (at most BASELINE_WAIT_MS later); returns a cancel. */
function whenIdle(run: () => void): () => void {
  if (typeof requestIdleCallback === 'function') {
    const handle = requestIdleCallback(run, { timeout: BASELINE_WAIT_MS })
    return () => cancelIdleCallback(handle)
  }
  const timer = setTimeout(run, 0)
  return () => clearTimeout(timer)
}

export class AnchorKeeper {
  private readonly lastSeen = new Map<string, SeenAnchor>()
  private readonly known = new Set<string>()
  private remoteSinceCheck = false
  /** Prose fields read by checks (a field answered from the last check's reading is not counted). */
  fieldsRead = 0
  /**
   * What each prose field's marks were at the last check, kept while nothing inside the field
   * changed: a keystroke in one section re-reads that section, not the whole plan (a large plan
   * has six long sections and sixty descriptions).
   */
  private fieldAnchors = new WeakMap<Y.XmlFragment, { field: string; anchors: Map<string, SeenAnchor> }>()
  /** Types changed since the last check (with their ancestors: a field's fragment is among them). */
  private readonly changedSinceCheck = new Set<object>()
  private timer: ReturnType<typeof setTimeout> | null = null
  /** The prose fields as the last check listed them. */
  private fields: Array<{ field: string; fragment: Y.XmlFragment }> | null = null
  private observing = false
  /** Cancels the wait for the first reading after start; null once it is taken (see start). */
  private cancelIdle: (() => void) | null = null

  constructor(
    private readonly doc: Y.Doc,
    /** The plan's threads (they live in thread documents beside the plan). */
    private readonly threads: () => ThreadModel[],
    /** Applies the repair (a comment-origin transaction). */
    private readonly write: (change: () => void) => void,
    /** True for transactions that came from someone else. */
    private readonly isRemote: (origin: unknown) => boolean,
  ) {}

  /**
   * Starts from what the document holds now (nothing is repaired from before) and watches changes.
   *
   * Reading every prose field of a large plan takes tens of milliseconds, and the keeper starts
   * as the plan arrives, just before the page first draws it. So the first reading waits for a
   * quiet moment of the page (at most BASELINE_WAIT_MS), or for the next change to the document,
   * whichever comes first: it is taken before that change applies, so it is still the plan as
   * it arrived.
   */
  start(): void {
    if (this.observing) return
    // Fields may have changed while nobody watched: read them all again.
    this.fieldAnchors = new WeakMap()
    this.fields = null
    this.observing = true
    this.doc.on('beforeTransaction', this.takeBaseline)
    this.doc.on('afterTransaction', this.onTransaction)
    this.cancelIdle = whenIdle(this.takeBaseline)
  }

  /**
   * Takes every thread there is now as known: a missing mark of one of them is not repaired from
   * its quote (it may have been missing before this page opened). Called when the thread
   * documents arrive, which is often after the plan and its first reading.
   */
  learnThreads(): void {
    for (const thread of this.threads()) this.known.add(thread.id)
  }

  stop(): void {
    this.dropBaselineWait()
    if (this.observing) this.doc.off('afterTransaction', this.onTransaction)
    this.observing = false
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
  }

  /** The first reading after start (see start). */
  private readonly takeBaseline = () => {
    if (!this.cancelIdle) return
    this.dropBaselineWait()
    this.check(false)
  }

  private dropBaselineWait(): void {
    this.doc.off('beforeTransaction', this.takeBaseline)
    this.cancelIdle?.()
    this.cancelIdle = null
  }

  private readonly onTransaction = (transaction: Y.Transaction) => {
    if (this.isRemote(transaction.origin)) this.remoteSinceCheck = true
    for (const type of transaction.changedParentTypes.keys()) this.changedSinceCheck.add(type)
    for (const type of transaction.changed.keys()) this.changedSinceCheck.add(type)
    this.timer ??= setTimeout(() => {
      this.timer = null
      const remote = this.remoteSinceCheck
      this.remoteSinceCheck = false
      this.check(remote)
    }, CHECK_DELAY_MS)
  }

  /**
   * Records where every marked thread is; when `remote`, re-marks the threads that lost their
   * mark since the last check (or arrived without it). Returns the ids of repaired threads.
   */
  check(remote: boolean): string[] {
    const seen = this.anchorsNow()
    this.changedSinceCheck.clear()
    const repaired: string[] = []
    const lost: Array<{ id: string; target: SeenAnchor }> = []
    for (const thread of this.threads()) {
      const id = thread.id
      const now = seen.get(id)
      const before = this.lastSeen.get(id)
      const isNew = !this.known.has(id)
      // A thread just started elsewhere may arrive before its mark (they travel in different
      // documents); marking its quoted words here then writes the very mark that is on its way
      // (same key, same words), which changes nothing anyone sees.
      this.known.add(id)
      if (now) {
        this.lastSeen.set(id, now)
        continue
      }
      this.lastSeen.delete(id)
      const anchor = thread.anchor
      if (!remote || anchor?.kind !== 'text') continue
      if (before) lost.push({ id, target: before })
      else if (isNew) lost.push({ id, target: anchor })
    }
    if (lost.length === 0) return repaired
    const fragments = new Map(proseFields(new PlanModel(this.doc)).map((f) => [f.field, f.fragment]))
    this.write(() => {
      for (const { id, target } of lost) {
        const fragment = fragments.get(target.field)
        if (!fragment) continue
        const flat = flatten(fragment)
        const found = locateQuote(flat, target)
        if (!found) continue
        addCommentMark(segmentsOfFlat(flat, found.start, found.end), id)
        repaired.push(id)
      }
    })
    // The repair changed the fields it marked (the transaction went through onTransaction).
    const after = this.anchorsNow()
    this.changedSinceCheck.clear()
    for (const id of repaired) {
      const now = after.get(id)
      if (now) this.lastSeen.set(id, now)
    }
    return repaired
  }

  /** Every thread's marked words now, re-reading only the fields changed since the last check. */
  private anchorsNow(): Map<string, SeenAnchor> {
    return seenAnchors(
      this.doc,
      (field, fragment) => {
        // Only while watching transactions does the keeper know which fields changed.
        const known = this.observing ? this.fieldAnchors.get(fragment) : undefined
        if (known && known.field === field && !this.changedSinceCheck.has(fragment)) return known.anchors
        const anchors = anchorsInField(field, fragment)
        this.fieldsRead++
        this.fieldAnchors.set(fragment, { field, anchors })
        return anchors
      },
      this.proseFieldsNow(),
    )
  }

  /**
   * The plan's prose fields, listed again only when the initiatives or the levers changed since
   * the last check (a keystroke in a section changes neither).
   */
  private proseFieldsNow(): Array<{ field: string; fragment: Y.XmlFragment }> {
    const plan = new PlanModel(this.doc)
    const changed = this.changedSinceCheck.has(plan.initiativesMap) || this.changedSinceCheck.has(plan.levers)
    if (!this.fields || !this.observing || changed) this.fields = proseFields(plan)
    return this.fields
  }
}
