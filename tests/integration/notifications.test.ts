import type { LeverServer } from '@lever/server'
import { ThreadsModel, threadDocName } from '@lever/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectClient, synced, type TestClient } from '../support/clients.ts'
import { bearer, COACH, createPlan, FACILITATOR, lead, signIn, startServer, wsUrl } from '../support/server.ts'
import { type ReceivedMail, startSmtpServer } from '../support/smtp.ts'
import { waitFor } from '../support/wait.ts'

describe('email notifications through a real SMTP server', () => {
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>
  let server: LeverServer
  let leadToken = ''
  let coachToken = ''
  let leadId = ''
  let coachId = ''
  let coachName = ''
  let coach: TestClient
  let planId = ''
  let docName = ''
  const mailTo = (address: string) => smtp.messages.filter((m) => m.to.includes(address))
  /** Waits until the server's copy of the plan holds a comment, then runs the pending checks now. */
  async function serverHasThen(commentId: string): Promise<void> {
    await waitFor(
      () => {
        const doc = server.rooms.peek(docName)?.doc
        return doc && new ThreadsModel(doc).list().some((t) => t.snapshot().comments.some((c) => c.id === commentId))
      },
      { message: 'the comment to reach the server' },
    )
    await server.notifications.flush()
  }

  beforeAll(async () => {
    smtp = await startSmtpServer()
    server = await startServer({
      mail: {
        smtpUrl: smtp.url,
        from: 'Lever <lever@test>',
        publicUrl: 'https://lever.example.gov',
        digestCheckMs: 3_600_000,
      },
    })
    leadToken = await signIn(server, lead('boulder-co'))
    coachToken = await signIn(server, COACH)
    leadId = (await server.auth.users.getByEmail(lead('boulder-co')))?.id as string
    coachId = (await server.auth.users.getByEmail(COACH))?.id as string
    coachName = (await server.auth.users.get(coachId))?.name as string
    const plan = await createPlan(server, { jurisdictionId: 'boulder-co', title: 'Boulder plan', token: leadToken })
    planId = plan.id
    // Comments live in the plan's thread documents; the team's is where these conversations are.
    docName = threadDocName(plan.id, 'team')
    coach = connectClient(wsUrl(server), docName, { params: { token: coachToken } })
    await synced(coach)
  })
  afterAll(async () => {
    coach.destroy()
    await server.close()
    await smtp.close()
  })

  /** The coach writes a comment (a new thread, or a reply); returns the comment's id and its thread's. */
  function coachComments(body: string, mentions: string[], threadId?: string): { threadId: string; commentId: string } {
    return coach.doc.transact(() => {
      const threads = new ThreadsModel(coach.doc)
      if (threadId) {
        const reply = threads.get(threadId)?.reply({ id: coachId, name: coachName }, body, mentions)
        return { threadId, commentId: reply?.id as string }
      }
      const thread = threads.create({
        anchor: { kind: 'initiative', initiativeId: 'none' },
        author: { id: coachId, name: coachName },
        body,
        mentions,
      })
      return { threadId: thread.id, commentId: thread.comments()[0]?.id as string }
    })
  }

  it('emails a person who is away when a coach mentions them, with a link to the thread and an unsubscribe link', async () => {
    const { threadId } = coachComments('Could you add the wage floor here, please?', [leadId])
    const mail = await waitFor(() => mailTo(lead('boulder-co'))[0], { message: 'the mention email', timeoutMs: 20_000 })
    expect(mail.subject).toMatch(/mentioned you on Boulder plan/)
    expect(mail.text).toContain('Could you add the wage floor here, please?')
    expect(mail.text).toContain(`https://lever.example.gov/plans/${planId}?thread=${threadId}`)
    expect(mail.text).toMatch(/https:\/\/lever\.example\.gov\/unsubscribe\/[A-Za-z0-9_-]+/)
    expect(mail.headerText).toMatch(
      /^List-Unsubscribe: <https:\/\/lever\.example\.gov\/api\/notifications\/unsubscribe\/[A-Za-z0-9_-]+>$/m,
    )
    expect(mail.headerText).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/m)
    // The comment's author is never told of their own comment.
    expect(mailTo(COACH)).toEqual([])
  })

  it('emails the author of a thread when someone else replies, but not a person who has the plan open', async () => {
    const present = connectClient(wsUrl(server), docName, { params: { token: leadToken } })
    await synced(present)
    const before = mailTo(lead('boulder-co')).length
    const leadName = (await server.auth.users.get(leadId))?.name as string
    const threadId = present.doc.transact(
      () =>
        new ThreadsModel(present.doc).create({
          anchor: { kind: 'initiative', initiativeId: 'none' },
          author: { id: leadId, name: leadName },
          body: 'Is $18 an hour enough?',
          mentions: [],
        }).id,
    )
    await waitFor(() => new ThreadsModel(coach.doc).get(threadId) !== null, {
      message: 'the thread to reach the coach',
    })
    await serverHasThen(coachComments('It is the county living wage.', [], threadId).commentId)
    expect(mailTo(lead('boulder-co')).length).toBe(before) // they were in the plan: no email
    present.destroy()
    await waitFor(() => server.rooms.peek(docName)?.connectionList().length === 1, { message: 'the lead to leave' })

    coachComments('And it rises with inflation every July.', [], threadId)
    const reply = await waitFor(
      () => mailTo(lead('boulder-co')).find((m: ReceivedMail) => m.subject.includes('replied to your comment')),
      { message: 'the reply email', timeoutMs: 20_000 },
    )
    expect(reply.text).toContain('And it rises with inflation every July.')
    expect(reply.text).not.toContain('It is the county living wage.')
  })

  it('respects the person’s settings and the one-click unsubscribe, which needs no sign-in', async () => {
    const settings = await fetch(`${server.url}/api/notifications/settings`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...bearer(leadToken) },
      body: JSON.stringify({ mentions: false, replies: true, digest: true }),
    })
    expect(settings.status).toBe(200)
    const before = mailTo(lead('boulder-co')).length
    await serverHasThen(coachComments('Another mention, with mentions turned off.', [leadId]).commentId)
    expect(mailTo(lead('boulder-co')).length).toBe(before)

    const link = /\/unsubscribe\/([A-Za-z0-9_-]+)/.exec(mailTo(lead('boulder-co'))[0]?.text ?? '')?.[1] as string
    const bad = await fetch(`${server.url}/api/notifications/unsubscribe/${'x'.repeat(32)}`, { method: 'POST' })
    expect(bad.status).toBe(404)
    const oneClick = await fetch(`${server.url}/api/notifications/unsubscribe/${link}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    })
    expect(oneClick.status).toBe(200)
    const now = (await (
      await fetch(`${server.url}/api/notifications/settings`, { headers: bearer(leadToken) })
    ).json()) as { settings: Record<string, boolean>; emailEnabled: boolean }
    expect(now).toEqual({ settings: { mentions: false, replies: false, digest: false }, emailEnabled: true })
  })

  it('sends a daily digest of unread conversations once a day, and none to people with nothing unread', async () => {
    const facilitatorToken = await signIn(server, FACILITATOR)
    const facilitator = await server.auth.users.getByEmail(FACILITATOR)
    expect(facilitatorToken).toBeTruthy()
    const sent = await server.notifications.sendDigests(new Date())
    expect(sent).toBeGreaterThanOrEqual(1)
    const digest = mailTo(FACILITATOR).find((m) => m.subject.startsWith('Lever:'))
    expect(digest?.subject).toMatch(/unread conversations?/)
    expect(digest?.text).toContain('Boulder plan')
    expect(digest?.text).toContain('https://lever.example.gov/plans/')
    // Unsubscribed people get none; nobody gets a second one the same day.
    expect(mailTo(lead('boulder-co')).filter((m) => m.subject.startsWith('Lever:'))).toEqual([])
    expect(await server.notifications.sendDigests(new Date(Date.now() + 60_000))).toBe(0)
    expect(facilitator?.id).toBeTruthy()
  })

  it('emails an invitation when a facilitator invites someone', async () => {
    const facilitatorToken = await signIn(server, FACILITATOR)
    const res = await fetch(`${server.url}/api/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(facilitatorToken) },
      body: JSON.stringify({
        email: 'new.member@boulder.example',
        name: 'Nia New',
        role: 'member',
        jurisdictionId: 'boulder-co',
      }),
    })
    expect(res.status).toBe(201)
    const body = (await res.json()) as { inviteUrl: string; emailed: boolean }
    expect(body.emailed).toBe(true)
    const invite = await waitFor(() => mailTo('new.member@boulder.example')[0], { message: 'the invitation' })
    expect(invite.text).toContain(body.inviteUrl)
    expect(invite.text).toContain('Hello Nia New')
  })

  it('streams an inbox event to a signed-in page when a thread it can see changes, and refuses anonymous streams', async () => {
    expect((await fetch(`${server.url}/api/notifications/events`)).status).toBe(401)
    const controller = new AbortController()
    const res = await fetch(`${server.url}/api/notifications/events`, {
      headers: bearer(leadToken),
      signal: controller.signal,
    })
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/)
    const reader = (res.body as ReadableStream<Uint8Array>).getReader()
    const decoder = new TextDecoder()
    let received = ''
    const readUntil = async (needle: string) => {
      while (!received.includes(needle)) {
        const { value, done } = await reader.read()
        if (done) break
        received += decoder.decode(value)
      }
    }
    await readUntil('event: ready')
    coachComments('A new thread for the live badge.', [])
    await readUntil('event: inbox')
    expect(received).toContain('event: inbox')
    controller.abort()
  })
})
