import { isCommentMarkKey, PlanModel, sectionField, ThreadLayout, ThreadsModel } from '@lever/shared'
import * as Y from 'yjs'

/** The people of the adversarial tests, with the Yjs client id each one's copy writes with. */
export const people = {
  lee: { id: 'member-lee', name: 'Lee Lead', client: 101 },
  cory: { id: 'coach-cory', name: 'Cory Coach', client: 202 },
  rita: { id: 'member-rita', name: 'Rita Reader', client: 303 },
  fran: { id: 'facilitator-fran', name: 'Fran Facilitator', client: 404 },
} as const

/**
 * A plan as the server holds it after some work: prose in two sections, an initiative with a
 * description, a thread Lee started (Cory replied, both reacted) and one Cory started on marked text.
 */
export function planFixture(): Y.Doc {
  const server = new Y.Doc()
  server.clientID = 1
  const plan = PlanModel.initialize(server, { title: 'Fair wages plan', jurisdictionId: 'boulder-co' })
  for (const [section, words] of [
    ['problem', 'Raise wages for contract janitors.'],
    ['theoryOfChange', 'Every contract pays a living wage.'],
  ] as const) {
    const p = new Y.XmlElement('paragraph')
    p.insert(0, [new Y.XmlText(words)])
    plan.section(section).insert(0, [p])
  }
  const initiative = plan.addInitiative('procurement', { title: 'Wage floor' })
  const dp = new Y.XmlElement('paragraph')
  dp.insert(0, [new Y.XmlText('Set a wage floor in service contracts.')])
  initiative.description?.insert(0, [dp])
  as(server, people.lee.client, (doc) => {
    const thread = new ThreadsModel(doc).create({
      anchor: { kind: 'initiative', initiativeId: initiative.id },
      author: people.lee,
      body: 'Which wage floor?',
    })
    thread.comments()[0]?.toggleReaction('thumbsUp', people.lee.id)
  })
  as(server, people.cory.client, (doc) => {
    const leeThread = new ThreadsModel(doc).list()[0]
    leeThread?.reply(people.cory, 'The county living wage.')
    leeThread?.comments()[0]?.toggleReaction('thanks', people.cory.id)
    const thread = new ThreadsModel(doc).create({
      anchor: { kind: 'text', field: sectionField('problem'), quote: 'wages', before: 'Raise ', after: ' for' },
      author: people.cory,
      body: 'Cite the ordinance',
    })
    const text = (doc.getXmlFragment(sectionField('problem')).get(0) as Y.XmlElement).get(0) as Y.XmlText
    text.format(6, 5, { 'comment--h1': { threadId: thread.id } })
    thread.comments()[0]?.toggleReaction('thumbsUp', people.cory.id)
  })
  as(server, people.lee.client, (doc) => {
    const coryThread = new ThreadsModel(doc).list().find((t) => t.snapshot().authorId === people.cory.id)
    coryThread?.reply(people.lee, 'Done: see section 4.')
    coryThread?.comments()[0]?.toggleReaction('done', people.lee.id)
  })
  return server
}

/** Makes a change on `doc` through a copy writing as `client`, as that person's browser would. */
export function as(doc: Y.Doc, client: number, change: (replica: Y.Doc) => void): void {
  const replica = new Y.Doc()
  Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc))
  replica.clientID = client
  const before = Y.encodeStateVector(replica)
  change(replica)
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(replica, before))
  replica.destroy()
}

/**
 * Everything in the document but the threads, as plain data, with comment marks left out: what a
 * comment-only connection must never change. Read from the items themselves, so any root, key or
 * content kind counts, not only what the plan model knows.
 */
export function outsideThreads(doc: Y.Doc): string {
  const roots: Record<string, unknown> = {}
  for (const [name, type] of [...doc.share].sort(([a], [b]) => a.localeCompare(b))) {
    if (name === ThreadLayout.root) continue
    const shown = typeData(type as Y.AbstractType<unknown>)
    if (Object.keys(shown.map).length > 0 || shown.seq.length > 0) roots[name] = shown
  }
  return JSON.stringify(roots)
}

function typeData(type: Y.AbstractType<unknown>): { name?: string; map: Record<string, unknown>; seq: unknown[] } {
  const map: Record<string, unknown> = {}
  for (const key of [...type._map.keys()].sort()) {
    const item = type._map.get(key) as Y.Item
    if (!item.deleted) map[key] = contentData(item)
  }
  const seq: unknown[] = []
  for (let item = type._start; item !== null; item = item.right) {
    if (item.deleted) continue
    const content = item.content
    if (content instanceof Y.ContentFormat && isCommentMarkKey(content.key)) continue
    const last = seq[seq.length - 1]
    // Strings split and join as marks come and go: compare the text, not the items.
    if (content instanceof Y.ContentString && typeof last === 'string') seq[seq.length - 1] = last + content.str
    else seq.push(contentData(item))
  }
  const name = (type as unknown as { nodeName?: unknown }).nodeName
  return typeof name === 'string' ? { name, map, seq } : { map, seq }
}

function contentData(item: Y.Item): unknown {
  const c = item.content
  if (c instanceof Y.ContentType) return typeData(c.type as Y.AbstractType<unknown>)
  if (c instanceof Y.ContentString) return c.str
  if (c instanceof Y.ContentAny) return { any: c.arr }
  if (c instanceof Y.ContentJSON) return { json: c.arr }
  if (c instanceof Y.ContentFormat) return { format: c.key, value: c.value }
  if (c instanceof Y.ContentEmbed) return { embed: c.embed }
  if (c instanceof Y.ContentBinary) return { binary: [...c.content] }
  return { other: c.constructor.name }
}

/**
 * What of the threads belongs to people other than `userId`: who wrote each thread and comment and
 * when, each comment's text, and everyone else's reactions. A writer may add to it (replies) but
 * never change or remove any of it.
 */
export function othersWork(doc: Y.Doc, userId: string): Map<string, string> {
  const work = new Map<string, string>()
  for (const thread of new ThreadsModel(doc).list()) {
    const t = thread.snapshot()
    if (t.authorId !== userId)
      work.set(workKey('thread', t.id), JSON.stringify([t.authorId, t.authorName, t.createdAt]))
    for (const c of t.comments) {
      if (c.authorId !== userId) {
        work.set(
          workKey('comment', t.id, c.id),
          JSON.stringify([c.authorId, c.authorName, c.body, c.createdAt, c.editedAt, c.deleted, c.mentions]),
        )
      }
      for (const [reaction, users] of Object.entries(c.reactions)) {
        for (const user of users ?? [])
          if (user !== userId) work.set(workKey('reaction', t.id, c.id, reaction, user), '')
      }
    }
  }
  return work
}

/**
 * A key of `othersWork` / `workAuthors`: the kind, then the ids as JSON (ids written by hostile
 * updates may hold spaces or slashes, so they are never split on a separator).
 */
function workKey(kind: 'thread' | 'comment' | 'reaction', ...ids: string[]): string {
  return `${kind} ${JSON.stringify(ids)}`
}

function parseWorkKey(key: string): { kind: string; ids: string[] } {
  const space = key.indexOf(' ')
  return { kind: key.slice(0, space), ids: JSON.parse(key.slice(space + 1)) as string[] }
}

/** Threads and comments there are (keys as `othersWork` makes them), and who wrote each. */
export function workAuthors(doc: Y.Doc): Map<string, string> {
  const authors = new Map<string, string>()
  for (const thread of new ThreadsModel(doc).list()) {
    const t = thread.snapshot()
    authors.set(workKey('thread', t.id), t.authorId)
    for (const c of t.comments) authors.set(workKey('comment', t.id, c.id), c.authorId)
  }
  return authors
}

/**
 * True when `what` (a key of `othersWork`) went away with a thread or comment `userId` wrote and
 * removed as a whole: authors may remove their threads with the replies in them, and their
 * comments with the reactions on them.
 */
export function removedWithOwnWork(
  what: string,
  userId: string,
  before: Map<string, string>,
  after: Map<string, string>,
): boolean {
  const { kind, ids } = parseWorkKey(what)
  const [threadId = '', commentId] = ids
  const containers = [
    workKey('thread', threadId),
    ...(commentId !== undefined && kind === 'reaction' ? [workKey('comment', threadId, commentId)] : []),
  ]
  return containers.some((c) => before.get(c) === userId && !after.has(c))
}
