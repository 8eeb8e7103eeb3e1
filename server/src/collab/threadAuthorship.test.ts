import { AccessMode, PlanModel, sectionField, type ThreadModel, ThreadsModel } from '@lever/shared'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { replicaUpdate } from './replicaUpdate.ts'
import { threadAuthorshipRule } from './threadAuthorship.ts'
import { policyFor, type UpdateVerdict, type Writer } from './updatePolicy.ts'

type ThreadActor = Writer & { userId: string }
// The rule alone (thread documents also keep `onlyThreadsRule`), over a document that holds a
// plan beside its threads, so that changes outside the threads show they pass it untouched.
const planPolicy = policyFor({ always: [threadAuthorshipRule] })

/** The authorship rule's policy, for a read-write connection of `actor`. */
function threadAuthorshipVerdict(server: Y.Doc, update: Uint8Array, actor: ThreadActor): UpdateVerdict {
  const verdict = planPolicy({ mode: AccessMode.ReadWrite, doc: server, update, identity: actor })
  return verdict.kind === 'reject' ? { kind: 'reject', reason: verdict.reason } : verdict
}

const cory = { id: 'coach-1', name: 'Cory Coach' }
const lee = { id: 'member-1', name: 'Lee Lead' }
const asLee: ThreadActor = { userId: lee.id, name: lee.name, moderator: false }
const asCory: ThreadActor = { userId: cory.id, name: cory.name, moderator: false }
const asFran: ThreadActor = { userId: 'facilitator-1', name: 'Fran Facilitator', moderator: true }

/** A plan with a paragraph and a thread Cory started, as the server holds it. */
function serverPlan(): { server: Y.Doc; threadId: string } {
  const server = new Y.Doc()
  const plan = PlanModel.initialize(server, { title: 'Plan', jurisdictionId: 'boulder-co' })
  const p = new Y.XmlElement('paragraph')
  p.insert(0, [new Y.XmlText('Raise wages for contract janitors.')])
  plan.section('problem').insert(0, [p])
  const thread = new ThreadsModel(server).create({
    anchor: { kind: 'text', field: sectionField('problem'), quote: 'wages', before: 'Raise ', after: ' for' },
    author: cory,
    body: 'Which wage level?',
  })
  thread.comments()[0]?.toggleReaction('thumbsUp', cory.id)
  return { server, threadId: thread.id }
}

function threadOf(doc: Y.Doc, id: string): ThreadModel {
  const thread = new ThreadsModel(doc).get(id)
  if (!thread) throw new Error('no thread')
  return thread
}

/** `apply`, or the reason the change is refused. */
function verdictOf(server: Y.Doc, actor: ThreadActor, change: (doc: Y.Doc) => void): string {
  const verdict = threadAuthorshipVerdict(server, replicaUpdate(server, change), actor)
  return verdict.kind === 'reject' ? verdict.reason : verdict.kind
}

describe('threadAuthorshipVerdict', () => {
  it('lets anyone who may comment reply, resolve, reopen, re-anchor and react in their own name', () => {
    const { server, threadId } = serverPlan()
    const steps: Array<(doc: Y.Doc) => void> = [
      (doc) => threadOf(doc, threadId).reply(lee, 'The county living wage.'),
      (doc) => threadOf(doc, threadId).resolve(lee),
      (doc) => threadOf(doc, threadId).reopen(),
      (doc) => threadOf(doc, threadId).reanchor({ kind: 'initiative', initiativeId: 'i1' }),
      (doc) => threadOf(doc, threadId).comments()[0]?.toggleReaction('thumbsUp', lee.id),
      (doc) => threadOf(doc, threadId).comments()[0]?.toggleReaction('thanks', lee.id),
      (doc) => threadOf(doc, threadId).comments()[0]?.toggleReaction('thumbsUp', lee.id),
      (doc) =>
        new ThreadsModel(doc).create({ anchor: { kind: 'initiative', initiativeId: 'i2' }, author: lee, body: 'Mine' }),
    ]
    for (const step of steps) {
      const update = replicaUpdate(server, step)
      expect(threadAuthorshipVerdict(server, update, asLee)).toEqual({ kind: 'apply' })
      Y.applyUpdate(server, update)
    }
    expect(threadOf(server, threadId).comments()).toHaveLength(2)
  })

  it('lets authors edit and delete their own comments', () => {
    const { server, threadId } = serverPlan()
    const edit = replicaUpdate(server, (doc) => threadOf(doc, threadId).comments()[0]?.edit('Which wage floor?'))
    expect(threadAuthorshipVerdict(server, edit, asCory).kind).toBe('apply')
    Y.applyUpdate(server, edit)
    expect(verdictOf(server, asCory, (doc) => threadOf(doc, threadId).comments()[0]?.remove())).toBe('apply')
  })

  it("refuses editing or deleting someone else's comment", () => {
    const { server, threadId } = serverPlan()
    expect(verdictOf(server, asLee, (doc) => threadOf(doc, threadId).comments()[0]?.edit('Never mind'))).toBe(
      'may only edit their own comments',
    )
    expect(verdictOf(server, asLee, (doc) => threadOf(doc, threadId).comments()[0]?.remove())).toBe(
      'may only edit their own comments',
    )
    expect(verdictOf(server, asLee, (doc) => threadOf(doc, threadId).commentsArray?.delete(0, 1))).toBe(
      'may only delete their own comments',
    )
  })

  it('refuses a thread or a reply written in someone else’s name', () => {
    const { server, threadId } = serverPlan()
    expect(
      verdictOf(server, asLee, (doc) =>
        new ThreadsModel(doc).create({ anchor: { kind: 'initiative', initiativeId: 'i' }, author: cory, body: 'Fake' }),
      ),
    ).toBe('may only write threads and comments in their own name')
    expect(verdictOf(server, asLee, (doc) => threadOf(doc, threadId).reply(cory, 'Fake reply'))).toBe(
      'may only write threads and comments in their own name',
    )
    // A comment map with no author at all is refused too.
    expect(verdictOf(server, asLee, (doc) => threadOf(doc, threadId).commentsArray?.push([new Y.Map<unknown>()]))).toBe(
      'may only write threads and comments in their own name',
    )
  })

  it('refuses a thread whose author fields are written twice side by side, the entry Yjs keeps naming someone else', () => {
    const { server } = serverPlan()
    const base = Y.encodeStateAsUpdate(server)
    /** A copy of the server's document writing with client id `clientID`. */
    const copy = (clientID: number) => {
      const doc = new Y.Doc()
      doc.clientID = clientID
      Y.applyUpdate(doc, base)
      return doc
    }
    const high = copy(4_000_000_000)
    const low = copy(1_000)
    const since = Y.encodeStateVector(high)
    const thread = new Y.Map<unknown>()
    high.transact(() => {
      high.getMap('threads').set('spoof', thread)
      thread.set('id', 'spoof')
      thread.set('status', 'open')
      thread.set('createdAt', '2026-12-03T00:00:00.000Z')
      thread.set('anchor', { kind: 'initiative', initiativeId: 'i' })
      thread.set('comments', new Y.Array())
    })
    const shell = Y.encodeStateAsUpdate(high, since)
    Y.applyUpdate(low, shell)
    // The higher client id names Cory; the lower one, unaware of it, names the sender.
    const nameAs = (doc: Y.Doc, who: { id: string; name: string }) => {
      const before = Y.encodeStateVector(doc)
      const t = doc.getMap('threads').get('spoof') as Y.Map<unknown>
      t.set('authorId', who.id)
      t.set('authorName', who.name)
      return Y.encodeStateAsUpdate(doc, before)
    }
    const update = Y.mergeUpdates([shell, nameAs(high, cory), nameAs(low, lee)])
    const merged = new Y.Doc()
    Y.applyUpdate(merged, base)
    Y.applyUpdate(merged, update)
    expect((merged.getMap('threads').get('spoof') as Y.Map<unknown>).get('authorId')).toBe(cory.id)
    expect(threadAuthorshipVerdict(server, update, asLee)).toEqual({
      kind: 'reject',
      reason: 'may only write threads and comments in their own name',
    })
  })

  it('refuses a new thread resolved in someone else’s name', () => {
    const { server } = serverPlan()
    const verdict = verdictOf(server, asLee, (doc) => {
      const t = new ThreadsModel(doc).create({
        anchor: { kind: 'initiative', initiativeId: 'i' },
        author: lee,
        body: 'x',
      })
      t.resolve(cory)
    })
    expect(verdict).toBe('may only resolve threads in their own name')
  })

  it("refuses adding or removing someone else's reaction, and replacing a reaction list", () => {
    const { server, threadId } = serverPlan()
    const reactions = (doc: Y.Doc) =>
      threadOf(doc, threadId).commentsArray?.get(0)?.get('reactions') as Y.Map<Y.Map<boolean>>
    expect(verdictOf(server, asLee, (doc) => reactions(doc).get('thumbsUp')?.delete(cory.id))).toBe(
      'may only add or remove their own reactions',
    )
    expect(verdictOf(server, asLee, (doc) => reactions(doc).get('thumbsUp')?.set('someone-else', true))).toBe(
      'may only add or remove their own reactions',
    )
    expect(verdictOf(server, asLee, (doc) => reactions(doc).set('thumbsUp', new Y.Map()))).toBe(
      'may not replace or remove a reaction (it holds everyone who reacted so)',
    )
    expect(
      verdictOf(server, asLee, (doc) => threadOf(doc, threadId).commentsArray?.get(0)?.set('reactions', new Y.Map())),
    ).toBe('may not change the reactions of a comment')
  })

  it('refuses rewriting who started a thread or when, and removing a thread someone else started', () => {
    const { server, threadId } = serverPlan()
    expect(verdictOf(server, asLee, (doc) => threadOf(doc, threadId).map.set('authorId', lee.id))).toBe(
      'may not change who wrote a thread',
    )
    expect(verdictOf(server, asCory, (doc) => threadOf(doc, threadId).map.set('createdAt', '2020-01-01'))).toBe(
      'may not change the createdAt of a thread',
    )
    expect(verdictOf(server, asLee, (doc) => threadOf(doc, threadId).map.delete('comments'))).toBe(
      'may not remove the comments of a thread',
    )
    expect(
      verdictOf(server, asLee, (doc) => threadOf(doc, threadId).commentsArray?.get(0)?.set('authorName', 'Lee')),
    ).toBe('may not change who wrote a comment')
    expect(verdictOf(server, asLee, (doc) => new ThreadsModel(doc).remove(threadId))).toBe(
      'may only remove threads they started',
    )
  })

  it('refuses a new thread under the id of a live one, which would replace it', () => {
    const { server, threadId } = serverPlan()
    expect(
      verdictOf(server, asLee, (doc) =>
        new ThreadsModel(doc).create({
          id: threadId,
          anchor: { kind: 'initiative', initiativeId: 'i' },
          author: lee,
          body: 'Mine now',
        }),
      ),
    ).toBe('may not replace a thread someone else started')
  })

  it('accepts what a client wrote and took back while offline, sent as one update on reconnect', () => {
    const { server, threadId } = serverPlan()
    // Taken back by undo (which keeps the items) and by deleting (which collects them).
    for (const takeBack of ['undo', 'delete'] as const) {
      const replica = new Y.Doc()
      Y.applyUpdate(replica, Y.encodeStateAsUpdate(server))
      const before = Y.encodeStateVector(replica)
      const thread = threadOf(replica, threadId)
      // An undo manager keeps what it tracks from being collected: only the undo case has one.
      const undo = takeBack === 'undo' ? new Y.UndoManager(replica.getMap('threads')) : null
      thread.reply(lee, 'On second thought…')
      const own = new ThreadsModel(replica).create({
        anchor: { kind: 'initiative', initiativeId: 'i' },
        author: lee,
        body: 'x',
      })
      if (undo) undo.undo()
      else {
        thread.commentsArray?.delete(1, 1)
        new ThreadsModel(replica).remove(own.id)
      }
      expect(thread.comments()).toHaveLength(1)
      expect(new ThreadsModel(replica).get(own.id)).toBeNull()
      thread.resolve(lee)
      const update = Y.encodeStateAsUpdate(replica, before)
      expect(`${takeBack}: ${threadAuthorshipVerdict(server, update, asLee).kind}`).toBe(`${takeBack}: apply`)
    }
  })

  it('lets the author remove a whole thread, replies of others included', () => {
    const { server, threadId } = serverPlan()
    Y.applyUpdate(
      server,
      replicaUpdate(server, (doc) => threadOf(doc, threadId).reply(lee, 'A reply')),
    )
    expect(verdictOf(server, asCory, (doc) => new ThreadsModel(doc).remove(threadId))).toBe('apply')
  })

  it('lets a facilitator moderate anyone’s comments', () => {
    const { server, threadId } = serverPlan()
    expect(verdictOf(server, asFran, (doc) => threadOf(doc, threadId).comments()[0]?.edit('Moderated'))).toBe('apply')
    expect(verdictOf(server, asFran, (doc) => new ThreadsModel(doc).remove(threadId))).toBe('apply')
  })

  it('refuses rewriting who wrote a thread or a comment, to facilitators too', () => {
    const { server, threadId } = serverPlan()
    const reattributions: Array<(doc: Y.Doc) => void> = [
      (doc) => threadOf(doc, threadId).map.set('authorName', 'Lee Lead'),
      (doc) => threadOf(doc, threadId).map.set('authorId', lee.id),
      (doc) => threadOf(doc, threadId).comments()[0]?.map.set('authorId', lee.id),
    ]
    for (const change of reattributions) {
      for (const actor of [asFran, asCory])
        expect(verdictOf(server, actor, change)).toMatch(/^may not change who wrote a/)
    }
  })

  it('refuses a new thread’s names written as anything but plain values (JSON reads otherwise in Yjs)', () => {
    const { server } = serverPlan()
    const update = replicaUpdate(server, (doc) => {
      const thread = new ThreadsModel(doc).create({
        anchor: { kind: 'initiative', initiativeId: 'i' },
        author: cory,
        body: 'x',
      })
      Y.transact(doc, (tr) => {
        const id = Y.createID(doc.clientID, Y.getState(doc.store, doc.clientID))
        // biome-ignore lint/suspicious/noExplicitAny: Yjs types an item's parent as any kind of type
        const map = thread.map as Y.AbstractType<any>
        new Y.Item(id, null, null, null, null, map, 'resolvedBy', new Y.ContentJSON(['Lee Lead'])).integrate(tr, 0)
      })
    })
    expect(threadAuthorshipVerdict(server, update, asCory)).toEqual({
      kind: 'reject',
      reason: 'may only write threads and comments in their own name',
    })
  })

  it('passes edits outside the threads untouched', () => {
    const { server } = serverPlan()
    const text = (doc: Y.Doc) =>
      (doc.getXmlFragment(sectionField('problem')).get(0) as Y.XmlElement).get(0) as Y.XmlText
    expect(verdictOf(server, asLee, (doc) => text(doc).insert(0, 'Please '))).toBe('apply')
    expect(verdictOf(server, asLee, (doc) => text(doc).delete(0, 6))).toBe('apply')
    expect(verdictOf(server, asLee, (doc) => new PlanModel(doc).addInitiative('policy', { title: 'New' }))).toBe(
      'apply',
    )
  })

  it('refuses an update hanging from something the server does not have', () => {
    const { server, threadId } = serverPlan()
    const replica = new Y.Doc()
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(server))
    const base = Y.encodeStateVector(replica)
    threadOf(replica, threadId).reply(lee, 'First')
    const middle = Y.encodeStateVector(replica)
    // Lee's second reply, sent without the first: its neighbour is unknown to the server.
    threadOf(replica, threadId).reply(lee, 'Second')
    const withoutFirst = Y.encodeStateAsUpdate(replica, middle)
    expect(threadAuthorshipVerdict(server, withoutFirst, asLee).kind).toBe('reject')
    expect(threadAuthorshipVerdict(server, Y.encodeStateAsUpdate(replica, base), asLee).kind).toBe('apply')
  })
})

describe('threadAuthorshipVerdict on large updates', () => {
  it('decides on an update of 20,000 items, each hanging from the next, without running out of stack', () => {
    const { server } = serverPlan()
    const update = replicaUpdate(server, (doc) => {
      const text = (doc.getXmlFragment(sectionField('problem')).get(0) as Y.XmlElement).get(0) as Y.XmlText
      // Typing backwards: every character is its own item, whose right neighbour is the one before.
      for (let i = 0; i < 20_000; i++) text.insert(0, 'x')
    })
    expect(threadAuthorshipVerdict(server, update, asLee)).toEqual({ kind: 'apply' })
  })
})
