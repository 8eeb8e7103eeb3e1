import {
  leftPending,
  planWriteRules,
  policyFor,
  readUpdateEffect,
  threadWriteRules,
  type UpdateVerdict,
} from '@lever/server'
import { AccessMode, CloseCode, PlanModel, ThreadLayout, ThreadsModel } from '@lever/shared'
import * as prng from 'lib0/prng'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { type Block, type Crafted, changeOf, craftItem, encodeCrafted, takeApart } from '../support/craftedUpdates.ts'
import {
  othersWork,
  outsideThreads,
  people,
  planFixture,
  removedWithOwnWork,
  workAuthors,
} from '../support/planFixture.ts'

/**
 * Hand-made updates against the plan's write rules: legitimate changes, the same changes tampered
 * with (clocks shifted into or past what the server has, parents and keys swapped, contents
 * replaced, parents later in the same update, blocks repeated, deletes of anything), and updates
 * made of random structs, from a reader, a coach, a team member and a facilitator. For each, the
 * room's steps run on a real Y.Doc: the policy, then (if accepted) Y.applyUpdate. Seeded from
 * LEVER_SEED; the seed is printed when a property fails.
 */
const SEED = Number(process.env.LEVER_SEED ?? Math.floor(Math.random() * 2 ** 31))
const CASES = Number(process.env.LEVER_CASES ?? 2000)
// The fixture keeps the plan and its threads in one document, as plans of the first layout did;
// each case is judged by the rules of the document it would go to now: an update that changes
// only threads by the thread documents' rules (where those who may comment connect read-write),
// anything else by the plan's (which take no threads at all).
const plan = policyFor(
  planWriteRules((doc, threadId) => {
    const author = new ThreadsModel(doc).get(threadId)?.map.get('authorId')
    return typeof author === 'string' ? author : null
  }),
)
const threadDocument = policyFor(threadWriteRules)

function onlyThreads(doc: Y.Doc, update: Uint8Array): boolean {
  const result = readUpdateEffect(doc, update, Y.decodeUpdate(update))
  if (!result.ok || !result.effect.changes) return false
  const places = [...result.effect.inserted, ...result.effect.deleted].map((e) => e.place)
  return places.length > 0 && places.every((p) => p.root === ThreadLayout.root)
}

/** Any item content Yjs can carry. */
type Content = Y.Item['content']
type Actor = (typeof people)[keyof typeof people] & { mode: AccessMode; moderator: boolean }
const actors: Actor[] = [
  { ...people.rita, mode: AccessMode.ReadOnly, moderator: false },
  { ...people.cory, mode: AccessMode.CommentOnly, moderator: false },
  { ...people.lee, mode: AccessMode.ReadWrite, moderator: false },
  { ...people.fran, mode: AccessMode.ReadWrite, moderator: true },
]

function verdictFor(doc: Y.Doc, update: Uint8Array, actor: Actor): UpdateVerdict {
  if (onlyThreads(doc, update)) {
    return threadDocument({
      mode: actor.mode === AccessMode.CommentOnly ? AccessMode.ReadWrite : actor.mode,
      doc,
      update,
      identity: { userId: actor.id, name: actor.name, moderator: actor.moderator },
    })
  }
  return plan({
    mode: actor.mode,
    doc,
    update,
    identity: { userId: actor.id, name: actor.name, moderator: actor.moderator },
  })
}

describe(`hand-made updates against the plan's write rules (LEVER_SEED=${SEED})`, () => {
  it('never throw or leave anything pending, change nothing when refused, and keep coaches to comments and everyone to their own comments', () => {
    const gen = prng.create(SEED)
    let base = planFixture()
    const tally = new Map<string, number>()
    for (let n = 0; n < CASES; n++) {
      const actor = prng.oneOf(gen, actors)
      const doc = new Y.Doc()
      Y.applyUpdate(doc, Y.encodeStateAsUpdate(base))
      const { update, label } = handMade(gen, doc, actor)
      const where = `case ${n} (${label}, ${actor.mode}${actor.moderator ? ', facilitator' : ''}); rerun with LEVER_SEED=${SEED}`
      const before = {
        sv: Y.encodeStateVector(doc),
        outside: outsideThreads(doc),
        others: othersWork(doc, actor.id),
        authors: workAuthors(doc),
      }
      let verdict: UpdateVerdict
      try {
        verdict = verdictFor(doc, update, actor)
      } catch (error) {
        throw new Error(`the policy threw on ${where}: ${error}`)
      }
      const key = `${actor.mode}${actor.moderator ? '+mod' : ''} ${verdict.kind}`
      tally.set(key, (tally.get(key) ?? 0) + 1)
      if (verdict.kind !== 'apply') {
        // Refused or ignored: the policy read the document and changed nothing.
        expect(Y.encodeStateVector(doc), where).toEqual(before.sv)
        expect(outsideThreads(doc), where).toBe(before.outside)
        if (verdict.kind === 'reject') expect(verdict.closeCode, where).toBeGreaterThanOrEqual(4400)
        continue
      }
      expect(actor.mode, `a read-only connection changed the document: ${where}`).not.toBe(AccessMode.ReadOnly)
      try {
        Y.applyUpdate(doc, update)
      } catch (error) {
        throw new Error(`Y.applyUpdate threw on an accepted update, ${where}: ${error}`)
      }
      expect(leftPending(doc), `an accepted update left pending state: ${where}`).toBe(false)
      if (actor.mode === AccessMode.CommentOnly) {
        expect(outsideThreads(doc), `a coach changed the plan outside the threads: ${where}`).toBe(before.outside)
      }
      if (!actor.moderator) {
        const after = othersWork(doc, actor.id)
        const authorsAfter = workAuthors(doc)
        for (const [what, value] of before.others) {
          if (!after.has(what) && removedWithOwnWork(what, actor.id, before.authors, authorsAfter)) continue
          expect(after.get(what), `${actor.name} changed ${what}: ${where}`).toBe(value)
        }
      }
      // Later cases start from what was accepted, so the document grows in unplanned ways (and
      // from the fixture again now and then, so it stays small enough to check thousands of cases).
      if (prng.int32(gen, 0, 3) === 0) base = doc
      if (n % 50 === 49) base = planFixture()
    }
    // The suite is only worth something if every mode had updates accepted and refused.
    for (const key of ['comment-only apply', 'comment-only reject', 'read-write apply', 'read-write reject']) {
      expect(tally.get(key) ?? 0, `${key} in ${JSON.stringify([...tally])}`).toBeGreaterThan(CASES / 100)
    }
    expect(tally.get('read-only reject') ?? 0).toBeGreaterThan(CASES / 100)
  }, 240_000)

  it('refuses a map entry that would replace plan content or someone else’s comment, with every content kind, for coaches and members', () => {
    const server = planFixture()
    const model = new PlanModel(server)
    const initiative = model.initiatives()[0]
    const leeThread = new ThreadsModel(server).list().find((t) => t.snapshot().authorId === people.lee.id)
    const reactions = leeThread?.comments()[0]?.map.get('reactions') as Y.Map<unknown>
    const targets: Array<[string, Y.AbstractType<unknown>, string, Actor[]]> = [
      ['the title', model.meta as Y.AbstractType<unknown>, 'title', [actors[1] as Actor]],
      ['an initiative', model.initiativesMap as Y.AbstractType<unknown>, initiative?.id ?? '', [actors[1] as Actor]],
      ['a thread’s author', leeThread?.map as Y.AbstractType<unknown>, 'authorName', [actors[1], actors[2]] as Actor[]],
      ['a reaction', reactions as Y.AbstractType<unknown>, 'thumbsUp', [actors[1], actors[2]] as Actor[]],
    ]
    for (const [what, type, key, who] of targets) {
      for (const [kind, content] of contentKinds()) {
        for (const actor of who) {
          const holder = type._item
          const item = craftItem(Y.createID(actor.client, Y.getState(server.store, actor.client)), content, {
            parent: holder ? holder.id : (Y.findRootTypeKey(type) as string),
            parentSub: key,
          })
          const update = encodeCrafted({
            blocks: [{ client: actor.client, clock: item.id.clock, structs: [item] }],
            deletes: [],
          })
          const verdict = verdictFor(server, update, actor)
          expect(verdict.kind, `${actor.name} replacing ${what} with ${kind}`).toBe('reject')
          expect((verdict as { closeCode?: number }).closeCode).toBe(CloseCode.WriteNotAllowed)
        }
      }
    }
  })
})

describe('a key written side by side by two clients, the one Yjs keeps behind a deleted decoy', () => {
  /**
   * What `writer` sends to get `change` in under a new key: the change with a client id higher than
   * the decoy's, and a decoy under the same key (no origin, a lower id) deleted in the same update.
   * Yjs keeps the higher id's entry; the rules must judge that one.
   */
  function smuggled(doc: Y.Doc, change: (replica: Y.Doc) => void, decoy: (replica: Y.Doc) => void): Uint8Array {
    const kept = changeOf(doc, change, 3_000_000_000)
    const hidden = changeOf(
      doc,
      (replica) => {
        decoy(replica)
        // Deleted in a later transaction of the same client: the delete set names it.
        replica.transact(() => decoy(replica))
      },
      7,
    )
    return Y.mergeUpdates([kept, hidden])
  }

  it('keeps a coach from adding an initiative and a member from starting a thread in the coach’s name', () => {
    const coach = actors[1] as Actor
    const member = actors[2] as Actor
    const server = planFixture()
    const key = 'smuggled-initiative'
    const initiative = smuggled(
      server,
      (replica) => {
        const m = new Y.Map<unknown>()
        replica.getMap('initiatives').set(key, m)
        m.set('id', key)
        m.set('lever', 'procurement')
      },
      (replica) => {
        const map = replica.getMap('initiatives')
        if (map.has(key)) map.delete(key)
        else map.set(key, 'decoy')
      },
    )
    const threadKey = 'thread-in-cory-s-name'
    const thread = smuggled(
      server,
      (replica) => {
        const t = new Y.Map<unknown>()
        replica.getMap(ThreadLayout.root).set(threadKey, t)
        t.set('authorId', people.cory.id)
        t.set('authorName', people.cory.name)
      },
      (replica) => {
        const map = replica.getMap(ThreadLayout.root)
        if (map.has(threadKey)) map.delete(threadKey)
        else map.set(threadKey, 'decoy')
      },
    )
    for (const [what, update, actor] of [
      ['an initiative from a coach', initiative, coach],
      ['a thread in another’s name', thread, member],
    ] as const) {
      const replica = new Y.Doc()
      Y.applyUpdate(replica, Y.encodeStateAsUpdate(server))
      Y.applyUpdate(replica, update)
      // What Yjs would do: the smuggled entry stays.
      const kept = what.startsWith('an initiative')
        ? replica.getMap('initiatives').get(key)
        : replica.getMap(ThreadLayout.root).get(threadKey)
      expect(kept, what).toBeInstanceOf(Y.Map)
      const verdict = verdictFor(server, update, actor)
      expect(verdict.kind, what).toBe('reject')
      expect((verdict as { closeCode?: number }).closeCode, what).toBe(CloseCode.WriteNotAllowed)
    }
  })
})

function contentKinds(): Array<[string, Content]> {
  return [
    ['a string', new Y.ContentString('x')],
    ['a value', new Y.ContentAny(['x'])],
    ['deleted content', new Y.ContentDeleted(1)],
    ['a comment mark', new Y.ContentFormat('comment--h9', { threadId: 't' })],
    ['a format', new Y.ContentFormat('bold', {})],
    ['a map', new Y.ContentType(new Y.Map())],
    ['a text', new Y.ContentType(new Y.XmlText())],
    ['an embed', new Y.ContentEmbed({ image: 'x' })],
    ['JSON', new Y.ContentJSON(['x'])],
    ['binary', new Y.ContentBinary(new Uint8Array([1]))],
  ]
}

/** An update a client could send: legitimate, tampered with, or made of random structs. */
function handMade(gen: prng.PRNG, doc: Y.Doc, actor: Actor): { update: Uint8Array; label: string } {
  const roll = prng.int32(gen, 0, 9)
  if (roll < 3) return { update: changeOf(doc, (r) => legitimate(gen, r, actor), actor.client), label: 'plain' }
  if (roll < 8) {
    const crafted = takeApart(changeOf(doc, (r) => legitimate(gen, r, actor), actor.client))
    const labels: string[] = []
    for (let i = prng.int32(gen, 1, 3); i > 0; i--) labels.push(tamper(gen, doc, crafted, actor))
    return { update: encodeCrafted(crafted), label: labels.join('+') }
  }
  return { update: encodeCrafted(randomStructs(gen, doc, actor)), label: 'random structs' }
}

const someone = (gen: prng.PRNG) => prng.oneOf(gen, Object.values(people))

/** A change made through the models (or the raw types), as the actor or pretending to be someone else. */
function legitimate(gen: prng.PRNG, doc: Y.Doc, actor: Actor): void {
  const threads = new ThreadsModel(doc)
  const me = prng.int32(gen, 0, 4) === 0 ? someone(gen) : actor
  const thread = () => prng.oneOf(gen, threads.list())
  const comment = () => prng.oneOf(gen, thread().comments())
  const texts = allOf(doc, Y.XmlText)
  const maps = allOf(doc, Y.Map) as Array<Y.Map<unknown>>
  const steps = prng.int32(gen, 1, 3)
  for (let s = 0; s < steps; s++) {
    try {
      step(prng.int32(gen, 0, 13))
    } catch {
      // A change the models refuse (nothing left to delete, no such thread): the next one.
    }
  }
  function step(choice: number): void {
    switch (choice) {
      case 0:
        threads.create({ anchor: { kind: 'initiative', initiativeId: 'i' }, author: me, body: 'New thread' })
        break
      case 1:
        thread().reply(me, 'A reply')
        break
      case 2:
        comment().toggleReaction(prng.oneOf(gen, ['thumbsUp', 'thanks', 'done'] as const), me.id)
        break
      case 3:
        if (prng.bool(gen)) thread().resolve(me)
        else thread().reopen()
        break
      case 4:
        if (prng.bool(gen)) comment().edit('Rewritten')
        else comment().remove()
        break
      case 5:
        if (prng.bool(gen)) threads.remove(thread().id)
        else thread().commentsArray?.delete(prng.int32(gen, 0, (thread().commentsArray?.length ?? 1) - 1), 1)
        break
      case 6:
        thread().map.set(prng.oneOf(gen, ['authorId', 'authorName', 'status', 'createdAt', 'anchor']), me.name)
        break
      case 7:
      case 8: {
        const text = prng.oneOf(gen, texts)
        if (text.length === 0) break
        const at = prng.int32(gen, 0, text.length - 1)
        const attrs = [
          { 'comment--hx': { threadId: thread().id } },
          { 'comment--hy': { threadId: 'x', extra: 1 } },
          { bold: {} },
        ]
        text.format(at, prng.int32(gen, 1, text.length - at), prng.oneOf(gen, attrs))
        break
      }
      case 9: {
        const text = prng.oneOf(gen, texts)
        if (prng.bool(gen) || text.length === 0) text.insert(prng.int32(gen, 0, text.length), 'typed ')
        else text.delete(prng.int32(gen, 0, text.length - 1), 1)
        break
      }
      case 10:
        new PlanModel(doc).meta.set('title', 'Rewritten title')
        break
      case 11: {
        const initiatives = new PlanModel(doc).initiativesMap
        const id = prng.oneOf(gen, [...initiatives.keys(), 'none'])
        if (prng.bool(gen)) initiatives.delete(id)
        else (initiatives.get(id) as Y.Map<unknown> | undefined)?.set('title', 'Changed')
        break
      }
      default: {
        const map = prng.oneOf(gen, maps)
        const key = prng.oneOf(gen, [...map.keys(), 'new-key'])
        const values: unknown[] = ['text', 7, new Y.Map(), new Y.XmlText('x'), new Y.Array()]
        if (prng.bool(gen)) map.set(key, prng.oneOf(gen, values))
        else map.delete(key)
      }
    }
  }
}

// biome-ignore lint/suspicious/noExplicitAny: any Yjs type class
function allOf<T>(doc: Y.Doc, kind: new (...args: any[]) => T): T[] {
  const found: T[] = []
  for (const structs of doc.store.clients.values()) {
    for (const s of structs) {
      if (s instanceof Y.Item && !s.deleted && s.content instanceof Y.ContentType && s.content.type instanceof kind) {
        found.push(s.content.type as T)
      }
    }
  }
  return found
}

/** Ids of items of the document holding a type, and the keys of its maps: where tampering points. */
const targetsCache = new WeakMap<Y.Doc, { holders: Y.ID[]; keys: string[]; ids: Y.ID[] }>()
function targetsOf(doc: Y.Doc): { holders: Y.ID[]; keys: string[]; ids: Y.ID[] } {
  const cached = targetsCache.get(doc)
  if (cached) return cached
  const holders: Y.ID[] = []
  const keys = new Set<string>(['title', 'authorId', 'authorName', 'thumbsUp', 'status'])
  const ids: Y.ID[] = []
  for (const structs of doc.store.clients.values()) {
    for (const s of structs) {
      ids.push(s.id)
      if (s instanceof Y.Item && s.content instanceof Y.ContentType) {
        holders.push(s.id)
        for (const key of s.content.type._map.keys()) keys.add(key)
      }
    }
  }
  for (const type of doc.share.values()) for (const key of type._map.keys()) keys.add(key)
  const targets = { holders, keys: [...keys], ids }
  targetsCache.set(doc, targets)
  return targets
}

function randomPlace(gen: prng.PRNG, doc: Y.Doc, crafted: Crafted | null) {
  const { holders, keys, ids } = targetsOf(doc)
  const own = crafted ? crafted.blocks.flatMap((b) => b.structs.map((s) => s.id)) : []
  const anyId = () => prng.oneOf(gen, [...ids, ...own, Y.createID(prng.int32(gen, 1, 999), prng.int32(gen, 0, 50))])
  switch (prng.int32(gen, 0, 3)) {
    case 0:
      return {
        parent: prng.oneOf(gen, [...doc.share.keys(), 'threads', 'meta', 'elsewhere']),
        parentSub: prng.bool(gen) ? prng.oneOf(gen, keys) : null,
      }
    case 1:
      return { parent: prng.oneOf(gen, [...holders, ...own]), parentSub: prng.bool(gen) ? prng.oneOf(gen, keys) : null }
    case 2:
      return { origin: anyId() }
    default:
      return { origin: prng.bool(gen) ? anyId() : null, rightOrigin: anyId() }
  }
}

function randomContent(gen: prng.PRNG): Content {
  return prng.oneOf(gen, contentKinds())[1].copy()
}

/** Changes one thing of a taken-apart update. Returns what it did. */
function tamper(gen: prng.PRNG, doc: Y.Doc, crafted: Crafted, actor: Actor): string {
  const block = prng.oneOf(gen, crafted.blocks) as Block | undefined
  const items = crafted.blocks.flatMap((b) => b.structs.filter((s): s is Y.Item => s instanceof Y.Item))
  const item = items.length > 0 ? prng.oneOf(gen, items) : undefined
  const replaceItem = (old: Y.Item, next: Y.Item) => {
    for (const b of crafted.blocks) b.structs = b.structs.map((s) => (s === old ? next : s))
  }
  switch (prng.int32(gen, 0, 11)) {
    case 0: // map-key replacement: same content, placed under a key of something else
      if (!item) return 'none'
      replaceItem(item, craftItem(item.id, item.content, randomPlace(gen, doc, crafted)))
      return 'placed elsewhere'
    case 1:
      if (!item) return 'none'
      replaceItem(
        item,
        craftItem(item.id, randomContent(gen), {
          origin: item.origin,
          rightOrigin: item.rightOrigin,
          parent: item.parent as unknown as string,
          parentSub: item.parentSub,
        }),
      )
      return 'other content'
    case 2:
      if (!block) return 'none'
      block.clock -= prng.int32(gen, 1, 4)
      return 'clock moved into known state'
    case 3:
      if (!block) return 'none'
      block.clock += prng.int32(gen, 1, 4)
      return 'clock moved past known state'
    case 4: {
      // A parent that is a later item of the same update (or of another client's block).
      if (!item) return 'none'
      const later = items.filter((s) => s !== item && (s.id.client !== item.id.client || s.id.clock > item.id.clock))
      if (later.length === 0) return 'none'
      replaceItem(
        item,
        craftItem(item.id, item.content, { parent: prng.oneOf(gen, later).id, parentSub: prng.bool(gen) ? 'k' : null }),
      )
      return 'parent later in the update'
    }
    case 5: {
      const { ids } = targetsOf(doc)
      const target = prng.oneOf(gen, ids)
      const state = Y.getState(doc.store, target.client)
      const clock = prng.int32(gen, 0, state + 2)
      crafted.deletes.push([target.client, [[clock, prng.int32(gen, 0, 6)]]])
      return 'deletes'
    }
    case 6:
      if (!block) return 'none'
      crafted.blocks.push({ client: block.client, clock: block.clock, structs: [...block.structs] })
      return 'block repeated'
    case 7:
      if (!block) return 'none'
      block.structs.splice(prng.int32(gen, 0, block.structs.length), 0, new Y.Skip(Y.createID(block.client, 0), 2))
      return 'skip'
    case 8: {
      // Someone else's client id, continuing where the server is.
      if (!block) return 'none'
      const client = prng.oneOf(gen, [...doc.store.clients.keys()])
      block.client = client
      block.clock = Y.getState(doc.store, client) - (prng.bool(gen) ? 0 : 1)
      return 'other client id'
    }
    case 9:
      crafted.blocks.push({ client: actor.client + 1, clock: 0, structs: [] })
      return 'empty block'
    case 10:
      if (!item) return 'none'
      replaceItem(
        item,
        craftItem(item.id, item.content, { origin: Y.createID(item.id.client, item.id.clock + prng.int32(gen, 0, 3)) }),
      )
      return 'origin at or after itself'
    default:
      crafted.blocks.push(...randomStructs(gen, doc, actor).blocks)
      return 'random structs added'
  }
}

function randomStructs(gen: prng.PRNG, doc: Y.Doc, actor: Actor): Crafted {
  const client = prng.oneOf(gen, [actor.client, actor.client, ...doc.store.clients.keys(), prng.int32(gen, 1000, 2000)])
  const state = Y.getState(doc.store, client)
  const start = state + prng.oneOf(gen, [0, 0, 0, -1, 1])
  const structs: Array<Y.Item | Y.GC> = []
  let clock = start
  for (let i = prng.int32(gen, 1, 4); i > 0; i--) {
    const item = craftItem(
      Y.createID(client, clock),
      randomContent(gen),
      randomPlace(gen, doc, { blocks: [{ client, clock: start, structs }], deletes: [] }),
    )
    structs.push(item)
    clock += item.length
  }
  return { blocks: [{ client, clock: start, structs }], deletes: [] }
}
