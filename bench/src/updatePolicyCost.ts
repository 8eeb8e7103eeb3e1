/**
 * What Lever's update checks cost the server per update, before an update is applied: reading the
 * update's effect (the structural pre-check in Yjs's integration order, then each item's real
 * parent and key), the comment-only rules (coaches) and the comment-authorship rules (everyone),
 * on a typical keystroke, a reply, a 1 MB paste (one item, as an editor sends it) and one large
 * update (20,000 separate items, each hanging from the next, as a long offline session can send).
 *
 *   pnpm --filter @lever/bench policy
 */
import { planWriteRules, policyFor, replicaUpdate, threadWriteRules, type UpdatePolicy } from '@lever/server'
import { AccessMode, PlanModel, sectionField, ThreadsModel } from '@lever/shared'
import * as Y from 'yjs'

const server = new Y.Doc()
const plan = PlanModel.initialize(server, { title: 'Plan', jurisdictionId: 'boulder-co' })
const paragraph = new Y.XmlElement('paragraph')
paragraph.insert(0, [new Y.XmlText('Raise wages for contract janitors.')])
plan.section('problem').insert(0, [paragraph])
// The plan's threads live in a thread document of their own.
const threadsServer = new Y.Doc()
new ThreadsModel(threadsServer).create({
  anchor: { kind: 'initiative', initiativeId: 'i' },
  author: { id: 'coach', name: 'Cory Coach' },
  body: 'Which wage level?',
})

const clientUpdate = (change: (doc: Y.Doc) => void) => replicaUpdate(server, change)
const text = (doc: Y.Doc) => (doc.getXmlFragment(sectionField('problem')).get(0) as Y.XmlElement).get(0) as Y.XmlText

const keystroke = clientUpdate((doc) => text(doc).insert(5, 'x'))
const replyAs = (id: string, name: string) =>
  replicaUpdate(threadsServer, (doc) => new ThreadsModel(doc).list()[0]?.reply({ id, name }, 'Ok'))
// A coach marking words (their own thread's): marks are compared on a scratch copy of the plan.
const coachMark = clientUpdate((doc) => text(doc).format(6, 5, { 'comment--h1': { threadId: 'coach-thread' } }))
const memberReply = replyAs('member', 'Lee')
const coachReply = replyAs('coach', 'Cory')
const paste = clientUpdate((doc) => text(doc).insert(5, 'x'.repeat(1024 * 1024)))
const large = clientUpdate((doc) => {
  for (let i = 0; i < 20_000; i++) text(doc).insert(0, 'x')
})

const member = { userId: 'member', name: 'Lee', moderator: false }
const facilitator = { userId: 'facilitator', name: 'Fran', moderator: true }
const coach = { userId: 'coach', name: 'Cory', moderator: false }

const planPolicy = policyFor(planWriteRules((_doc, threadId) => (threadId === 'coach-thread' ? 'coach' : null)))
const threadPolicy = policyFor(threadWriteRules)

function timed(
  label: string,
  update: Uint8Array,
  mode: AccessMode,
  identity: typeof member,
  runs: number,
  policy: UpdatePolicy = planPolicy,
  doc: Y.Doc = server,
): void {
  // The room decodes every update before the checks (and would even without them): timed apart.
  const decoded = Y.decodeUpdate(update)
  const check = () => policy({ mode, doc, update, decoded, identity })
  for (let i = 0; i < Math.min(runs, 2000); i++) check() // warm up
  const start = process.hrtime.bigint()
  let verdict = ''
  for (let i = 0; i < runs; i++) verdict = check().kind
  const perRun = Number(process.hrtime.bigint() - start) / runs / 1000
  const shown = perRun >= 1000 ? `${(perRun / 1000).toFixed(1)} ms` : `${perRun.toFixed(1)} µs`
  process.stdout.write(`${label.padEnd(58)} ${shown.padStart(9)}  (${verdict})\n`)
}

function decoding(label: string, update: Uint8Array, runs: number): void {
  for (let i = 0; i < Math.min(runs, 2000); i++) Y.decodeUpdate(update) // warm up
  const start = process.hrtime.bigint()
  for (let i = 0; i < runs; i++) Y.decodeUpdate(update)
  const perRun = Number(process.hrtime.bigint() - start) / runs / 1000
  const shown = perRun >= 1000 ? `${(perRun / 1000).toFixed(1)} ms` : `${perRun.toFixed(1)} µs`
  process.stdout.write(`${label.padEnd(58)} ${shown.padStart(9)}  (decoding only)\n`)
}

decoding('keystroke', keystroke, 20_000)
decoding('1 MB paste', paste, 50)
decoding('20,000-item update', large, 10)
timed('keystroke, facilitator (effect, no authorship rules)', keystroke, AccessMode.ReadWrite, facilitator, 20_000)
timed('keystroke, team member (authorship check)', keystroke, AccessMode.ReadWrite, member, 20_000)
timed(
  'reply, team member (thread document rules)',
  memberReply,
  AccessMode.ReadWrite,
  member,
  20_000,
  threadPolicy,
  threadsServer,
)
timed(
  'reply, coach (thread document rules)',
  coachReply,
  AccessMode.ReadWrite,
  coach,
  20_000,
  threadPolicy,
  threadsServer,
)
timed('comment mark, coach (comment-only, marks compared)', coachMark, AccessMode.CommentOnly, coach, 2_000)
timed('1 MB paste, team member (authorship check)', paste, AccessMode.ReadWrite, member, 200)
timed('1 MB paste, coach (comment-only, refused)', paste, AccessMode.CommentOnly, coach, 200)
timed('20,000-item update, team member (authorship check)', large, AccessMode.ReadWrite, member, 10)
